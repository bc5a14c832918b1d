// A fresh folder per test, so that tests running in parallel never share files.
import Foundation

/// A new empty folder under the system's temporary directory.
func temporaryFolder(_ label: String = #function) throws -> URL {
  let name = "PlottingTests-\(label.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The first bytes of a file, or [] when it cannot be read.
func headerBytes(_ url: URL, count: Int = 8) -> [UInt8] {
  Array(FileManager.default.contents(atPath: url.path)?.prefix(count) ?? Data())
}

/// The text of a file, or "" when it cannot be read.
func text(_ url: URL) -> String {
  (try? String(contentsOf: url, encoding: .utf8)) ?? ""
}

/// Removes a folder made by `temporaryFolder` (in a `defer`, so that tests leave nothing behind).
func removeFolder(_ url: URL) {
  try? FileManager.default.removeItem(at: url)
}
