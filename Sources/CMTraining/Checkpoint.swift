// Saving and restoring a run: a consistency model (θ, θ⁻, the optimiser, the random source and
// the config) or an EDM diffusion teacher, in one file format with a verified header.

import CMCore
import CMNetwork
import Foundation

/// A checkpoint could not be read; says which file and what is wrong with it.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
  public var description: String
}

/// The file format every checkpoint shares: one header line of JSON, then the payload (JSON).
///
/// ```
/// {"format":"cm-checkpoint","version":2,"kind":"ct","payloadBytes":N,"fnv1a64":"…"}\n
/// {"kind":"ct","state":{…},"history":[…]}
/// ```
///
/// The header's length and FNV-1a-64 checksum of the payload catch truncation and corruption
/// before any value is trusted. Floats are written by Swift's shortest round-trip printing, so
/// every parameter, Adam's moments and the generator's state come back bit for bit, and a resumed
/// run continues exactly where the saved one stopped. Files are written atomically (temporary
/// file, then rename), so a failed save never damages an existing checkpoint.
///
/// The kind says what the payload is: "ct" or "cd", a consistency model (`Checkpoint`), or
/// "edm", a diffusion teacher (`EDMCheckpoint`). `kind(of:)` reads it from the header alone.
public enum CheckpointFile {
  static let format = "cm-checkpoint"
  /// 2 since session 2's CD release: the state gained θ_ema and the teacher, the config the
  /// method and CD's options (CD checkpoints from the commits just before were still labelled 1).
  static let version = 2

  struct Header: Codable {
    var format: String
    var version: Int
    var kind: String
    var payloadBytes: Int
    var fnv1a64: String
  }

  /// The kind written in the header of the checkpoint at `url` ("ct", "cd", "edm"), reading only
  /// the header: for choosing how to read the rest. The payload is verified by the `read` that
  /// follows.
  public static func kind(of url: URL) throws(CheckpointError) -> String {
    let path = url.path
    let head: Data
    do {
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      head = try handle.read(upToCount: 4096) ?? Data()
    } catch {
      throw CheckpointError(description: "cannot read checkpoint \(path): \(reason(error))")
    }
    return try header(of: head, path: path).kind
  }

  /// The file's bytes: header line, then the payload.
  static func encode<Payload: Encodable>(_ payload: Payload, kind: String) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let payload = try encoder.encode(payload)
    let header = Header(
      format: format, version: version, kind: kind, payloadBytes: payload.count,
      fnv1a64: String(fnv1a64(payload), radix: 16))
    var data = try encoder.encode(header)
    data.append(0x0A)
    data.append(payload)
    return data
  }

  /// Reads the checkpoint at `url`, checks that its kind is one `accepts` allows (else throws
  /// `wrongKind(kind)` as the message), verifies the payload and decodes it; every failure names
  /// the file and the problem.
  static func read<Payload: Decodable>(
    _: Payload.Type, from url: URL, kindOf payloadKind: (Payload) -> String,
    accepts: (String) -> Bool, wrongKind: (String) -> String
  ) throws(CheckpointError) -> Payload {
    let path = url.path
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw CheckpointError(description: "cannot read checkpoint \(path): \(reason(error))")
    }
    let header = try header(of: data, path: path)
    guard accepts(header.kind) else { throw CheckpointError(description: wrongKind(header.kind)) }
    let payload = data[(data.firstIndex(of: 0x0A)! + 1)...]
    guard payload.count == header.payloadBytes else {
      throw CheckpointError(
        description:
          "checkpoint \(path) is truncated or padded: \(payload.count) payload bytes, header says \(header.payloadBytes)"
      )
    }
    guard String(fnv1a64(payload), radix: 16) == header.fnv1a64 else {
      throw CheckpointError(description: "checkpoint \(path) is corrupt: its checksum does not match")
    }
    let decoded: Payload
    do {
      decoded = try JSONDecoder().decode(Payload.self, from: Data(payload))
    } catch {
      throw CheckpointError(
        description: "checkpoint \(path) has a valid checksum but cannot be decoded: \(error)")
    }
    guard payloadKind(decoded) == header.kind else {
      throw CheckpointError(
        description: "checkpoint \(path) is inconsistent: header and payload disagree on its kind")
    }
    return decoded
  }

  /// The header line at the start of `data`, checked for the format and version.
  private static func header(of data: Data, path: String) throws(CheckpointError) -> Header {
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
    return header
  }
}

/// A consistency-training or -distillation run frozen between two steps, as `cm train` writes it,
/// in the format of `CheckpointFile`.
public struct Checkpoint: Codable, Sendable, Equatable {
  /// Which training algorithm produced it: "ct" (Algorithm 3) or "cd" (Algorithm 2).
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
    // What TrainingState.init guarantees, checked again for a state that was decoded instead.
    let state = checkpoint.state
    guard checkpoint.kind == state.config.method.rawValue,
      (state.config.method == .cd) == (state.teacher != nil),
      state.theta.count == state.model.network.parameterCount,
      state.thetaMinus.count == state.theta.count, state.thetaEMA.count == state.theta.count
    else {
      throw CheckpointError(
        description:
          "checkpoint \(url.path) is inconsistent: its kind, method, teacher or parameter counts disagree")
    }
    return checkpoint
  }
}

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

  public init(state: EDMPretrainingState<Float>, history: [EDMStepRecord]) {
    self.state = state
    self.history = history
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
    try CheckpointFile.read(
      EDMCheckpoint.self, from: url, kindOf: \.kind, accepts: { $0 == kindName },
      wrongKind: { kind in
        "\(url.path) is a \(kind) consistency-model checkpoint, not an edm teacher checkpoint"
      })
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
