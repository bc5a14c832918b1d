// `cm edit …`: zero-shot editing with a trained consistency model (CM Algorithm 4 and App. D):
// conditional sampling with one coordinate fixed, and interpolation between two noise vectors.

import ArgumentParser
import ConsistencyModels
import Foundation

struct Edit: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Zero-shot editing with a checkpoint: fix one coordinate (CM Algorithm 4), or interpolate noise.",
    subcommands: [EditConditional.self, EditInterpolate.self])
}

/// The folder of `--output`, created if missing; an existing file in its place is an I/O error.
func outputFolder(_ path: String, flag: String = "--output") throws -> URL {
  guard !path.trimmingSpaces.isEmpty else { throw usageError(flag, mustBe: "a folder path", got: path) }
  let url = URL(fileURLWithPath: path)
  var isDirectory: ObjCBool = false
  if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
    guard isDirectory.boolValue else {
      throw IOFailure(description: "\(flag): \(path) exists and is not a folder")
    }
    return url
  }
  do {
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  } catch {
    throw IOFailure(description: "\(flag): cannot create \(path): \(error.localizedDescription)")
  }
  return url
}

/// Writes `data` to `folder/name` atomically, as an I/O failure naming `--output` if it cannot.
func writeOutput(_ data: Data, _ name: String, in folder: URL) throws {
  do {
    try writeAtomically(data, to: folder.appendingPathComponent(name))
  } catch {
    throw IOFailure(description: "--output: \(error)")
  }
}

/// Pretty-printed, key-sorted JSON of a value.
func prettyJSON<Value: Encodable>(_ value: Value) throws -> Data {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
  return try encoder.encode(value)
}
