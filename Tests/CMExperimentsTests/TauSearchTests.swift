// The τ search of `cm tune-tau`: what it returns is what it measured, on the seeds it names.

import CMCore
import CMData
import CMMetrics
import CMTraining
import Testing

@testable import CMExperiments

@Suite struct TauSearchTests {
  /// An untrained tiny model: the search's bookkeeping does not need a good one.
  let state = TrainingState<Float>(config: TrainingConfig.preset(.tiny))

  func search(steps: Int) -> TauSearch {
    tuneSamplingTaus(
      model: state.model, parameters: state.thetaEMA, sigmaMax: 80, dataset: .ring8, steps: steps,
      count: 150, seed: 40, gridPoints: 5, goldenSteps: 5)
  }

  @Test func defaultTausHalveFromPointEight() {
    #expect(defaultSamplingTaus(steps: 1) == [])
    #expect(defaultSamplingTaus(steps: 2) == [0.8])
    #expect(defaultSamplingTaus(steps: 3) == [0.8, 0.4])
  }

  @Test(arguments: [2, 3])
  func chosenTauIsTheBestScoredAndValid(steps: Int) throws {
    let result = search(steps: steps)
    #expect(result.taus.count == steps - 1)
    try validateSamplingTaus(result.taus, sigmaMin: 0.002, sigmaMax: 80)
    // The chosen schedule is the best one the search scored.
    #expect(result.searchSW1 == result.evaluations.map(\.sw1).min())
    #expect(result.evaluations.contains { $0.taus == result.taus && $0.sw1 == result.searchSW1 })
    #expect(result.defaultTaus == defaultSamplingTaus(steps: steps))
    // Search and held-out seeds are all different.
    let seeds = [
      result.searchReferenceSeed, result.searchSamplingSeed, result.heldOutReferenceSeed,
      result.heldOutSamplingSeed,
    ]
    #expect(Set(seeds).count == 4)
    // Deterministic.
    #expect(search(steps: steps) == result)
  }

  @Test func heldOutScoresAreTheSamplesOnTheHeldOutSeeds() {
    let result = search(steps: 2)
    func heldOut(_ taus: [Double]) -> EvaluationReport {
      var generator = SeededGenerator(seed: result.heldOutSamplingSeed)
      let x = state.model.sample(
        parameters: state.thetaEMA, count: 150, taus: taus, sigmaMax: 80, generator: &generator)
      return EvaluationReport(generated: x, dataset: .ring8, referenceSeed: result.heldOutReferenceSeed)
    }
    #expect(result.heldOutTunedSW1 == heldOut(result.taus).slicedWasserstein1.value)
    #expect(result.heldOutDefaultSW1 == heldOut([0.8]).slicedWasserstein1.value)
    #expect(result.heldOutNoiseFloor == heldOut([0.8]).slicedWasserstein1.noiseFloor)
  }
}
