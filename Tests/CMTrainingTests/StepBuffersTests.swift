// The step buffers draw the same pair indices as the allocating CMCore functions they stand for.
import CMCore
import Testing

@testable import CMTraining

@Suite struct StepBuffersTests {
  /// The binary search over kept running sums picks, draw for draw, the index of
  /// `PairSampling.pairIndices` (a linear scan), on grids up to iCT's 1281 points, with N changing
  /// between calls as a curriculum changes it.
  @Test(arguments: [PairSampling.ict, .uniform, .lognormal(pMean: 0.5, pStd: 0.3)])
  func pairIndicesMatchPairSampling(sampling: PairSampling) {
    var buffers = TrainingState<Float>(config: TrainingConfig.preset(.tiny)).makeBuffers()
    var a = SeededGenerator(seed: 21)
    var b = SeededGenerator(seed: 21)
    for N in [2, 11, 11, 41, 1281, 1281, 21] {
      let sigmas = karrasSigmas(count: N, sigmaMin: 0.002, sigmaMax: 80, rho: 7)
      let fast = buffers.pairIndices(count: 4000, sampling: sampling, sigmas: sigmas, using: &a)
      #expect(fast == sampling.pairIndices(count: 4000, sigmas: sigmas, using: &b), "N = \(N)")
    }
    #expect(a.next() == b.next())
  }
}
