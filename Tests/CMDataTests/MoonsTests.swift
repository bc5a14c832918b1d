import CMCore
import CMData
import Foundation
import Testing

@Test func moonsConstantsWorkedNumber() {
  let s = Moons.standardization
  #expect(s.rawMean == SIMD2(0.5, 0.25))
  #expect(
    close(s.rawStd, SIMD2(0.871_779_788_708_134_7, 0.504_172_702_371_131_3), tolerance: 1e-15))
}

/// The constants against an independent quadrature of the raw moments over θ.
@Test func moonsConstantsMatchQuadrature() {
  func expectation(_ f: (SIMD2<Double>) -> Double) -> Double {
    let upper = simpson(0, .pi) { f(SIMD2(cos($0), sin($0))) } / .pi
    let lower = simpson(0, .pi) { f(SIMD2(1 - cos($0), 0.5 - sin($0))) } / .pi
    return (upper + lower) / 2
  }
  let mean = SIMD2(expectation { $0.x }, expectation { $0.y })
  let variance =
    SIMD2(expectation { $0.x * $0.x }, expectation { $0.y * $0.y }) - mean * mean
    + SIMD2(repeating: Moons.noiseStd * Moons.noiseStd)
  #expect(close(mean, Moons.standardization.rawMean, tolerance: 1e-12))
  #expect(close(variance.squareRoot(), Moons.standardization.rawStd, tolerance: 1e-12))
}

/// The doc comment's measured check: 10⁶ raw points from seed 2023.
@Test func moonsConstantsMatchMeasurement() {
  var generator = SeededGenerator(seed: 2023)
  var raw: [Double] = []
  raw.reserveCapacity(2_000_000)
  for _ in 0..<1_000_000 {
    let p = Moons.rawPoint(using: &generator)
    raw.append(p.x)
    raw.append(p.y)
  }
  let stats = SampleStatistics(raw)
  let s = Moons.standardization
  #expect(stats.agrees(mean: [s.rawMean.x, s.rawMean.y], std: [s.rawStd.x, s.rawStd.y]))
  // The numbers recorded in the doc comment (4 decimals).
  #expect(
    close(stats.mean, [0.5008, 0.2495], tolerance: 6e-5)
      && close(stats.std, [0.8721, 0.5038], tolerance: 6e-5))
}
