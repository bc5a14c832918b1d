// Loading the golden fixtures that Fixtures/generate_fixtures.py (the NumPy reference) writes.
import Foundation

/// A JSON value as the fixtures use it: objects, arrays, numbers, strings, booleans, null.
///
/// Numbers are decoded as `Double` (the fixtures write every float with Python's shortest
/// round-trip repr, so each one decodes to the bits NumPy computed). Integers beyond 2⁵³, such as
/// raw 64-bit generator outputs, are stored as decimal strings; read them with `uint64`.
public enum JSONValue: Sendable, Equatable, Decodable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// The member `key` of an object; fails with the key's name if it is missing.
  public func callAsFunction(_ key: String) throws -> JSONValue {
    guard case .object(let members) = self else { throw FixtureError.notAn("object", key: key) }
    guard let value = members[key] else { throw FixtureError.missingKey(key) }
    return value
  }

  /// Whether this object has a member `key`.
  public func has(_ key: String) -> Bool {
    if case .object(let members) = self { return members[key] != nil }
    return false
  }

  public var double: Double {
    get throws {
      guard case .number(let value) = self else { throw FixtureError.notAn("number", key: nil) }
      return value
    }
  }

  /// An integer stored as a JSON number (exact below 2⁵³) or as a decimal string.
  public var int: Int {
    get throws {
      switch self {
      case .number(let value):
        guard let exact = Int(exactly: value) else { throw FixtureError.notAn("integer", key: nil) }
        return exact
      case .string(let text):
        guard let exact = Int(text) else { throw FixtureError.notAn("integer", key: nil) }
        return exact
      default: throw FixtureError.notAn("integer", key: nil)
      }
    }
  }

  /// A 64-bit unsigned integer stored as a decimal string (JSON doubles cannot hold it).
  public var uint64: UInt64 {
    get throws {
      guard case .string(let text) = self, let value = UInt64(text) else {
        throw FixtureError.notAn("UInt64 decimal string", key: nil)
      }
      return value
    }
  }

  public var string: String {
    get throws {
      guard case .string(let value) = self else { throw FixtureError.notAn("string", key: nil) }
      return value
    }
  }

  public var array: [JSONValue] {
    get throws {
      guard case .array(let values) = self else { throw FixtureError.notAn("array", key: nil) }
      return values
    }
  }

  public var object: [String: JSONValue] {
    get throws {
      guard case .object(let members) = self else { throw FixtureError.notAn("object", key: nil) }
      return members
    }
  }

  public var doubles: [Double] { get throws { try array.map { try $0.double } } }
  public var ints: [Int] { get throws { try array.map { try $0.int } } }
  public var uint64s: [UInt64] { get throws { try array.map { try $0.uint64 } } }
  /// A matrix stored row by row as an array of arrays.
  public var matrix: [[Double]] { get throws { try array.map { try $0.doubles } } }
}

/// Why a fixture could not be read.
public enum FixtureError: Error, CustomStringConvertible {
  case missingFile(String)
  case missingKey(String)
  case notAn(String, key: String?)

  public var description: String {
    switch self {
    case .missingFile(let path):
      return "fixture \(path) not found: run `python3 Fixtures/generate_fixtures.py` from the repository root"
    case .missingKey(let key): return "fixture has no key \"\(key)\""
    case .notAn(let kind, let key): return "fixture value \(key.map { "\"\($0)\" " } ?? "")is not a \(kind)"
    }
  }
}

/// One golden-value file of `Fixtures/`, written by the NumPy reference.
public struct Fixture: Sendable {
  /// The file's name without `.json`, e.g. "karras_sigmas".
  public let name: String
  /// The whole document: generator, numpy_version, description, formula, inputs, cases.
  public let document: JSONValue

  /// The folder holding the fixtures: `Fixtures/` under the repository root.
  public static func directory() -> URL {
    repositoryRoot().appendingPathComponent("Fixtures", isDirectory: true)
  }

  /// Loads `Fixtures/<name>.json`.
  public init(_ name: String) throws {
    let url = Fixture.directory().appendingPathComponent(name + ".json")
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw FixtureError.missingFile(url.path)
    }
    self.name = name
    self.document = try JSONDecoder().decode(JSONValue.self, from: data)
  }

  /// The list of cases (for fixtures whose "cases" is a list).
  public var cases: [JSONValue] { get throws { try document("cases").array } }

  /// A named list of cases (for fixtures whose "cases" groups several lists, e.g. "by_N").
  public func cases(_ group: String) throws -> [JSONValue] { try document("cases")(group).array }
}
