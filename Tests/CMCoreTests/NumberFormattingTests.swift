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
}
