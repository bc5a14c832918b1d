// Saving and restoring a training run: θ, θ⁻, the optimiser, the random source and the config.

import CMCore
import CMNetwork
import Foundation

/// A checkpoint could not be read; says which file and what is wrong with it.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
  public var description: String
}

/// A training run frozen between two steps, as `cm train` writes it.
///
/// The file is one header line of JSON, then the payload (JSON):
///
/// ```
/// {"format":"cm-checkpoint","version":1,"kind":"ct","payloadBytes":N,"fnv1a64":"…"}\n
/// {"state":{…},"history":[…]}
/// ```
///
/// The header's length and FNV-1a-64 checksum of the payload catch truncation and corruption
/// before any value is trusted. Floats are written by Swift's shortest round-trip printing, so
/// θ, θ⁻, Adam's moments and the generator's state come back bit for bit, and a resumed run
/// continues exactly where the saved one stopped. Files are written atomically (temporary file,
/// then rename), so a failed save never damages an existing checkpoint.
public struct Checkpoint: Codable, Sendable, Equatable {
  /// Which training algorithm produced it: "ct" (Algorithm 3), "cd" (Algorithm 2), "edm" (a
  /// diffusion teacher).
  public var kind: String
  /// The full state after `state.k` steps.
  public var state: TrainingState<Float>
  /// One record per logging interval so far.
  public var history: [StepRecord]

  public init(kind: String, state: TrainingState<Float>, history: [StepRecord]) {
    self.kind = kind
    self.state = state
    self.history = history
  }

  static let format = "cm-checkpoint"
  static let version = 1

  private struct Header: Codable {
    var format: String
    var version: Int
    var kind: String
    var payloadBytes: Int
    var fnv1a64: String
  }

  /// The file's bytes: header line, then payload.
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let payload = try encoder.encode(self)
    let header = Header(
      format: Self.format, version: Self.version, kind: kind, payloadBytes: payload.count,
      fnv1a64: String(fnv1a64(payload), radix: 16))
    var data = try encoder.encode(header)
    data.append(0x0A)
    data.append(payload)
    return data
  }

  /// Writes the checkpoint atomically to `url`.
  public func write(to url: URL) throws {
    try writeAtomically(try encoded(), to: url)
  }

  /// Reads and verifies a checkpoint; every failure names the file and the problem.
  public static func read(from url: URL) throws(CheckpointError) -> Checkpoint {
    let path = url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw CheckpointError(description: "cannot read checkpoint \(path): \(reason(error))")
    }
    guard let newline = data.firstIndex(of: 0x0A),
      let header = try? JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline]),
      header.format == format
    else {
      throw CheckpointError(description: "\(path) is not a cm checkpoint (no cm-checkpoint header)")
    }
    guard header.version == version else {
      throw CheckpointError(
        description: "\(path) is checkpoint version \(header.version); this cm reads version \(version)")
    }
    let payload = data[(newline + 1)...]
    guard payload.count == header.payloadBytes else {
      throw CheckpointError(
        description:
          "checkpoint \(path) is truncated or padded: \(payload.count) payload bytes, header says \(header.payloadBytes)"
      )
    }
    guard String(fnv1a64(payload), radix: 16) == header.fnv1a64 else {
      throw CheckpointError(description: "checkpoint \(path) is corrupt: its checksum does not match")
    }
    do {
      let checkpoint = try JSONDecoder().decode(Checkpoint.self, from: Data(payload))
      guard checkpoint.kind == header.kind else {
        throw CheckpointError(description: "checkpoint \(path) is inconsistent: header and payload disagree on its kind")
      }
      return checkpoint
    } catch let error as CheckpointError {
      throw error
    } catch {
      throw CheckpointError(description: "checkpoint \(path) has a valid checksum but cannot be decoded: \(error)")
    }
  }
}

/// FNV-1a, 64-bit (Fowler, Noll & Vo): a fast checksum that catches truncation and bit rot.
func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in bytes {
    hash ^= UInt64(byte)
    hash &*= 0x0000_0100_0000_01b3
  }
  return hash
}

private func reason(_ error: Error) -> String {
  let nsError = error as NSError
  if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
    return underlying.localizedDescription
  }
  return nsError.localizedDescription
}
