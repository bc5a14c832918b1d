// Writing files so that a reader never sees half of one, and nothing but the file is replaced.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file could not be written; names the path and the system's reason in plain words.
public struct FileWriteError: Error, CustomStringConvertible, Equatable {
  /// The path that could not be written.
  public var path: String
  /// The system's reason, in plain words.
  public var reason: String
  /// An error naming `path` and `reason`.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }
  public var description: String { "cannot write \(path): \(reason)" }
}

/// The prefix of every temporary file `writeAtomically` makes: `.NAME.tmp-PID`, hidden, beside
/// its destination, and named after the process that writes it (so that `removeStaleTemporaryFiles`
/// can tell a dead writer's leftovers from a live one's).
let temporaryMarker = ".tmp-"

/// Writes `data` to `url` atomically: to a temporary file in the destination's folder, flushed to
/// disk, then rename(2) over the destination.
///
/// - A crash, a kill or a full disk leaves either the old file or the new one, never a truncated
///   mix, and a failed write removes its temporary file.
/// - A symbolic link is followed: its target is replaced and the link stays a link.
/// - Anything that is not a regular file (a FIFO, a device such as /dev/stdout, a socket, a
///   folder) is refused before anything is written: renaming over it would replace the node.
public func writeAtomically(_ data: Data, to url: URL) throws(FileWriteError) {
  let destination = try resolvedDestination(url)
  let folder = destination.deletingLastPathComponent()
  let temporary = folder.appendingPathComponent(
    ".\(destination.lastPathComponent)\(temporaryMarker)\(getpid())")
  let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
  guard fd >= 0 else { throw FileWriteError(path: url.path, reason: systemReason()) }
  var failure: String? = nil
  data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
    var offset = 0
    while offset < bytes.count {
      let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        failure = systemReason()
        return
      }
      offset += written
    }
  }
  if failure == nil && fsync(fd) != 0 { failure = systemReason() }
  if close(fd) != 0 && failure == nil { failure = systemReason() }
  if failure == nil && rename(temporary.path, destination.path) != 0 { failure = systemReason() }
  if let failure {
    unlink(temporary.path)
    throw FileWriteError(path: url.path, reason: failure)
  }
}

/// Writes several files so that they are committed together: every file is written to its
/// temporary file and flushed first, and only when all are on disk are they renamed into place,
/// in order. A failure while writing (a full disk, a refused path) leaves every destination as
/// it was. (The renames themselves are separate system calls; between two of them only a power
/// cut can intervene.)
public func writeAtomically(_ files: [(data: Data, url: URL)]) throws(FileWriteError) {
  var staged: [(temporary: URL, destination: URL, original: URL)] = []
  func discard() { for s in staged { unlink(s.temporary.path) } }
  for file in files {
    let destination: URL
    do {
      destination = try resolvedDestination(file.url)
    } catch {
      discard()
      throw error
    }
    let temporary = destination.deletingLastPathComponent().appendingPathComponent(
      ".\(destination.lastPathComponent)\(temporaryMarker)\(getpid())-staged")
    do {
      // The temporary file itself is written atomically (it is a regular file of ours).
      try writeAtomically(file.data, to: temporary)
    } catch {
      discard()
      throw FileWriteError(path: file.url.path, reason: error.reason)
    }
    staged.append((temporary, destination, file.url))
  }
  for (index, s) in staged.enumerated() where rename(s.temporary.path, s.destination.path) != 0 {
    let reason = systemReason()
    for rest in staged[index...] { unlink(rest.temporary.path) }
    throw FileWriteError(path: s.original.path, reason: reason)
  }
}

/// The path a write to `url` must replace: `url` itself, or the target of the symbolic link(s)
/// it names. Throws if that is an existing node other than a regular file.
func resolvedDestination(_ url: URL) throws(FileWriteError) -> URL {
  guard !url.path.isEmpty, url.lastPathComponent != "/" else {
    throw FileWriteError(path: url.path, reason: "not a file name")
  }
  var path = url.path
  for _ in 0..<40 {
    var info = stat()
    if lstat(path, &info) != 0 {
      if errno == ENOENT { return URL(fileURLWithPath: path) }
      throw FileWriteError(path: url.path, reason: systemReason())
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      return URL(fileURLWithPath: path)
    case S_IFLNK:
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let count = readlink(path, &buffer, buffer.count - 1)
      guard count >= 0 else { throw FileWriteError(path: url.path, reason: systemReason()) }
      let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      path =
        target.hasPrefix("/")
        ? target : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(target).path
    default:
      throw FileWriteError(
        path: url.path, reason: "it is \(nodeKind(info.st_mode)), not a regular file; nothing was written")
    }
  }
  throw FileWriteError(path: url.path, reason: "too many levels of symbolic links")
}

/// "a folder", "a FIFO (named pipe)", … for a stat mode.
func nodeKind(_ mode: mode_t) -> String {
  switch mode & S_IFMT {
  case S_IFDIR: return "a folder"
  case S_IFIFO: return "a FIFO (named pipe)"
  case S_IFCHR: return "a character device"
  case S_IFBLK: return "a block device"
  case S_IFSOCK: return "a socket"
  default: return "a special file"
  }
}

/// Removes the temporary files that writers which no longer run left in `folder` (a process
/// killed with SIGKILL in the middle of a write cannot clean up after itself). Files of a live
/// process are left alone. Returns the names removed.
@discardableResult
public func removeStaleTemporaryFiles(in folder: URL) -> [String] {
  guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
  var removed: [String] = []
  for name in names where name.hasPrefix(".") {
    guard let marker = name.range(of: temporaryMarker, options: .backwards) else { continue }
    let digits = name[marker.upperBound...].prefix { $0.isNumber }
    guard let pid = Int32(digits), pid > 0 else { continue }
    // kill(pid, 0) fails with ESRCH when no such process exists.
    if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
      if unlink(folder.appendingPathComponent(name).path) == 0 { removed.append(name) }
    }
  }
  return removed
}

/// The bytes free for an unprivileged writer on the file system that holds `folder`, or nil when
/// the system cannot tell.
public func availableBytes(in folder: URL) -> Int64? {
  var info = statvfs()
  guard statvfs(folder.path, &info) == 0 else { return nil }
  return Int64(info.f_bavail) * Int64(info.f_frsize)
}

/// The C library's words for the current errno ("No space left on device").
func systemReason() -> String { String(cString: strerror(errno)) }
