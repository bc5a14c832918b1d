// Writing files so that a reader never sees half of one.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file could not be written; names the path and the system's reason.
public struct FileWriteError: Error, CustomStringConvertible {
  public var path: String
  public var reason: String
  public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes `data` to `url` atomically: to a temporary file in the same folder, then rename(2)
/// over the destination. A crash or a full disk leaves either the old file or the new one, never
/// a truncated mix; an existing file is untouched when the write fails.
public func writeAtomically(_ data: Data, to url: URL) throws {
  let folder = url.deletingLastPathComponent()
  let temporary = folder.appendingPathComponent(
    ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
  do {
    try data.write(to: temporary, options: [])
  } catch {
    try? FileManager.default.removeItem(at: temporary)
    throw FileWriteError(path: url.path, reason: (error as NSError).localizedDescription)
  }
  if rename(temporary.path, url.path) != 0 {
    let reason = String(cString: strerror(errno))
    try? FileManager.default.removeItem(at: temporary)
    throw FileWriteError(path: url.path, reason: reason)
  }
}
