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
    // The searched schedule is the best one the search scored; the default replaces it exactly
    // when it scored no worse on the validation pairs.
    #expect(result.searchSW1 == result.evaluations.map(\.sw1).min())
    #expect(result.defaultTaus == defaultSamplingTaus(steps: steps))
    #expect(result.keptDefault == (result.validationDefaultSW1 <= result.validationSearchedSW1))
    if result.keptDefault {
      #expect(result.taus == result.defaultTaus)
    } else {
      #expect(result.evaluations.contains { $0.taus == result.taus && $0.sw1 == result.searchSW1 })
    }
    // Search, validation and held-out seeds are all different: 2 search pairs, 3 of each other.
    let seeds =
      result.searchReferenceSeeds + result.searchSamplingSeeds + result.heldOutReferenceSeeds
      + result.heldOutSamplingSeeds + result.validationReferenceSeeds
      + result.validationReferenceSeeds.map { $0 + 1 }
    #expect(seeds.count == 16 && Set(seeds).count == 16)
    // Deterministic.
    #expect(search(steps: steps) == result)
  }

  /// The held-out numbers are means over the held-out pairs, recomputed here from the samples.
  @Test func heldOutScoresAreTheSamplesOnTheHeldOutSeeds() {
    let result = search(steps: 2)
    func heldOut(_ taus: [Double], pair: Int) -> EvaluationReport {
      var generator = SeededGenerator(seed: result.heldOutSamplingSeeds[pair])
      let x = state.model.sample(
        parameters: state.thetaEMA, count: 150, taus: taus, sigmaMax: 80, generator: &generator)
      return EvaluationReport(
        generated: x, dataset: .ring8, referenceSeed: result.heldOutReferenceSeeds[pair])
    }
    func mean(_ value: (Int) -> Double) -> Double { (0..<3).map(value).reduce(0, +) / 3 }
    #expect(result.heldOutTunedSW1 == mean { heldOut(result.taus, pair: $0).slicedWasserstein1.value })
    #expect(result.heldOutDefaultSW1 == mean { heldOut([0.8], pair: $0).slicedWasserstein1.value })
    #expect(result.heldOutNoiseFloor == mean { heldOut([0.8], pair: $0).slicedWasserstein1.noiseFloor })
  }
}
