// The folder of one training run (`cm train`, `cm pretrain`): its checkpoint and its log,
// written together, never over something they should not replace.

import CMStorage
import Foundation

/// The output folder of a run: `checkpoint` (the state) and `log.txt` (one line per interval).
///
/// - `prepare` refuses an empty path and a path that is not a folder, creates the folder if
///   missing, checks that it can be written, and removes temporary files that killed writers
///   left behind.
/// - `commit` writes the checkpoint and the log together: both are written and flushed first,
///   then renamed into place, so a failed log write commits no checkpoint (and the reverse).
public struct RunFolder: Sendable {
  /// The folder.
  public let url: URL
  /// The checkpoint file in it (`checkpoint.cmck`, `teacher.cmck`).
  public let checkpointURL: URL
  /// `log.txt`.
  public let logURL: URL

  /// Checks (and creates if missing) the folder at `path`, whose checkpoint is `checkpointName`.
  public static func prepare(path: String, checkpointName: String) throws(OutputPathError) -> RunFolder {
    guard !path.isEmpty else {
      throw OutputPathError("must name a folder (got an empty path)", isUsage: true)
    }
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw OutputPathError("\(path) exists and is not a folder", isUsage: true)
      }
    } else {
      do {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      } catch {
        throw OutputPathError("\(path) cannot be created: \(plainDescription(of: error))", isUsage: false)
      }
    }
    guard FileManager.default.isWritableFile(atPath: url.path) else {
      throw OutputPathError("\(path) is not writable", isUsage: false)
    }
    removeStaleTemporaryFiles(in: url)
    return RunFolder(
      url: url, checkpointURL: url.appendingPathComponent(checkpointName),
      logURL: url.appendingPathComponent("log.txt"))
  }

  /// Whether a checkpoint file (or anything by its name) is already there.
  public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: checkpointURL.path) }

  /// The log written so far, or "" when there is none.
  public func existingLog() -> String {
    (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
  }

  /// Refuses to start when the file system holding the folder has less than `bytes` free (a
  /// full disk is better found before the work than after it).
  public func requireFreeSpace(_ bytes: Int64) throws(OutputPathError) {
    guard let available = availableBytes(in: url), available < bytes else { return }
    throw OutputPathError(
      "\(url.path) has \(mebibytes(available)) free; saving this run needs about \(mebibytes(bytes))",
      isUsage: false)
  }

  /// Writes the checkpoint and the log together (see the type's documentation).
  public func commit(checkpoint: Data, log: String) throws(FileWriteError) {
    try writeAtomically([(checkpoint, checkpointURL), (Data(log.utf8), logURL)])
  }
}

/// "12.3 MiB".
func mebibytes(_ bytes: Int64) -> String {
  let value = Double(bytes) / 1_048_576
  return value >= 100 ? "\(Int(value.rounded())) MiB" : "\((value * 10).rounded() / 10) MiB"
}
