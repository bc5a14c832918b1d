// Saving and restoring an EDM diffusion teacher's pre-training run, in `CheckpointFile`'s format.

import CMCore
import CMNetwork
import CMStorage
import Foundation

/// An EDM diffusion-teacher pre-training run frozen between two steps, as `cm pretrain` writes
/// it, in the format of `CheckpointFile` with kind "edm".
public struct EDMCheckpoint: Codable, Sendable, Equatable {
  /// The kind of every EDM checkpoint.
  public static let kindName = "edm"
  /// Always "edm" (kept in the payload too, as `Checkpoint` does).
  public private(set) var kind: String = EDMCheckpoint.kindName
  /// The full state after `state.k` steps.
  public var state: EDMPretrainingState<Float>
  /// One record per logging interval so far.
  public var history: [EDMStepRecord]

  /// The loss sum of the interval that had not ended at the save.
  public var pendingLossSum: Double?
  /// The step count of that unfinished interval.
  public var pendingSteps: Int?

  /// A checkpoint of `state`, its interval `history`, and the unfinished interval (nil: none).
  public init(
    state: EDMPretrainingState<Float>, history: [EDMStepRecord], pendingLossSum: Double? = nil,
    pendingSteps: Int? = nil
  ) {
    self.state = state
    self.history = history
    self.pendingLossSum = pendingLossSum
    self.pendingSteps = pendingSteps
  }

  /// The frozen teacher D_φ with φ = θ_EMA: what Consistency Distillation uses.
  public var teacher: EDMTeacher { EDMTeacher(state: state) }

  /// The file's bytes: header line, then payload.
  public func encoded() throws -> Data {
    try CheckpointFile.encode(self, kind: kind)
  }

  /// Writes the checkpoint atomically to `url`.
  public func write(to url: URL) throws {
    try writeAtomically(try encoded(), to: url)
  }

  /// Reads and verifies an EDM teacher checkpoint; every failure names the file and the problem.
  /// A consistency model's checkpoint is refused by name.
  public static func read(from url: URL) throws(CheckpointError) -> EDMCheckpoint {
    let checkpoint = try CheckpointFile.read(
      EDMCheckpoint.self, from: url, kindOf: \.kind, accepts: { $0 == kindName },
      wrongKind: { kind in
        "\(url.path) is a \(kind) consistency-model checkpoint, not an edm teacher checkpoint"
      })
    // A valid checksum says the file is whole, not that its values are in range.
    let pendingOK =
      (checkpoint.pendingLossSum?.isFinite ?? true)
      && (0...100_000_000).contains(checkpoint.pendingSteps ?? 0)
    if let problem = checkpoint.state.problem ?? (pendingOK ? nil : "pending interval out of range") {
      throw CheckpointError(description: "checkpoint \(url.path) holds an invalid value: \(problem)")
    }
    return checkpoint
  }
}
