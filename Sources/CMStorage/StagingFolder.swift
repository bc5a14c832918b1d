// A folder of outputs that appears whole or not at all: written beside its destination, then
// renamed into place.

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A new folder that replaces `destination` only when `commit()` is called, so a reader never
/// sees a mix of an old run's files and a new one's (a stale figure listed as current).
///
/// ```
/// parent/.NAME.tmp-PID     everything is written here first
/// commit: NAME → .NAME.old.tmp-PID,  .NAME.tmp-PID → NAME,  remove .NAME.old.tmp-PID
/// ```
///
/// The destination may be missing, an empty folder, or a folder `replaceable` accepts (an
/// earlier output of the same command); anything else is refused before any work, unless
/// forced, and then moved aside (to `NAME.replaced-N`) rather than deleted. `discard()` (also
/// on failure or interruption) removes the staging folder and leaves
/// the destination as it was.
public final class StagingFolder: @unchecked Sendable {
  /// Where the outputs go on commit.
  public let destination: URL
  /// Where they are written until then.
  public let url: URL
  private var committed = false
  /// Whether the destination holds files this command did not write (allowed by `force`): on
  /// commit they are moved aside, never deleted.
  public let keepsOld: Bool

  /// Checks `path` and creates the staging folder beside it. `replaceable` says whether an
  /// existing non-empty folder is an earlier output that may be replaced.
  public init(
    destination path: String, force: Bool, replaceable: (URL) -> Bool
  ) throws(OutputPathError) {
    guard !path.isEmpty else {
      throw OutputPathError("must name a folder (got an empty path)", isUsage: true)
    }
    // A symbolic link to a folder is resolved first: the outputs replace its target, and the
    // link stays a link (renaming onto the link's path would replace the link itself).
    let given = URL(fileURLWithPath: path).standardizedFileURL
    var info = stat()
    if lstat(given.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK {
      guard let target = canonicalPath(given.path) else {
        throw OutputPathError(
          "\(path) is a symbolic link to nothing that exists (\(systemReason())); create its target folder or choose another folder",
          isUsage: true)
      }
      destination = URL(fileURLWithPath: target)
    } else {
      destination = given
    }
    var isFolder: ObjCBool = false
    var foreign = false
    if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw OutputPathError("\(path) exists and is not a folder", isUsage: true)
      }
      let contents = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
      foreign = !contents.isEmpty && !replaceable(destination)
      if !force && foreign {
        throw OutputPathError(
          "\(path) holds other files (not an earlier output of this command); choose another folder, or give --force to move them aside",
          isUsage: true)
      }
    }
    keepsOld = foreign
    let parent = destination.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    } catch {
      throw OutputPathError(
        "\(parent.path) cannot be created: \(plainDescription(of: error))", isUsage: false)
    }
    removeStaleTemporaryFiles(in: parent)
    url = parent.appendingPathComponent(".\(destination.lastPathComponent)\(temporaryMarker)\(getpid())")
    try? FileManager.default.removeItem(at: url)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    } catch {
      throw OutputPathError("\(parent.path) is not writable: \(plainDescription(of: error))", isUsage: false)
    }
  }

  /// Moves the staging folder into place, replacing the destination (see the type's
  /// documentation). A destination holding files this command did not write (`keepsOld`) is
  /// moved aside to `NAME.replaced-N` beside it instead of removed; returns that folder, if any.
  @discardableResult
  public func commit() throws(OutputPathError) -> URL? {
    let parent = destination.deletingLastPathComponent()
    var old = parent.appendingPathComponent(
      ".\(destination.lastPathComponent).old\(temporaryMarker)\(getpid())")
    if keepsOld {
      var info = stat()
      var n = 1
      repeat {
        old = parent.appendingPathComponent("\(destination.lastPathComponent).replaced-\(n)")
        n += 1
      } while lstat(old.path, &info) == 0
    }
    let hadOld = FileManager.default.fileExists(atPath: destination.path)
    if hadOld && rename(destination.path, old.path) != 0 {
      throw OutputPathError(
        "cannot move the old \(destination.path) aside: \(systemReason())", isUsage: false)
    }
    if rename(url.path, destination.path) != 0 {
      let reason = systemReason()
      if hadOld { rename(old.path, destination.path) }
      throw OutputPathError("cannot move the new outputs into \(destination.path): \(reason)", isUsage: false)
    }
    committed = true
    if hadOld && keepsOld { return old }
    if hadOld { try? FileManager.default.removeItem(at: old) }
    return nil
  }

  /// Removes the staging folder unless it was committed.
  public func discard() {
    if !committed { try? FileManager.default.removeItem(at: url) }
  }
}

/// A refused output path, in plain words; the caller prefixes the flag.
public struct OutputPathError: Error, CustomStringConvertible, Equatable {
  public var description: String
  /// A bad choice of path (usage) rather than a failing system (I/O).
  public var isUsage: Bool
  /// An error with its message; `isUsage` is true for a bad choice of path.
  public init(_ description: String, isUsage: Bool) {
    self.description = description
    self.isUsage = isUsage
  }
}
