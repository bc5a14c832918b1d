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
/// - Anything that is not a regular file (a FIFO, a device, a socket, a folder) is refused before
///   anything is written: renaming over it would replace the node. So is a path that names a file
///   descriptor (/dev/stdout, /dev/fd/N, /proc/PID/fd/N): what it points to is another process's
///   business, not a file to replace.
/// - The new file keeps the permission bits of the file it replaces (a new file gets 0666 less the
///   umask); the temporary file is created with O_EXCL | O_NOFOLLOW, so it is never an existing
///   file or a link planted by someone else.
public func writeAtomically(_ data: Data, to url: URL) throws(FileWriteError) {
  let destination = try resolvedDestination(url)
  let temporary = temporaryURL(for: destination.url, suffix: "")
  do {
    try writeTemporary(data, to: temporary, mode: destination.mode)
  } catch {
    throw FileWriteError(path: url.path, reason: error.reason)
  }
  if rename(temporary.path, destination.url.path) != 0 {
    let reason = systemReason()
    unlink(temporary.path)
    throw FileWriteError(path: url.path, reason: reason)
  }
}

/// `.NAME.tmp-PID` (plus `suffix`) beside `destination`.
private func temporaryURL(for destination: URL, suffix: String) -> URL {
  destination.deletingLastPathComponent().appendingPathComponent(
    ".\(destination.lastPathComponent)\(temporaryMarker)\(getpid())\(suffix)")
}

