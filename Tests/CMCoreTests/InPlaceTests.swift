// The allocation-free helpers of a training step give the same bits as the functions they mirror.
import Testing

@testable import CMCore

@Suite struct InPlaceTests {
  @Test func karrasIntoMatchesKarras() {
    var sigmas: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]  // longer than needed: shrinks
    for N in [2, 5, 41] {
      karrasSigmas(count: N, sigmaMin: 0.002, sigmaMax: 80, rho: 7, into: &sigmas)
      #expect(sigmas == karrasSigmas(count: N, sigmaMin: 0.002, sigmaMax: 80, rho: 7))
    }
  }

  @Test func lognormalPairProbabilitiesIntoMatchBitForBit() {
    var p: [Double] = Array(repeating: 7, count: 50)  // longer than needed: shrinks, then grows
    for N in [2, 11, 41, 1281] {
      let sigmas = karrasSigmas(count: N, sigmaMin: 0.002, sigmaMax: 80, rho: 7)
      lognormalPairProbabilities(sigmas: sigmas, pMean: -1.1, pStd: 2.0, into: &p)
      #expect(p == lognormalPairProbabilities(sigmas: sigmas, pMean: -1.1, pStd: 2.0))
    }
  }

  @Test func gaussiansIntoDrawTheSameSequence() {
    var a = SeededGenerator(seed: 5)
    var b = SeededGenerator(seed: 5)
    var z: [Double] = []
    a.gaussians(count: 7, into: &z)  // odd: leaves a spare Gaussian, as gaussians(count:) does
    #expect(z == b.gaussians(count: 7))
    a.gaussians(count: 4, into: &z)
    #expect(z == b.gaussians(count: 4))
    #expect(a.next() == b.next())
    // Every parity with and without a spare, and a training batch: the same bits, and the
    // generators left in the same state (spare included).
    for count in [0, 1, 2, 3, 1, 512, 513, 2, 257] {
      a.gaussians(count: count, into: &z)
      let expected = (0..<count).map { _ in b.nextGaussian() }
      #expect(z.map(\.bitPattern) == expected.map(\.bitPattern), "count \(count)")
      #expect(a == b, "state after count \(count)")
    }
  }

  @Test func addNoiseIntoMatchesAddNoise() {
    var generator = SeededGenerator(seed: 9)
    let x = generator.gaussians(count: 10)
    let z = generator.gaussians(count: 10)
    let sigmas = karrasSigmas(count: 6)
    let n = [0, 4, 2, 1, 3]
    var out: [Double] = []
    for offset in [0, 1] {
      let returned = addNoise(batch: x, z: z, sigmas: sigmas, indices: n, offset: offset, into: &out)
      let expected = addNoise(batch: x, z: z, t: n.map { sigmas[$0 + offset] })
      #expect(out == expected && returned == expected)
    }
  }

  @Test(arguments: [DistanceMetric.squaredL2, .l1, .pseudoHuber(c: 0.03)])
  func weightedDistanceLossMatchesRowByRow(metric: DistanceMetric) {
    var generator = SeededGenerator(seed: 3)
    let (B, D) = (6, 3)
    let x = generator.gaussians(count: B * D)
    var y = generator.gaussians(count: B * D)
    y[4] = x[4]  // a zero difference: L1's gradient is 0 there
    let lambda = (0..<B).map { Double($0) + 0.5 }
    var gradient: [Double] = []
    let loss = weightedDistanceLoss(
      x, y, dimension: D, metric: metric, weight: { lambda[$0] }, gradient: &gradient)
    // The loop it replaces (ConsistencyUpdate.swift before), with an array per row.
    var expectedLoss = 0.0
    var expectedGradient = [Double](repeating: 0, count: B * D)
    for b in 0..<B {
      let xb = Array(x[(b * D)..<(b * D + D)])
      let yb = Array(y[(b * D)..<(b * D + D)])
      expectedLoss += lambda[b] * distance(xb, yb, metric: metric) / Double(B)
      let g = distanceGradient(xb, yb, metric: metric)
      for i in 0..<D { expectedGradient[b * D + i] = lambda[b] / Double(B) * g[i] }
    }
    #expect(loss == expectedLoss)
    #expect(gradient == expectedGradient)
  }

  @Test(arguments: ODESolver.allCases)
  func solverStepIntoMatchesSolverStep(solver: ODESolver) {
    var generator = SeededGenerator(seed: 4)
    let x = generator.gaussians(count: 8)
    let from = [0.9, 2.5, 0.3, 7.0]
    let to = [0.5, 1.0, 0.1, 3.0]
    // A denoiser that shrinks each row by its own noise level.
    func shrink(_ x: [Double], _ t: [Double]) -> [Double] {
      x.indices.map { x[$0] / (1 + t[$0 / 2] * t[$0 / 2]) }
    }
    var out: [Double] = []
    var scratch = SolverScratch()
    solver.step(batch: x, from: from, to: to, into: &out, scratch: &scratch) { x, t, denoised in
      denoised = shrink(x, t)
    }
    #expect(out == solver.step(batch: x, from: from, to: to, denoiser: shrink))
  }
}
