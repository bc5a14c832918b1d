// Tests of PairIndex.swift: the uniform pair index (CM Alg. 3) and iCT's lognormal one (§3.5).
import CMCore
import Testing
import _TestSupport

@Suite struct PairIndexTests {
  @Test func uniformIndicesMatchReference() throws {
    let cases = try Fixture("pair_index").cases("uniform")
    #expect(cases.count == 21)
    for c in cases {
      let seed = try c("seed").uint64
      var generator = SeededGenerator(seed: seed)
      let N = try c("N").int
      let indices = (0..<20).map { _ in uniformPairIndex(N: N, using: &generator) }
      #expect(indices == (try c("indices").ints), "seed \(seed), N \(N)")
    }
  }

  @Test func lognormalProbabilitiesWeightsAndDrawsMatchReference() throws {
    let cases = try Fixture("pair_index").cases("lognormal")
    #expect(cases.count == 57)
    for c in cases {
      let sigmas = try c("sigmas").doubles
      let (pMean, pStd) = (try c("P_mean").double, try c("P_std").double)
      let label = "N \(sigmas.count), P_mean \(pMean), P_std \(pStd), t_N \(sigmas.last!)"
      // The probabilities are differences of erfc values of neighbouring arguments: on the
      // 1281-point grid the neighbours are close, so the difference magnifies the libm's last-bit
      // rounding about a thousand times. That still leaves it well inside 1e-12 relative.
      let expected = try c("probabilities").doubles
      expectClose(
        lognormalPairProbabilities(sigmas: sigmas, pMean: pMean, pStd: pStd), expected, "p(n), \(label)")
      expectClose(ictPairWeights(sigmas: sigmas), try c("weights").doubles, "λ(t_n), \(label)")
      // Draws use the reference's probabilities, so that they depend on the generator only.
      var generator = SeededGenerator(seed: try c("sample_seed").uint64)
      let draws = (0..<20).map { _ in samplePairIndex(probabilities: expected, using: &generator) }
      #expect(draws == (try c("sampled_indices").ints), "sampled indices, \(label)")
    }
  }

  @Test func workedNumber() {
    // "on the 3-point default grid the first pair has λ = 1/(t₂ − t₁) = 0.39789608…"
    let lambda = ictPairWeights(sigmas: karrasSigmas(count: 3))[0]
    #expect(matchesWrittenDigits(lambda, "0.39789608"), "λ = \(lambda)")
  }

  @Test(arguments: [2, 3, 10, 18, 40, 151, 1281])
  func lognormalProbabilitiesArePositiveAndSumToOne(N: Int) {
    for (pMean, pStd) in [(-1.1, 2.0), (-1.2, 1.2), (1.1, 2.0), (-1.1, 0.5)] {
      let p = lognormalPairProbabilities(sigmas: karrasSigmas(count: N), pMean: pMean, pStd: pStd)
      #expect(p.count == N - 1)
      #expect(
        p.allSatisfy { $0 > 0 }, "a probability is not positive, N \(N), P_mean \(pMean), P_std \(pStd)")
      expectClose(p.reduce(0, +), 1, abs: 1e-13, rel: 0, "Σ p, N \(N), P_mean \(pMean), P_std \(pStd)")
    }
  }

  @Test(arguments: [2, 3, 10, 18, 40, 151])
  func uniformIndexStaysInRangeAndHitsEveryPair(N: Int) {
    var generator = SeededGenerator(seed: UInt64(N))
    var counts = [Int](repeating: 0, count: N - 1)
    for _ in 0..<(200 * N) {
      let n = uniformPairIndex(N: N, using: &generator)
      #expect(n >= 0 && n <= N - 2, "n = \(n) outside 0…\(N - 2)")
      if n >= 0 && n <= N - 2 { counts[n] += 1 }
    }
    #expect(counts.allSatisfy { $0 > 0 }, "some pair never drawn for N \(N): \(counts)")
  }

  @Test func samplingFollowsTheProbabilities() {
    let p = [0.1, 0.2, 0.3, 0.4]
    var generator = SeededGenerator(seed: 59)
    var counts = [0, 0, 0, 0]
    let draws = 100_000
    for _ in 0..<draws { counts[samplePairIndex(probabilities: p, using: &generator)] += 1 }
    for n in 0..<4 {
      // Binomial standard deviation ≤ √(0.25/100 000) ≈ 0.0016; 0.01 is over six of them.
      expectClose(Double(counts[n]) / Double(draws), p[n], abs: 0.01, rel: 0, "frequency of pair \(n)")
    }
  }

  @Test func roundingExcessLandsOnTheLastPair() {
    // Probabilities summing to less than 1: uniforms beyond the sum go to the last pair.
    var generator = SeededGenerator(seed: 61)
    var sawLast = false
    for _ in 0..<1000 {
      let n = samplePairIndex(probabilities: [0.25, 0.25], using: &generator)
      #expect(n == 0 || n == 1)
      if n == 1 { sawLast = true }
    }
    #expect(sawLast)
    var one = SeededGenerator(seed: 1)
    #expect(samplePairIndex(probabilities: [0.0, 0.0, 0.0], using: &one) == 2)
  }
}
