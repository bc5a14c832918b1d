// The numbers of the logs and tables: fixed digits, or scientific for small ones.

import Testing

@testable import CMCore

@Suite struct NumberFormattingTests {
  @Test func fixedAndScientific() {
    #expect(format(0.08312, digits: 4) == "0.0831")
    #expect(format(0.9712, digits: 4) == "0.9712")
    #expect(format(-1.5, digits: 2) == "-1.50")
    #expect(format(1133.4, digits: 0) == "1133")
    #expect(format(0.00042, digits: 4, scientific: true) == "4.200e-4")
    #expect(format(-0.0, digits: 2) == "0.00", "no minus sign on a value that rounds to zero")
    #expect(format(.infinity, digits: 2) == "inf" && format(.nan, digits: 2) == "nan")
  }

  /// Values past Int's range (a diverging loss of 1e20) used to trap in Int(scaled / scale); they
  /// are printed in scientific notation instead, as are subnormals (whose 10^exponent is 0).
  @Test func hugeAndTinyValuesDoNotTrap() {
    #expect(format(1e20, digits: 4) == "1.000e20")
    #expect(format(-9.3e18, digits: 0) == "-9e18")
    #expect(format(Double.greatestFiniteMagnitude, digits: 4) == "1.798e308")
    #expect(format(123_456_789_012_345.6, digits: 1) == "123456789012345.6", "below 1e15 stays fixed")
    #expect(format(Double.leastNonzeroMagnitude, digits: 4, scientific: true) == "4.941e-324")
    #expect(format(9.99996, digits: 4, scientific: true) == "1.000e1", "rounding carries into the exponent")
    #expect(format(0, digits: 4, scientific: true) == "0.000e0")
    #expect(format(0.5, digits: 30).hasPrefix("5.000"), "too many digits for an Int: scientific")
    #expect(format(-.infinity, digits: 2) == "-inf")
  }
}
