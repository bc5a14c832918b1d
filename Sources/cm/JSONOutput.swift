// The one-line JSON every `cm inspect` subcommand prints.
//
// Keys keep the order the subcommand gives them (Foundation's JSONEncoder would not), and numbers
// are printed with Swift's shortest round-trip representation, so a value read back in Python
// (`json.loads`) or Swift is the same Double, bit for bit:
//
//   {"sigmas":[0.002,2.5152189761024555,80.00000000000003]}

import ArgumentParser

/// A JSON value `cm` prints: an integer (such as N), a number, or a list of numbers.
enum JSONValue {
  case integer(Int)
  case number(Double)
  case numbers([Double])
}

/// Prints `{"key":value,…}` on one newline-terminated line, keys in the given order.
///
/// A result that is not finite (it can only come from inputs so extreme that the formula
/// overflows Double) is reported as an error instead, since JSON has no `inf` or `nan`.
func printJSON(_ fields: KeyValuePairs<String, JSONValue>) throws {
  var members: [String] = []
  for (key, value) in fields {
    members.append("\"\(key)\":" + (try text(of: value, key: key)))
  }
  print("{" + members.joined(separator: ",") + "}")
}

private func text(of value: JSONValue, key: String) throws -> String {
  switch value {
  case .integer(let n):
    return String(n)
  case .number(let x):
    return try text(of: x, key: key)
  case .numbers(let xs):
    return "[" + (try xs.map { try text(of: $0, key: key) }).joined(separator: ",") + "]"
  }
}

/// Swift's `description` of a finite Double is its shortest round-trip form and is valid JSON
/// (`0.002`, `80.0`, `1e-05`, `-0.0`).
private func text(of x: Double, key: String) throws -> String {
  guard x.isFinite else {
    throw ValidationError(
      "the result \(key) is \(x.isNaN ? "NaN" : "infinite") for these inputs (they overflow Double); "
        + "JSON has no inf or nan")
  }
  return x.description
}
