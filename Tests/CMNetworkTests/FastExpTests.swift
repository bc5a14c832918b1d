import Foundation
import Testing

@testable import CMNetwork

@Suite struct FastExpTests {
  @Test func workedNumbers() {
    #expect(fastExp(0) == 1)
    #expect(fastExp(1) == Float(M_E))
  }

  @Test func within2UlpOverTheWholeRange() {
    var worst: Double = 0
    var x: Float = -87.3
    while x < 88.3 {
      let exact = Foundation.exp(Double(x))
      let approx = Double(fastExp(x))
      worst = max(worst, abs(approx - exact) / exact)
      x += 0.001_37
    }
    // 2 ulp of a Float in [1, 2) is 2⁻²²; relative to the value it is at most 2·2⁻²³.
    #expect(worst < 2.4e-7)
  }

  @Test func clampsInsteadOfOverflowing() {
    #expect(fastExp(1000).isFinite)
    #expect(fastExp(-1000) > 0)
    #expect(fastExp(-1000).isNormal)
  }
}
