// Reading a flag's text into a checked value, with one message that names the flag and its range.
//
// Numeric and list options are declared as text and converted here, and named choices are typed
// (`Choices.swift`) with a parser that throws the same kind of message, so that every wrong value
// (text where a number belongs, NaN, a number out of range, an unknown name) gets one line:
//
//   error: --count must be an integer ≥ 2 (got 1)
//   error: --count must be an integer ≥ 2 (got abc)
//   error: --metric must be one of l2, l1, pseudo-huber (got l3)
//
// CMCore's functions state their domains as preconditions (a trap is the right answer to a
// programming error); the command line checks every value against those domains first, so no
// input can reach a trap.

import ArgumentParser

/// The largest grid or curriculum size `cm` accepts: big enough for any schedule of the papers
/// (iCT's s₁ = 1280), small enough that N, s₀ · 2^j and (s₁ + 1)² stay exact and cannot overflow.
let largestCount = 1_000_000

/// A usage error: a message naming the flag and what it accepts. Exits with code 64.
func usageError(_ flag: String, mustBe requirement: String, got text: String) -> ValidationError {
  ValidationError("\(flag) must be \(requirement) (got \(text))")
}

/// An integer flag in low…high. The message names the bound that was crossed; `lowLabel` and
/// `highLabel` say where a bound comes from when another flag sets it (`--s0 = 10`).
func integer(
  _ text: String, flag: String, atLeast low: Int, atMost high: Int = largestCount,
  lowLabel: String? = nil, highLabel: String? = nil
) throws -> Int {
  let lowText = lowLabel ?? String(low)
  let highText = highLabel ?? String(high)
  guard let value = Int(text.trimmingSpaces) else {
    let range = high == Int.max ? "≥ \(lowText)" : "in \(low)…\(high)"
    throw usageError(flag, mustBe: "an integer \(range)", got: text)
  }
  guard value >= low else { throw usageError(flag, mustBe: "an integer ≥ \(lowText)", got: text) }
  guard value <= high else { throw usageError(flag, mustBe: "an integer ≤ \(highText)", got: text) }
  return value
}

/// What a real-valued flag must satisfy, with the words the error message uses.
enum RealDomain {
  /// Any finite number.
  case finite
  /// A finite number > 0.
  case positive
  /// A number in the open interval (0, 1).
  case openUnitInterval
  /// A number in [0, 1).
  case unitIntervalFromZero
  /// A number in (0, limit]: beyond the limit the formulas lose their accuracy.
  case positiveUpTo(Double)

  var requirement: String {
    switch self {
    case .finite: return "a finite number"
    case .positive: return "a finite number > 0"
    case .openUnitInterval: return "a number in (0, 1)"
    case .unitIntervalFromZero: return "a number in [0, 1)"
    case .positiveUpTo(let limit):
      return "a number in (0, \(limit)] (beyond it t² overflows and the result would be wrong)"
    }
  }

  func contains(_ value: Double) -> Bool {
    switch self {
    case .finite: return value.isFinite
    case .positive: return value.isFinite && value > 0
    case .openUnitInterval: return value > 0 && value < 1
    case .unitIntervalFromZero: return value >= 0 && value < 1
    case .positiveUpTo(let limit): return value > 0 && value <= limit
    }
  }
}

/// A real-valued flag in the given domain. NaN and ±inf are never accepted.
func real(_ text: String, flag: String, _ domain: RealDomain = .finite) throws -> Double {
  guard let value = Double(text.trimmingSpaces), domain.contains(value) else {
    throw usageError(flag, mustBe: domain.requirement, got: text)
  }
  return value
}

/// A vector flag: a non-empty, comma-separated list of finite numbers such as `0.5,-1`.
func vector(_ text: String, flag: String) throws -> [Double] {
  let entries = text.split(separator: ",", omittingEmptySubsequences: false)
    .map { Double(String($0).trimmingSpaces) }
  guard !text.trimmingSpaces.isEmpty, entries.allSatisfy({ $0?.isFinite == true }) else {
    throw usageError(flag, mustBe: "a comma-separated list of finite numbers", got: text)
  }
  return entries.map { $0! }
}

/// Checks that two vector flags have the same number of entries.
func requireSameLength(_ v: [Double], _ flag: String, as reference: [Double], _ referenceFlag: String)
  throws
{
  guard v.count == reference.count else {
    throw ValidationError(
      "\(flag) must have as many entries as \(referenceFlag) (\(reference.count)) (got \(v.count))")
  }
}

extension String {
  /// The text without leading and trailing spaces (so `--x "1, 2"` reads as `1,2`).
  var trimmingSpaces: String {
    String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
