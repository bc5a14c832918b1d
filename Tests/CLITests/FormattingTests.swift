// STYLE.md rule 10: formatting is automated. The checked-in .swift-format configuration (2-space
// indent, 110 columns, the paper's capital symbols N, K, D, T allowed) must leave nothing to fix.
// Run `swift format format -i -r Sources Tests Tutorials Package.swift` to apply it. The layout
// swift-format produces changes between releases, so the check runs with the release the code was
// formatted with (6.3, the toolchain CI uses) and is skipped, saying so, with any other.

import Foundation
import Testing
import _TestSupport

/// The swift-format release the sources were formatted with.
private let pinnedFormatterRelease = "6.3"

/// `swift format --version`, or nil when the toolchain has no formatter.
private func formatterVersion() -> String? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["swift", "format", "--version"]
  let output = Pipe()
  process.standardOutput = output
  process.standardError = Pipe()
  guard (try? process.run()) != nil else { return nil }
  let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return process.terminationStatus == 0 ? text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
}

@Suite struct FormattingTests {
  @Test(
    .enabled(
      if: formatterVersion()?.hasPrefix(pinnedFormatterRelease + ".") == true,
      "needs swift-format \(pinnedFormatterRelease).x, the release the sources were formatted with"))
  func sourcesAreFormattedByTheCheckedInConfiguration() throws {
    let root = repositoryRoot()
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(".swift-format").path))
    let lint = Process()
    lint.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    lint.arguments = [
      "swift", "format", "lint", "--strict", "-r", "Sources", "Tests", "Tutorials", "Package.swift",
    ]
    lint.currentDirectoryURL = root
    let errors = Pipe()
    lint.standardError = errors
    lint.standardOutput = Pipe()
    try lint.run()
    let report = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    lint.waitUntilExit()
    #expect(lint.terminationStatus == 0, "swift format lint found:\n\(report)")
  }
}
