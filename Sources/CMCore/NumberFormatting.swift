// Numbers as the logs and tables print them.

import Foundation

/// A number with a fixed count of digits after the point (or in scientific notation).
public func format(_ x: Double, digits: Int, scientific: Bool = false) -> String {
  guard x.isFinite else { return "\(x)" }
  if scientific {
    let exponent = x == 0 ? 0 : Int((log10(abs(x))).rounded(.down))
    let mantissa = x / pow(10, Double(exponent))
    return "\(fixed(mantissa, digits: digits - 1))e\(exponent)"
  }
  return fixed(x, digits: digits)
}

private func fixed(_ x: Double, digits: Int) -> String {
  let scale = pow(10, Double(digits))
  let scaled = (abs(x) * scale).rounded()
  let whole = Int(scaled / scale)
  let fraction = Int(scaled - Double(whole) * scale)
  let fractionText = String(fraction)
  let padded = String(repeating: "0", count: max(0, digits - fractionText.count)) + fractionText
  return (x < 0 && scaled > 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + padded : "")
}
