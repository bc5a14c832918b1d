import CMCore
import CMData
import Foundation
import Testing

@Test func spiralConstantsWorkedNumber() {
  let s = Spiral.standardization
  #expect(close(s.rawMean, SIMD2(2, 0.212_206_590_789_193_8), tolerance: 1e-15))
  #expect(close(s.rawStd, SIMD2(6.635_082_626_110_29, 6.962_707_075_422_335), tolerance: 1e-13))
}

/// The constants against an independent quadrature of the raw moments over θ.
@Test func spiralConstantsMatchQuadrature() {
  let (a, b) = Spiral.thetaRange
  func expectation(_ f: (Double) -> Double) -> Double { simpson(a, b, f) / (b - a) }
  let mean = SIMD2(expectation { $0 * cos($0) }, expectation { $0 * sin($0) })
  let second = SIMD2(
    expectation { $0 * $0 * cos($0) * cos($0) }, expectation { $0 * $0 * sin($0) * sin($0) })
  let variance = second - mean * mean + SIMD2(repeating: Spiral.noiseStd * Spiral.noiseStd)
  #expect(close(mean, Spiral.standardization.rawMean, tolerance: 1e-10))
  #expect(close(variance.squareRoot(), Spiral.standardization.rawStd, tolerance: 1e-10))
}

/// The doc comment's measured check: 10⁶ raw points from seed 2023.
@Test func spiralConstantsMatchMeasurement() {
  var generator = SeededGenerator(seed: 2023)
  var raw: [Double] = []
  raw.reserveCapacity(2_000_000)
  for _ in 0..<1_000_000 {
    let p = Spiral.rawPoint(using: &generator)
    raw.append(p.x)
    raw.append(p.y)
  }
  let stats = SampleStatistics(raw)
  let s = Spiral.standardization
  #expect(stats.agrees(mean: [s.rawMean.x, s.rawMean.y], std: [s.rawStd.x, s.rawStd.y]))
  // The numbers recorded in the doc comment (4 decimals).
  #expect(
    close(stats.mean, [2.0048, 0.2223], tolerance: 6e-5)
      && close(stats.std, [6.6351, 6.9611], tolerance: 6e-5))
}
