// The scalings memo of ConsistencyModel's workspace returns exactly what BoundaryScalings computes.
import CMCore
import Testing

@testable import CMTraining

@Suite struct ScalingMemoTests {
  /// Every t of two Karras grids (more values than slots, so slots are shared and overwritten),
  /// looked up twice in a shuffled order, and again after σ_data and ε change: each answer has
  /// the bits of a fresh `BoundaryScalings`.
  @Test func everyLookupHasTheBitsOfAFreshComputation() {
    var memo = ConsistencyModel<Float>.ScalingMemo()
    let grid = karrasSigmas(count: 1281)
      + karrasSigmas(count: 150)
    var generator = SeededGenerator(seed: 5)
    let order = (grid + grid).shuffled(using: &generator)
    for (sigmaData, sigmaMin) in [(0.5, 0.002), (1.0, 0.002), (1.0, 0.01)] {
      for t in order + [0, -1, .infinity, .nan] {
        let fresh = BoundaryScalings(t: t, sigmaData: sigmaData, sigmaMin: sigmaMin)
        let memoised = memo.scalings(t: t, sigmaData: sigmaData, sigmaMin: sigmaMin)
        #expect(
          [memoised.cSkip, memoised.cOut, memoised.cIn, memoised.cNoise].map(\.bitPattern)
            == [fresh.cSkip, fresh.cOut, fresh.cIn, fresh.cNoise].map(\.bitPattern),
          "t = \(t), σ_data = \(sigmaData), ε = \(sigmaMin)")
      }
    }
  }
}
