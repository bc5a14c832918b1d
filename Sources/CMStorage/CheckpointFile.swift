// The file format every checkpoint shares, with a verified header: one header line of JSON, then
// the payload. What the payload holds is its owner's business (CMTraining, CMTeacher).

import Foundation

/// A checkpoint could not be read; says which file and what is wrong with it.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
  public var description: String
  /// Whether the file could not be read at all (missing, a folder, no permission) rather than
  /// read and found wrong: an I/O failure rather than a bad argument.
  public var cannotRead: Bool
  /// An error with its message; `cannotRead` is true for an I/O failure.
  public init(description: String, cannotRead: Bool = false) {
    self.description = description
    self.cannotRead = cannotRead
  }
}

/// Refuses, in plain words, a path that is not a readable regular file.
func requireReadableFile(_ url: URL) throws(CheckpointError) {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
    throw CheckpointError(description: "\(url.path) does not exist", cannotRead: true)
  }
  guard !isFolder.boolValue else {
    throw CheckpointError(description: "\(url.path) is a folder, not a checkpoint file", cannotRead: true)
  }
  guard FileManager.default.isReadableFile(atPath: url.path) else {
    throw CheckpointError(description: "\(url.path) cannot be read (permission denied)", cannotRead: true)
  }
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
  /// "cm-checkpoint", the header's `format`: what marks a file as a checkpoint.
  public static let format = "cm-checkpoint"
  /// 2 since session 2's CD release: the state gained θ_ema and the teacher, the config the
  /// method and CD's options (CD checkpoints from the commits just before were still labelled 1).
  public static let version = 2

  /// The first line of every checkpoint file, as JSON.
  public struct Header: Codable, Sendable {
    /// Always `CheckpointFile.format`.
    public var format: String
    /// The format version, `CheckpointFile.version` when written.
    public var version: Int
    /// What the payload is: "ct", "cd" or "edm".
    public var kind: String
    /// The payload's length in bytes (catches truncation).
    public var payloadBytes: Int
    /// The FNV-1a-64 checksum of the payload, in hexadecimal (catches corruption).
    public var fnv1a64: String
  }

  /// The kind written in the header of the checkpoint at `url` ("ct", "cd", "edm"), reading only
  /// the header: for choosing how to read the rest. The payload is verified by the `read` that
  /// follows.
  public static func kind(of url: URL) throws(CheckpointError) -> String {
    let path = url.path
    try requireReadableFile(url)
    let head: Data
    do {
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      head = try handle.read(upToCount: 4096) ?? Data()
    } catch {
      throw CheckpointError(
        description: "cannot read checkpoint \(path): \(plainDescription(of: error))", cannotRead: true)
    }
    return try header(of: head, path: path).kind
  }

  /// The file's bytes: header line, then the payload.
  public static func encode<Payload: Encodable>(_ payload: Payload, kind: String) throws -> Data {
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
  public static func read<Payload: Decodable>(
    _: Payload.Type, from url: URL, kindOf payloadKind: (Payload) -> String,
    accepts: (String) -> Bool, wrongKind: (String) -> String
  ) throws(CheckpointError) -> Payload {
    let path = url.path
    try requireReadableFile(url)
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw CheckpointError(
        description: "cannot read checkpoint \(path): \(plainDescription(of: error))", cannotRead: true)
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

/// FNV-1a, 64-bit (Fowler, Noll & Vo): a fast checksum that catches truncation and bit rot.
public func fnv1a64<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in bytes {
    hash ^= UInt64(byte)
    hash &*= 0x0000_0100_0000_01b3
  }
  return hash
}

/// The plain-words reason of a Foundation error: the underlying error's description when there is
/// one (say "No space left on device"), not Foundation's wrapper sentence.
public func plainDescription(of error: Error) -> String {
  let nsError = error as NSError
  if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
    return underlying.localizedDescription
  }
  return nsError.localizedDescription
}
