import CMCore
import CMData
import Testing

@Test func checkerboardConstantsWorkedNumber() {
  let s = Checkerboard.standardization
  #expect(s.rawMean == SIMD2(0, 0))
  #expect(close(s.rawStd, SIMD2(repeating: 1.154_700_538_379_251_5), tolerance: 1e-15))
  #expect(abs(s.sigmaData / s.rawStd.x - 0.433_012_701_892_219_3) < 1e-15)
}

/// The constants against an independent computation: average over the four columns c and the
/// two rows b, integrating the uniform offsets by Simpson's rule (exact on these polynomials).
@Test func checkerboardConstantsMatchQuadrature() {
  var mean = SIMD2<Double>(0, 0)
  var second = SIMD2<Double>(0, 0)
  for c in -2...1 {
    let p = Double(((c % 2) + 2) % 2)
    for b in 0...1 {
      let x2 = { (u: Double) in u - 2 * Double(b) + p }
      mean.x += simpson(0, 1, panels: 2) { Double(c) + $0 } / 8
      second.x += simpson(0, 1, panels: 2) { (Double(c) + $0) * (Double(c) + $0) } / 8
      mean.y += simpson(0, 1, panels: 2) { x2($0) } / 8
      second.y += simpson(0, 1, panels: 2) { x2($0) * x2($0) } / 8
    }
  }
  #expect(close(mean, Checkerboard.standardization.rawMean, tolerance: 1e-15))
  #expect(
    close(
      (second - mean * mean).squareRoot(), Checkerboard.standardization.rawStd, tolerance: 1e-15))
}

@Test func checkerboardPointsLieOnBlackSquares() {
  var generator = SeededGenerator(seed: 5)
  for _ in 0..<10_000 {
    let p = Checkerboard.rawPoint(using: &generator)
    let column = Int(p.x.rounded(.down))
    let row = Int(p.y.rounded(.down))
    #expect((-2...1).contains(column) && (-2...1).contains(row))
    #expect(((column + row) % 2 + 2) % 2 == 0)  // the squares with column + row even
  }
}

/// The doc comment's measured check: 10⁶ raw points from seed 2023.
@Test func checkerboardConstantsMatchMeasurement() {
  var generator = SeededGenerator(seed: 2023)
  var raw: [Double] = []
  raw.reserveCapacity(2_000_000)
  for _ in 0..<1_000_000 {
    let p = Checkerboard.rawPoint(using: &generator)
    raw.append(p.x)
    raw.append(p.y)
  }
  let stats = SampleStatistics(raw)
  let s = Checkerboard.standardization
  #expect(stats.agrees(mean: [s.rawMean.x, s.rawMean.y], std: [s.rawStd.x, s.rawStd.y]))
  // The numbers recorded in the doc comment (4 decimals).
  #expect(
    close(stats.mean, [-0.0004, -0.0013], tolerance: 6e-5)
      && close(stats.std, [1.1543, 1.1550], tolerance: 6e-5))
}
