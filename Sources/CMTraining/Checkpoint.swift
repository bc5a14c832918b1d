// Saving and restoring a consistency-training or -distillation run: θ, θ⁻, θ_ema, the optimiser,
// the random source, the config and (for CD) the teacher, in `CheckpointFile`'s format.

import CMCore
import CMNetwork
import CMStorage
import CMTeacher
import Foundation

/// A consistency-training or -distillation run frozen between two steps, as `cm train` writes it,
/// in the format of `CheckpointFile`.
public struct Checkpoint: Codable, Sendable, Equatable {
  /// Which training algorithm produced it: "ct" (Algorithm 3) or "cd" (Algorithm 2).
  public var kind: String
  /// The full state after `state.k` steps.
  public var state: TrainingState<Float>
  /// One record per logging interval so far.
  public var history: [StepRecord]
  /// The loss sum of the interval that had not ended at the save (absent in older files: then
  /// a resumed run averages that interval over its resumed steps only).
  public var pendingInterval: IntervalAccumulator?

  /// A checkpoint of a run of `kind` ("ct" or "cd"): its state, its interval history, and the
  /// unfinished interval (nil: none).
  public init(
    kind: String, state: TrainingState<Float>, history: [StepRecord],
    pendingInterval: IntervalAccumulator? = nil
  ) {
    self.kind = kind
    self.state = state
    self.history = history
    self.pendingInterval = pendingInterval
  }

  /// The file's bytes: header line, then payload.
  public func encoded() throws -> Data {
    try CheckpointFile.encode(self, kind: kind)
  }

  /// Writes the checkpoint atomically to `url`.
  public func write(to url: URL) throws {
    try writeAtomically(try encoded(), to: url)
  }

  /// Reads and verifies a checkpoint; every failure names the file and the problem. An EDM
  /// teacher's checkpoint is refused by name (read it with `EDMCheckpoint.read(from:)`).
  public static func read(from url: URL) throws(CheckpointError) -> Checkpoint {
    let checkpoint = try CheckpointFile.read(
      Checkpoint.self, from: url, kindOf: \.kind, accepts: { $0 != EDMCheckpoint.kindName },
      wrongKind: { _ in "\(url.path) is an edm teacher checkpoint, not a consistency-model checkpoint" })
    // Every decoded value is checked as a flag would be: a valid checksum says the file is whole,
    // not that its values are in range.
    let state = checkpoint.state
    guard checkpoint.kind == state.config.method.rawValue else {
      throw CheckpointError(
        description: "checkpoint \(url.path) is inconsistent: its kind and its config's method disagree")
    }
    if let problem = state.problem ?? checkpoint.pendingInterval?.problem {
      throw CheckpointError(description: "checkpoint \(url.path) holds an invalid value: \(problem)")
    }
    return checkpoint
  }
}
