import CMCore
import Foundation
import Testing
import _TestSupport

@Test func goldenSectionWorkedNumber() {
  let result = goldenSectionMinimum(on: 0...1, gridPoints: 5, steps: 20) { ($0 - 0.3) * ($0 - 0.3) }
  #expect(abs(result.argmin - 0.3) <= 0.5 * pow(0.618034, 20))
  // G scan points, the two first inner points, then one per step.
  #expect(result.evaluations.count == 5 + 2 + 20)
  #expect(result.minimum == result.evaluations.map(\.value).min())
}

@Test func goldenSectionShrinksByPhiPerStep() {
  // A minimum between scan points: after n steps the error is at most (bracket)·φⁿ.
  for steps in [4, 8, 16] {
    let result = goldenSectionMinimum(on: -2...3, gridPoints: 6, steps: steps) { abs($0 - 0.77) }
    #expect(abs(result.argmin - 0.77) <= 2 * 1.0 * pow(0.618034, Double(steps)) + 1e-12)
  }
}

@Test func goldenSectionScanFindsTheDeeperBasin() {
  // Two basins: a shallow one at u = −1 (value 0.5) and the deeper one at u = 1.5 (value 0);
  // plain ternary search on [−2, 2] from the middle would settle in whichever side it cut first.
  let g: (Double) -> Double = { u in min(0.5 + (u + 1) * (u + 1), 3 * (u - 1.5) * (u - 1.5)) }
  let result = goldenSectionMinimum(on: -2...2, gridPoints: 9, steps: 30, g)
  #expect(abs(result.argmin - 1.5) < 1e-5)
}
