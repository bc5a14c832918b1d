// Zero-shot editing's experiment: the times, the fixed coordinate, and a score against the exact
// conditional that is what it says it is.

import CMCore
import CMData
import CMMetrics
import CMTraining
import Testing
import _TestSupport

@testable import CMExperiments

@Suite struct ZeroShotEditingTests {
  let state = TrainingState<Float>(config: TrainingConfig.preset(.tiny))

  @Test func editingTimesWorkedNumber() {
    #expect(editingTimes(count: 1, sigmaMin: 0.002, sigmaMax: 80) == [80])
    let two = editingTimes(count: 2, sigmaMin: 0.002, sigmaMax: 80)
    #expect(two.count == 2 && isClose(two[0], 80, abs: 1e-12))
    #expect(isClose(two[1], 2.515218976147159, abs: 1e-12))
    let twenty = editingTimes(count: 20, sigmaMin: 0.002, sigmaMax: 80)
    #expect(zip(twenty, twenty.dropFirst()).allSatisfy { $0 > $1 } && twenty.last! > 0.002)
  }

  @Test func conditionalEditIsScoredAgainstTheExactConditional() {
    let ring = GaussianMixture.ring8()
    let edit = runConditionalEdit(
      model: state.model, parameters: state.thetaEMA, mixture: ring, fixedCoordinate: 0, value: 0,
      times: editingTimes(count: 3, sigmaMin: 0.002, sigmaMax: 80), count: 200, seed: 9)
    #expect(edit.samples.count == 400)
    #expect((0..<200).allSatisfy { edit.samples[2 * $0] == 0 })
    // The reference is the exact conditional: x = 0, y = ±0.7067 (the blobs at 90° and 270°).
    #expect((0..<200).allSatisfy { edit.exactSamples[2 * $0] == 0 })
    #expect((0..<200).allSatisfy { abs(abs(edit.exactSamples[2 * $0 + 1]) - 0.70666525) < 0.1 })
    let rescored = EvaluationReport(
      generated: edit.samples, datasetName: "exact conditional", referenceSeed: 10
    ) { count, generator in ring.conditionalSample(observed: [0, nil], count: count, using: &generator) }
    #expect(rescored == edit.report)
    #expect(
      edit.ratioToFloor == edit.report.slicedWasserstein1.value / edit.report.slicedWasserstein1.noiseFloor)
    // A second exact sample is far closer than the moment-matched Gaussian.
    #expect(edit.report.slicedWasserstein1.noiseFloor < 0.5 * edit.report.slicedWasserstein1.gaussianBaseline)
  }

  @Test func interpolationPathsStartAndEndAtTheEndpointsSamples() {
    let result = runNoiseInterpolation(
      model: state.model, parameters: state.thetaEMA, sigmaMax: 80, pairs: 2, points: 5, seed: 3)
    #expect(result.alphas == [0, 0.25, 0.5, 0.75, 1])
    #expect(result.paths.count == 2 && result.paths.allSatisfy { $0.count == 5 })
    for (path, ends) in zip(result.paths, result.endpoints) {
      let x = state.model(
        parameters: state.thetaEMA, x: [80 * ends.z1[0], 80 * ends.z1[1], 80 * ends.z2[0], 80 * ends.z2[1]],
        t: [80, 80])
      #expect(isClose(path[0].x, x[0], abs: 1e-12) && isClose(path[4].y, x[3], abs: 1e-12))
    }
  }
}

/// Algorithm 4 run with the exact consistency function f* of ring8 (a perfect model): given
/// x = 0 it matches the exact conditional within 1.5 times the noise floor; given x = 0.7067 it
/// does not (points stay on the neighbouring blobs at y = ±0.5: the README's "trap").
@Test func algorithm4WithTheExactConsistencyFunction() throws {
  let ring = GaussianMixture.ring8()
  func edit(x value: Double) -> ConditionalEdit {
    runConditionalEdit(
      mixture: ring, fixedCoordinate: 0, value: value,
      times: editingTimes(count: 20, sigmaMin: 0.002, sigmaMax: 80),
      sigmaMin: 0.002, count: 150, seed: 1
    ) { x, t in
      (try? ring.exactConsistencyFunction(batch: x, t: t, relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
        ?? x
    }
  }
  let centre = edit(x: 0)
  #expect(centre.ratioToFloor < 1.5, "x = 0: \(centre.ratioToFloor)× the floor")

  let corner = edit(x: ring.means[0][0])
  #expect(corner.ratioToFloor > 10, "x = 0.7067: \(corner.ratioToFloor)× the floor")
  let stray = (0..<150).filter { abs(corner.samples[2 * $0 + 1]) > 0.1 }.count
  #expect(stray > 15, "\(stray) of 150 points away from y = 0")
}
