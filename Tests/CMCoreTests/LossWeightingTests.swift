// λ(t_n): CM's uniform weighting and iCT's 1/(t_{n+1} − t_n).

import Testing

@testable import CMCore

@Suite struct LossWeightingTests {
  @Test func workedNumber() {
    #expect(LossWeighting.ict.lambda(tN: 0.5, tNPlus1: 0.75) == 4)
    #expect(LossWeighting.uniform.lambda(tN: 0.5, tNPlus1: 0.75) == 1)
  }

  /// For one pair, `ict` is `ictPairWeights` of the grid.
  @Test func ictIsThePairWeightOfTheGrid() {
    let sigmas = karrasSigmas(count: 11, sigmaMin: 0.002, sigmaMax: 80, rho: 7)
    let weights = ictPairWeights(sigmas: sigmas)
    for n in 0..<(sigmas.count - 1) {
      #expect(LossWeighting.ict.lambda(tN: sigmas[n], tNPlus1: sigmas[n + 1]) == weights[n])
    }
  }
}