/// Creates `temporary` (which must not exist: a leftover of ours by that name is removed first),
/// writes `data`, sets `mode` if given, and flushes it to disk; on failure removes it.
private func writeTemporary(_ data: Data, to temporary: URL, mode: mode_t?) throws(FileWriteError) {
  let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
  var fd = open(temporary.path, flags, 0o666)
  if fd < 0 && errno == EEXIST {
    // Our own name (this process's id): left by an earlier write of ours, or by a dead process
    // that had our id. unlink removes a link itself, never its target.
    unlink(temporary.path)
    fd = open(temporary.path, flags, 0o666)
  }
  guard fd >= 0 else { throw FileWriteError(path: temporary.path, reason: systemReason()) }
  var failure: String? = nil
  if let mode, fchmod(fd, mode) != 0 { failure = systemReason() }
  data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
    var offset = 0
    while failure == nil && offset < bytes.count {
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
  if let failure {
    unlink(temporary.path)
    throw FileWriteError(path: temporary.path, reason: failure)
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
    let destination: (url: URL, mode: mode_t?)
    do {
      destination = try resolvedDestination(file.url)
    } catch {
      discard()
      throw error
    }
    let temporary = temporaryURL(for: destination.url, suffix: "-staged")
    do {
      try writeTemporary(file.data, to: temporary, mode: destination.mode)
    } catch {
      discard()
      throw FileWriteError(path: file.url.path, reason: error.reason)
    }
    staged.append((temporary, destination.url, file.url))
  }
  for (index, s) in staged.enumerated() where rename(s.temporary.path, s.destination.path) != 0 {
    let reason = systemReason()
    for rest in staged[index...] { unlink(rest.temporary.path) }
    throw FileWriteError(path: s.original.path, reason: reason)
  }
}

/// Whether `path` (absolute) names a file descriptor rather than a file: /dev/stdin, /dev/stdout,
/// /dev/stderr, anything under /dev/fd or /proc/PID/fd (/proc/self/fd, /proc/thread-self/fd).
func namesFileDescriptor(_ path: String) -> Bool {
  let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
  return standardized.range(
    of: "^(/dev/std(in|out|err)$|/dev/fd(/|$)|/proc/[^/]+/fd(/|$)|/proc/[^/]+/task/[^/]+/fd(/|$))",
    options: .regularExpression) != nil
}

/// The canonical absolute path of an existing `path` (symbolic links followed), from realpath(3).
func canonicalPath(_ path: String) -> String? {
  guard let resolved = realpath(path, nil) else { return nil }
  defer { free(resolved) }
  return String(cString: resolved)
}

/// The path a write to `url` must replace, found with realpath(3) and stat(2) (which follow
/// symbolic links the way the kernel does), and the permission bits of the file there (nil when
/// there is none yet). Throws if that is an existing node other than a regular file, or a path
/// naming a file descriptor.
func resolvedDestination(_ url: URL) throws(FileWriteError) -> (url: URL, mode: mode_t?) {
  try resolvedDestination(url.path, original: url.path, depth: 0)
}

private func resolvedDestination(_ path: String, original: String, depth: Int) throws(FileWriteError) -> (
  url: URL, mode: mode_t?
) {
  let name = URL(fileURLWithPath: path).lastPathComponent
  guard !path.isEmpty, name != "/", name != ".", name != ".." else {
    throw FileWriteError(path: original, reason: "not a file name")
  }
  guard depth < 40 else { throw FileWriteError(path: original, reason: "too many levels of symbolic links") }
  let absolute = URL(fileURLWithPath: path).path
  func refuseDescriptor(_ candidate: String) throws(FileWriteError) {
    if namesFileDescriptor(candidate) {
      throw FileWriteError(
        path: original,
        reason:
          "it names a file descriptor (\(candidate)), not a file; nothing was written (give a file name, and redirect or copy it)"
      )
    }
  }
  try refuseDescriptor(absolute)
  let folder = URL(fileURLWithPath: absolute).deletingLastPathComponent().path
  // The folder through its links and "..": a path such as /dev/fd/../fd/1 or LINK/1 with LINK
  // pointing at /proc/self/fd.
  if let realFolder = canonicalPath(folder) {
    try refuseDescriptor(URL(fileURLWithPath: realFolder).appendingPathComponent(name).path)
  }
  var info = stat()
  if lstat(absolute, &info) != 0 {
    guard errno == ENOENT else { throw FileWriteError(path: original, reason: systemReason()) }
    // Nothing there yet: the file will be created in the folder's canonical path.
    guard let realFolder = canonicalPath(folder) else {
      throw FileWriteError(path: original, reason: systemReason())
    }
    let created = URL(fileURLWithPath: realFolder).appendingPathComponent(name).path
    try refuseDescriptor(created)
    return (URL(fileURLWithPath: created), nil)
  }
  if info.st_mode & S_IFMT == S_IFLNK {
    // The link's own text is read only to refuse a link to a descriptor (a link to /dev/stdout
    // when standard output is a file: realpath would name that file, which is not ours to
    // replace) and to follow a dangling link; stat(2) and realpath(3) follow the rest.
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(absolute, &buffer, buffer.count - 1)
    guard count >= 0 else { throw FileWriteError(path: original, reason: systemReason()) }
    let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let next =
      target.hasPrefix("/") ? target : URL(fileURLWithPath: folder).appendingPathComponent(target).path
    try refuseDescriptor(next)
    if stat(absolute, &info) != 0 {
      guard errno == ENOENT else { throw FileWriteError(path: original, reason: systemReason()) }
      // A dangling link: the write creates its target, which is resolved in turn.
      return try resolvedDestination(next, original: original, depth: depth + 1)
    }
    if lstat(next, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK {
      // A chain of links: each is checked in turn (stat has already found a node at its end).
      return try resolvedDestination(next, original: original, depth: depth + 1)
    }
    guard stat(absolute, &info) == 0 else { throw FileWriteError(path: original, reason: systemReason()) }
  }
  // stat(2) has followed every link: this is the node a rename would replace.
  guard info.st_mode & S_IFMT == S_IFREG else {
    throw FileWriteError(
      path: original, reason: "it is \(nodeKind(info.st_mode)), not a regular file; nothing was written")
  }
  guard let real = canonicalPath(absolute) else {
    throw FileWriteError(path: original, reason: systemReason())
  }
  try refuseDescriptor(real)
  return (URL(fileURLWithPath: real), info.st_mode & 0o7777)
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

/// Removes the temporary files and folders that writers which no longer run left in `folder` (a
/// process killed with SIGKILL in the middle of a write, or of a comparison, cannot clean up after
/// itself). Only names of cm's own exact pattern are touched, and only when the process whose id
/// they carry is gone:
///
/// ```
/// .NAME.tmp-PID            a file being written, or a staging folder (StagingFolder)
/// .NAME.tmp-PID-staged     a file of a set committed together (and .NAME.tmp-PID-staged.tmp-PID)
/// .NAME.old.tmp-PID        an old output moved aside while a staging folder is committed
/// ```
///
/// Returns the names removed.
@discardableResult
public func removeStaleTemporaryFiles(in folder: URL) -> [String] {
  guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
  var removed: [String] = []
  for name in names.sorted() {
    guard let pid = temporaryNameOwner(name) else { continue }
    // kill(pid, 0) fails with ESRCH when no such process exists.
    guard pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH else { continue }
    let path = folder.appendingPathComponent(name).path
    var info = stat()
    guard lstat(path, &info) == 0 else { continue }
    if info.st_mode & S_IFMT == S_IFDIR {
      // A staging folder (or an old output moved aside): only these are whole folders.
      guard !name.hasSuffix("-staged") else { continue }
      if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(name) }
    } else if unlink(path) == 0 {
      removed.append(name)
    }
  }
  return removed
}

/// The process id in a name of cm's temporary pattern (`.NAME.tmp-PID`, `.NAME.tmp-PID-staged`),
/// or nil when the name does not match it exactly.
func temporaryNameOwner(_ name: String) -> Int32? {
  guard
    let match = name.range(of: "^\\..+\\.tmp-[1-9][0-9]{0,9}(-staged)?$", options: .regularExpression),
    match == name.startIndex..<name.endIndex,
    let marker = name.range(of: temporaryMarker, options: .backwards)
  else { return nil }
  let digits = name[marker.upperBound...].prefix { $0.isASCII && $0.isNumber }
  guard let pid = Int32(digits), pid > 0 else { return nil }
  return pid
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
