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

  @Test func aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws {
    let folder = try scratch()
    defer {
      chmod(folder.path, 0o755)
      try? FileManager.default.removeItem(at: folder)
    }
    let url = folder.appendingPathComponent("a.txt")
    try writeAtomically(Data("old".utf8), to: url)
    // A folder that cannot be written (as root, a read-only bind is not at hand: skip then).
    chmod(folder.path, 0o555)
    if access(folder.path, W_OK) == 0 { return }
    #expect(throws: FileWriteError.self) { try writeAtomically(Data("new".utf8), to: url) }
    #expect(try String(contentsOf: url, encoding: .utf8) == "old")
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
    // A folder holding something else is refused unless forced.
    try Data("mine".utf8).write(to: folder.appendingPathComponent("other.txt"))
    #expect(throws: OutputPathError.self) {
      _ = try StagingFolder(destination: folder.path, force: false, replaceable: isEarlierOutput)
    }
  }
}
