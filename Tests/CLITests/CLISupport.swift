// Running the built `cm` and reading what it printed: the helpers every CLI test shares.

import Foundation
import Testing
import _TestSupport

/// Runs `cm` with the given arguments.
func cm(_ arguments: [String]) throws -> ProcessResult {
  try runProduct("cm", arguments)
}

/// Runs `cm`, checks that it succeeded with one newline-terminated line of JSON whose keys come
/// in the given order and nothing on stderr, and decodes that line.
func inspect<Output: Decodable>(
  _ arguments: [String], as _: Output.Type, keys: [String],
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> Output {
  let result = try cm(arguments)
  #expect(result.status == 0, "cm \(arguments) failed: \(result.stderr)", sourceLocation: sourceLocation)
  #expect(result.stderr.isEmpty, sourceLocation: sourceLocation)
  #expect(result.stdout.hasSuffix("\n"), sourceLocation: sourceLocation)
  #expect(result.stdout.filter { $0 == "\n" }.count == 1, "one line", sourceLocation: sourceLocation)
  #expect(topLevelKeys(result.stdout) == keys, sourceLocation: sourceLocation)
  expectNumbersRoundTrip(result.stdout, sourceLocation: sourceLocation)
  return try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
}

/// The keys of a one-line JSON object in the order printed.
func topLevelKeys(_ line: String) -> [String] {
  guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
  else { return [] }
  // Every key is followed by `":`; order them by where they first appear as `"key":`.
  return object.keys.sorted {
    line.range(of: "\"\($0)\":")!.lowerBound < line.range(of: "\"\($1)\":")!.lowerBound
  }
}

/// Every number in the line is printed in Swift's shortest round-trip form, which is valid JSON:
/// reading it back and printing it again gives the same text (so no digit is lost or invented).
func expectNumbersRoundTrip(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) {
  // The tokens outside quoted keys, between the separators `{ } [ ] : ,`.
  var inString = false
  var token = ""
  var numbers: [String] = []
  for character in line {
    if character == "\"" {
      inString.toggle()
    } else if !inString && "{}[]:,\n".contains(character) {
      if !token.isEmpty { numbers.append(token) }
      token = ""
    } else if !inString {
      token.append(character)
    }
  }
  for text in numbers {
    let value = Double(text)
    #expect(value?.isFinite == true, "\(text) is not a finite number", sourceLocation: sourceLocation)
    if let value, text.contains(".") || text.contains("e") {
      #expect(value.description == text, sourceLocation: sourceLocation)
    }
  }
}

/// An invalid invocation: `cm` must fail with a usage status, print nothing on stdout, and print
/// exactly one line on stderr that starts with `error:` and names the flag.
struct BadInput: Sendable, CustomTestStringConvertible {
  var arguments: [String]
  /// The flag (or word) the error line must mention.
  var names: String
  /// The exit status: 64 for a bad argument, 74 for a file that cannot be read or written.
  var status: Int32

  init(_ arguments: [String], names: String, status: Int32 = 64) {
    self.arguments = arguments
    self.names = names
    self.status = status
  }

  var testDescription: String { arguments.joined(separator: " ") }
}

func expectUsageError(_ input: BadInput, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let result = try cm(input.arguments)
  #expect(result.status != 0, sourceLocation: sourceLocation)
  #expect(
    result.status == input.status, "exits with \(input.status), got \(result.status)",
    sourceLocation: sourceLocation)
  #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
  let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
  #expect(
    lines.count == 2 && lines[1].isEmpty, "exactly one line: \(result.stderr)", sourceLocation: sourceLocation
  )
  #expect(result.stderr.hasPrefix("error: "), sourceLocation: sourceLocation)
  #expect(
    result.stderr.contains(input.names), "\(result.stderr) should name \(input.names)",
    sourceLocation: sourceLocation)
}

/// |a − b| ≤ absolute + relative · |b|.
func isClose(_ a: Double, _ b: Double, relative: Double = 1e-14, absolute: Double = 0) -> Bool {
  abs(a - b) <= absolute + relative * abs(b)
}

/// A fresh, empty folder under the temporary directory, named `prefix-UUID`; tests remove it.
func scratchFolder(_ prefix: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The JSON payload of a checkpoint file (its second line; the first is the header).
func checkpointPayload(_ path: String) throws -> [String: Any] {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  let line = try #require(text.split(separator: "\n", maxSplits: 1).last)
  return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
}

/// The `state` member of a checkpoint's payload as canonical JSON text: two runs left the same
/// state exactly when these strings are equal.
func savedState(_ path: String) throws -> String {
  let state = try #require(try checkpointPayload(path)["state"])
  return String(
    decoding: try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys]), as: UTF8.self)
}

/// Trains a tiny CT checkpoint (`--preset tiny`) on `dataset` in `folder` and returns its path.
func trainTiny(in folder: URL, steps: Int = 200, dataset: String = "ring8") throws -> String {
  let run = folder.appendingPathComponent("run-\(dataset)").path
  let result = try cm([
    "train", "--preset", "tiny", "--steps", String(steps), "--dataset", dataset, "--output", run,
  ])
  #expect(result.status == 0, "\(result.stderr)")
  return run + "/checkpoint.cmck"
}
