// Numbers as the logs and tables print them.

import Foundation

/// A number with a fixed count of digits after the point (or in scientific notation).
///
/// Any Double is formatted without trapping: a value too large for fixed notation (|x| ≥ 1e15,
/// beyond which the fixed digits would not be exact, and Int would overflow from 9.2e18) is
/// printed in scientific notation, as are subnormals asked for in scientific notation; inf and nan
/// print as "inf", "-inf" and "nan".
public func format(_ x: Double, digits: Int, scientific: Bool = false) -> String {
  guard x.isFinite else { return "\(x)" }
  let digits = max(0, digits)
  if scientific || abs(x) >= 1e15 {
    return scientificText(x, significantDigits: max(1, digits))
  }
  return fixed(x, digits: digits)
}

/// `m.mmme±E` with `significantDigits` digits in the mantissa and no padding of the exponent:
/// "4.200e-4", "1.23e20". The C library's "%e" does the rounding (9.9996 → "1.000e1").
private func scientificText(_ x: Double, significantDigits: Int) -> String {
  let text = String(format: "%.\(significantDigits - 1)e", x)
  guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
  let mantissa = text[..<e]
  var exponent = text[text.index(after: e)...]
  var sign = ""
  if exponent.first == "-" { sign = "-" }
  if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
  let trimmed = exponent.drop { $0 == "0" }
  return "\(mantissa)e\(trimmed.isEmpty ? "0" : sign + trimmed)"
}

/// Fixed notation for |x| < 1e15 (so that |x|·10^digits fits in an Int, or falls back to
/// scientific notation when `digits` is too large for that).
private func fixed(_ x: Double, digits: Int) -> String {
  let scale = pow(10, Double(digits))
  let scaled = (abs(x) * scale).rounded()
  guard scaled < 9e18 else { return scientificText(x, significantDigits: max(1, digits)) }
  let whole = Int(scaled / scale)
  let fraction = Int(scaled - Double(whole) * scale)
  let fractionText = String(fraction)
  let padded = String(repeating: "0", count: max(0, digits - fractionText.count)) + fractionText
  return (x < 0 && scaled > 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + padded : "")
}
