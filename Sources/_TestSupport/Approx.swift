// Approximate equality for golden tests: |a − b| ≤ abs + rel·|b|, with b the expected value.
import Testing

/// Whether `actual` is within `abs + rel·|expected|` of `expected` (equal values, infinities
/// included, always are; NaN never is).
///
/// The default 1e-12 + 1e-12·|b| is the golden-test policy of Fixtures/README.md: the NumPy
/// reference and the Swift code evaluate the same formulas, so they may differ only by rounding
/// (a few ulp, about 1e-16 relative), and 1e-12 leaves room for a few hundred of those while
/// still catching any wrong constant, sign or index.
public func isClose(_ actual: Double, _ expected: Double, abs: Double = 1e-12, rel: Double = 1e-12)
  -> Bool
{
  if actual == expected { return true }
  return Swift.abs(actual - expected) <= abs + rel * Swift.abs(expected)
}

/// Whether two arrays have the same length and are close element by element.
public func isClose(
  _ actual: [Double], _ expected: [Double], abs: Double = 1e-12, rel: Double = 1e-12
) -> Bool {
  actual.count == expected.count
    && zip(actual, expected).allSatisfy { isClose($0, $1, abs: abs, rel: rel) }
}

/// Descriptions of the elements of `actual` that are not close to `expected` (at most `limit`),
/// each with its index, both values and their difference; a length mismatch is one description.
public func mismatches(
  _ actual: [Double], _ expected: [Double], abs: Double = 1e-12, rel: Double = 1e-12,
  limit: Int = 5
) -> [String] {
  guard actual.count == expected.count else {
    return ["length \(actual.count), expected \(expected.count)"]
  }
  var found: [String] = []
  for (i, (a, b)) in zip(actual, expected).enumerated() where !isClose(a, b, abs: abs, rel: rel) {
    found.append("[\(i)] \(a) vs expected \(b) (difference \(a - b))")
    if found.count == limit { break }
  }
  return found
}

/// Expects `actual` to be close to `expected`; on failure the comment names what was compared and
/// shows both values and their difference.
public func expectClose(
  _ actual: Double, _ expected: Double, abs: Double = 1e-12, rel: Double = 1e-12,
  _ what: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    isClose(actual, expected, abs: abs, rel: rel),
    "\(what()): \(actual) vs expected \(expected) (difference \(actual - expected), tolerance \(abs) + \(rel)·|expected|)",
    sourceLocation: sourceLocation)
}

/// Expects `actual` to be close to `expected` element by element; on failure the comment lists
/// the first mismatching indices with their values.
public func expectClose(
  _ actual: [Double], _ expected: [Double], abs: Double = 1e-12, rel: Double = 1e-12,
  _ what: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  let found = mismatches(actual, expected, abs: abs, rel: rel)
  #expect(
    found.isEmpty,
    "\(what()): \(found.joined(separator: "; ")) (tolerance \(abs) + \(rel)·|expected|)",
    sourceLocation: sourceLocation)
}

/// The number of representable doubles from a to b (0 when equal; +0 and −0 are 0 apart).
/// Both must be finite.
public func ulpDistance(_ a: Double, _ b: Double) -> UInt64 {
  precondition(a.isFinite && b.isFinite, "ulpDistance needs finite values")
  // Map the bit patterns onto a line where consecutive doubles are consecutive integers.
  func ordinal(_ x: Double) -> Int64 {
    let bits = Int64(bitPattern: x.bitPattern)
    return bits < 0 ? Int64.min &- bits : bits
  }
  let (oa, ob) = (ordinal(a), ordinal(b))
  return oa > ob ? UInt64(bitPattern: oa &- ob) : UInt64(bitPattern: ob &- oa)
}

/// Whether a value matches a worked number as a doc comment writes it (the digits before "…"):
/// within one unit of the last written digit, whether the comment rounded or truncated
/// (e.g. "0.20064141" is checked to ±1e-8, "0.03" to ±0.01).
public func matchesWrittenDigits(_ value: Double, _ written: String) -> Bool {
  let digits = written.split(separator: ".").last.map { $0.count } ?? 0
  guard let number = Double(written) else { return false }
  var unit = 1.0
  for _ in 0..<(written.contains(".") ? digits : 0) { unit /= 10 }
  return Swift.abs(value - number) <= unit
}
