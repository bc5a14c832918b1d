// PairSampling: CM's uniform pair index and iCT's discretised lognormal, as the CT step draws them.

import Testing

@testable import CMCore

@Suite struct PairSamplingTests {
  /// Uniform draws exactly what `uniformPairIndex` draws, row after row (the stream of every
  /// checkpoint written before the option existed).
  @Test func uniformIsTheOldStream() {
    let sigmas = karrasSigmas(count: 18, sigmaMin: 0.002, sigmaMax: 80, rho: 7)
    var a = SeededGenerator(seed: 9)
    var b = SeededGenerator(seed: 9)
    let n = PairSampling.uniform.pairIndices(count: 50, sigmas: sigmas, using: &a)
    #expect(n == (0..<50).map { _ in uniformPairIndex(N: 18, using: &b) })
    #expect(a.nextUniform() == b.nextUniform())
  }

  /// The worked numbers of the doc comment, and lognormal draws through `samplePairIndex`.
  @Test func lognormalWorkedNumbersAndDraws() {
    let sigmas = karrasSigmas(count: 10, sigmaMin: 0.002, sigmaMax: 80, rho: 7)
    let p = lognormalPairProbabilities(sigmas: sigmas, pMean: -1.1, pStd: 2.0)
    #expect(abs(p[0] - 0.07683723337757614) <= 1e-15 && abs(p[8] - 0.004656841106311569) <= 1e-15)
    var a = SeededGenerator(seed: 3)
    var b = SeededGenerator(seed: 3)
    let n = PairSampling.ict.pairIndices(count: 40, sigmas: sigmas, using: &a)
    #expect(n == (0..<40).map { _ in samplePairIndex(probabilities: p, using: &b) })
    // Frequencies follow p: 20 000 draws, each pair within 5 standard errors.
    var g = SeededGenerator(seed: 4)
    let many = PairSampling.ict.pairIndices(count: 20_000, sigmas: sigmas, using: &g)
    for (i, pi) in p.enumerated() {
      let frequency = Double(many.filter { $0 == i }.count) / 20_000
      #expect(abs(frequency - pi) <= 5 * (pi * (1 - pi) / 20_000).squareRoot() + 1e-4, "pair \(i)")
    }
    #expect(PairSampling.ict == .lognormal(pMean: -1.1, pStd: 2.0))
  }
}
