// Atomic writes: whole or not at all, through symlinks, never over a FIFO or a device, and
// several files committed together.

import Foundation
import Testing

@testable import CMStorage

#if canImport(Glibc)
  import Glibc
#endif

/// A fresh folder under the system's temporary directory.
func scratch() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("cm-storage-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct AtomicFileTests {
  @Test func writesAndReplacesAWholeFile() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("a.txt")
    try writeAtomically(Data("one".utf8), to: url)
    try writeAtomically(Data("two".utf8), to: url)
    #expect(try String(contentsOf: url, encoding: .utf8) == "two")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.txt"])
  }

  @Test func followsASymlinkAndKeepsIt() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("target.txt")
    let link = folder.appendingPathComponent("link.txt")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "target.txt")
    try writeAtomically(Data("through".utf8), to: link)
    #expect(try String(contentsOf: target, encoding: .utf8) == "through")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "target.txt")
  }

  @Test func refusesAFIFOAFolderAndADevice() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("fifo")
    #expect(mkfifo(fifo.path, 0o644) == 0)
    for (url, kind) in [
      (fifo, "FIFO"), (folder, "a folder"), (URL(fileURLWithPath: "/dev/null"), "character device"),
    ] {
      #expect {
        try writeAtomically(Data("x".utf8), to: url)
      } throws: { error in
        (error as? FileWriteError)?.reason.contains(kind) == true
      }
    }
    var info = stat()
    #expect(stat(fifo.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["fifo"], "no temporary file left")
  }

  /// A write that fails (here: the temporary file's name is taken by a folder, which fails for
  /// root too) leaves the old file as it was.
  @Test func aFailedWriteLeavesTheOldFile() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("a.txt")
    try writeAtomically(Data("old".utf8), to: url)
    let blocker = folder.appendingPathComponent(".a.txt.tmp-\(getpid())")
    try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
    #expect(throws: FileWriteError.self) { try writeAtomically(Data("new".utf8), to: url) }
    #expect(try String(contentsOf: url, encoding: .utf8) == "old")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
        blocker.lastPathComponent, "a.txt",
      ])
  }

  /// The same through permissions: root may write anyway, so the test is skipped (and reported as
  /// skipped) for root rather than passing without checking anything.
  @Test(.enabled(if: getuid() != 0, "root writes into a read-only folder; the case above covers root"))
  func aFailedWriteInAReadOnlyFolderLeavesTheOldFileAndNoTemporaryFile() throws {
    let folder = try scratch()
    defer {
      chmod(folder.path, 0o755)
      try? FileManager.default.removeItem(at: folder)
    }
    let url = folder.appendingPathComponent("a.txt")
    try writeAtomically(Data("old".utf8), to: url)
    chmod(folder.path, 0o555)
    #expect(throws: FileWriteError.self) { try writeAtomically(Data("new".utf8), to: url) }
    #expect(try String(contentsOf: url, encoding: .utf8) == "old")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.txt"])
  }

  /// The replaced file keeps its permission bits (alone and in a set committed together), and a
  /// link planted at the temporary file's name is neither followed nor left behind.
  @Test func keepsTheModeAndNeverFollowsAPlantedLink() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("a.txt")
    let other = folder.appendingPathComponent("b.txt")
    try writeAtomically(Data("old".utf8), to: url)
    try writeAtomically(Data("old".utf8), to: other)
    chmod(url.path, 0o640)
    chmod(other.path, 0o600)
    let victim = folder.appendingPathComponent("victim")
    try Data("victim".utf8).write(to: victim)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent(".a.txt.tmp-\(getpid())").path, withDestinationPath: victim.path)
    try writeAtomically(Data("new".utf8), to: url)
    try writeAtomically([(Data("new".utf8), other)])
    var info = stat()
    #expect(lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && info.st_mode & 0o7777 == 0o640)
    #expect(lstat(other.path, &info) == 0 && info.st_mode & 0o7777 == 0o600)
    #expect(try String(contentsOf: url, encoding: .utf8) == "new")
    #expect(try String(contentsOf: victim, encoding: .utf8) == "victim")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
        "a.txt", "b.txt", "victim",
      ])
  }

  /// /dev/stdout, /dev/fd/N and /proc/self/fd/N name descriptors, not files: refused even when the
  /// descriptor is a regular file (here one of ours, open, or open and deleted), directly or
  /// through a link; a link to a FIFO or to /dev/null is refused and both stay as they were.
  @Test func refusesDescriptorPathsAndLinksToSpecialFiles() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("open.txt")
    try Data("mine".utf8).write(to: file)
    let fd = open(file.path, O_RDONLY)
    #expect(fd >= 0)
    defer { close(fd) }
    let deleted = folder.appendingPathComponent("deleted.txt")
    try Data("gone".utf8).write(to: deleted)
    let deletedFD = open(deleted.path, O_RDONLY)
    #expect(deletedFD >= 0)
    defer { close(deletedFD) }
    unlink(deleted.path)
    let fifo = folder.appendingPathComponent("fifo")
    #expect(mkfifo(fifo.path, 0o644) == 0)
    var links: [String] = []
    for (name, target) in [
      ("to-fd", "/dev/fd/\(fd)"), ("to-fifo", fifo.path), ("to-null", "/dev/null"),
      ("to-stdout", "/dev/stdout"),
    ] {
      let link = folder.appendingPathComponent(name)
      try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target)
      links.append(link.path)
    }
    let paths =
      [
        "/dev/stdout", "/dev/fd/\(fd)", "/proc/self/fd/\(fd)", "/proc/\(getpid())/fd/\(fd)",
        "/proc/self/fd/\(deletedFD)", "/dev/fd/../fd/\(fd)",
      ] + links
    for path in paths {
      #expect(throws: FileWriteError.self, "\(path)") {
        try writeAtomically(Data("x".utf8), to: URL(fileURLWithPath: path))
      }
    }
    #expect(try String(contentsOf: file, encoding: .utf8) == "mine")
    var info = stat()
    #expect(stat(fifo.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        == ["fifo", "open.txt", "to-fd", "to-fifo", "to-null", "to-stdout"],
      "nothing created (no \"deleted.txt (deleted)\") and no temporary file left")
  }

  @Test func severalFilesAreCommittedTogetherOrNotAtAll() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = folder.appendingPathComponent("a")
    let b = folder.appendingPathComponent("b")
    try writeAtomically([(Data("a1".utf8), a), (Data("b1".utf8), b)])
    #expect(try String(contentsOf: a, encoding: .utf8) == "a1")
    #expect(try String(contentsOf: b, encoding: .utf8) == "b1")
    // b is now a folder: the pair is refused before either file changes.
    try FileManager.default.removeItem(at: b)
    try FileManager.default.createDirectory(at: b, withIntermediateDirectories: false)
    #expect(throws: FileWriteError.self) {
      try writeAtomically([(Data("a2".utf8), a), (Data("b2".utf8), b)])
    }
    #expect(try String(contentsOf: a, encoding: .utf8) == "a1")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["a", "b"])
  }

  @Test func staleTemporaryFilesOfDeadWritersAreRemoved() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let dead = Process()
    dead.executableURL = URL(fileURLWithPath: "/bin/true")
    try dead.run()
    dead.waitUntilExit()
    let stale = ".a.tmp-\(dead.processIdentifier)"
    let live = ".b.tmp-\(getpid())"
    for name in [stale, live, ".c.tmp-x", "d"] {
      try Data().write(to: folder.appendingPathComponent(name))
    }
    #expect(removeStaleTemporaryFiles(in: folder) == [stale])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        == [live, ".c.tmp-x", "d"].sorted())
  }

  /// An interrupted comparison's staging folder (and an old output moved aside) is a folder:
  /// removed with its contents when its process is gone; names that only resemble the pattern stay.
  @Test func staleStagingFoldersAreRemovedOnlyWhenTheNameMatchesExactly() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let dead = Process()
    dead.executableURL = URL(fileURLWithPath: "/bin/true")
    try dead.run()
    dead.waitUntilExit()
    let pid = dead.processIdentifier
    let stale = [".out.tmp-\(pid)", ".out.old.tmp-\(pid)", ".a.tmp-\(pid)-staged"]
    let kept = [
      ".out.tmp-\(pid)x", "out.tmp-\(pid)", ".out.tmp-\(pid).bak", ".tmp-\(pid)", ".out.tmp-0\(pid)",
      ".b.tmp-\(pid)-staged-dir",
    ]
    for name in stale.dropLast() + kept {
      let sub = folder.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: false)
      try Data("figure".utf8).write(to: sub.appendingPathComponent("samples.png"))
    }
    try Data().write(to: folder.appendingPathComponent(stale.last!))
    #expect(removeStaleTemporaryFiles(in: folder).sorted() == stale.sorted())
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == kept.sorted())
  }

  @Test func aStagingFolderReplacesItsDestinationWholeOrLeavesIt() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let destination = folder.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
    try Data("old".utf8).write(to: destination.appendingPathComponent("stale.png"))
    try Data("{}".utf8).write(to: destination.appendingPathComponent("summary.json"))
    let isEarlierOutput: (URL) -> Bool = {
      FileManager.default.fileExists(atPath: $0.appendingPathComponent("summary.json").path)
    }
    // Discarded: the destination is as it was.
    let abandoned = try StagingFolder(
      destination: destination.path, force: false, replaceable: isEarlierOutput)
    try Data("new".utf8).write(to: abandoned.url.appendingPathComponent("summary.json"))
    abandoned.discard()
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: destination.path).sorted() == [
        "stale.png", "summary.json",
      ])
    // Committed: only the new files are there.
    let staging = try StagingFolder(destination: destination.path, force: false, replaceable: isEarlierOutput)
    try Data("new".utf8).write(to: staging.url.appendingPathComponent("summary.json"))
    try staging.commit()
    #expect(try FileManager.default.contentsOfDirectory(atPath: destination.path) == ["summary.json"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out"])
    // A symbolic link to the folder: the outputs land in its target and the link stays a link.
    let link = folder.appendingPathComponent("link")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "out")
    let throughLink = try StagingFolder(destination: link.path, force: false, replaceable: isEarlierOutput)
    try Data("newer".utf8).write(to: throughLink.url.appendingPathComponent("summary.json"))
    try throughLink.commit()
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "out")
    #expect(
      try String(contentsOf: destination.appendingPathComponent("summary.json"), encoding: .utf8) == "newer")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["link", "out"])
    // A folder holding something else is refused unless forced.
    try Data("mine".utf8).write(to: folder.appendingPathComponent("other.txt"))
    #expect(throws: OutputPathError.self) {
      _ = try StagingFolder(destination: folder.path, force: false, replaceable: isEarlierOutput)
    }
    // Forced, the files it did not write are moved aside, not deleted.
    let mine = folder.appendingPathComponent("mine")
    try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: false)
    try Data("notes".utf8).write(to: mine.appendingPathComponent("notes.txt"))
    let forced = try StagingFolder(destination: mine.path, force: true, replaceable: isEarlierOutput)
    #expect(forced.keepsOld)
    try Data("{}".utf8).write(to: forced.url.appendingPathComponent("summary.json"))
    let aside = try forced.commit()
    #expect(aside?.lastPathComponent == "mine.replaced-1")
    #expect(try FileManager.default.contentsOfDirectory(atPath: mine.path) == ["summary.json"])
    #expect(
      try String(contentsOf: folder.appendingPathComponent("mine.replaced-1/notes.txt"), encoding: .utf8)
        == "notes")
    // An earlier output is still replaced (and removed) as before.
    let again = try StagingFolder(destination: mine.path, force: true, replaceable: isEarlierOutput)
    #expect(!again.keepsOld)
    #expect(try again.commit() == nil)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
        "link", "mine", "mine.replaced-1", "other.txt", "out",
      ])
  }
}
