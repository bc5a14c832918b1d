// STYLE.md rule 10: formatting is automated. The checked-in .swift-format configuration (2-space
// indent, 110 columns, the paper's capital symbols N, K, D, T allowed) must leave nothing to fix.
// Run `swift format format -i -r Sources Tests Tutorials Package.swift` to apply it.

import Foundation
import Testing
import _TestSupport

@Suite struct FormattingTests {
  @Test func sourcesAreFormattedByTheCheckedInConfiguration() throws {
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
