import CMCore
import CMData
import CMStorage
import CMTeacher
import Testing

@testable import CMTraining

/// A small Double configuration whose gradient can be checked entry by entry.
private func smallConfig(metric: DistanceMetric = .squaredL2, weighting: LossWeighting = .uniform)
  -> TrainingConfig
{
  var config = TrainingConfig()
  config.hiddenWidths = [6, 5]
  config.batchSize = 4
  config.totalSteps = 10
  config.metric = metric
  config.weighting = weighting
  return config
}

/// A fixed batch: pairs on the default 10-point grid, with θ⁻ ≠ θ so the loss is not zero.
private func fixedBatch(_ state: TrainingState<Double>) -> (
  tN: [Double], tNPlus1: [Double], xTN: [Double], xTNPlus1: [Double]
) {
  let sigmas = karrasSigmas(count: 10)
  let n = [0, 3, 7, 8]
  var generator = SeededGenerator(seed: 11)
  let x = Dataset.ring8.sample(count: 4, using: &generator)
  let z = generator.gaussians(count: 8)
  let tN = n.map { sigmas[$0] }
  let tNPlus1 = n.map { sigmas[$0 + 1] }
  var xTN = [Double](repeating: 0, count: 8)
  var xTNPlus1 = [Double](repeating: 0, count: 8)
  for i in 0..<8 {
    xTN[i] = x[i] + tN[i / 2] * z[i]
    xTNPlus1[i] = x[i] + tNPlus1[i / 2] * z[i]
  }
  return (tN, tNPlus1, xTN, xTNPlus1)
}

@Test(
  "∇_θ L of the full consistency loss matches central finite differences",
  arguments: [
    (DistanceMetric.squaredL2, LossWeighting.uniform), (.l1, .uniform),
    (.pseudoHuber(c: 0.3), .ict),
  ])
func lossGradientMatchesFiniteDifferences(metric: DistanceMetric, weighting: LossWeighting) {
  var state = TrainingState<Double>(config: smallConfig(metric: metric, weighting: weighting))
  state.thetaMinus = state.model.network.initialParameters(seed: 99)
  let batch = fixedBatch(state)
  var buffers = state.makeBuffers()
  _ = state.consistencyLoss(
    tN: batch.tN, tNPlus1: batch.tNPlus1, xTN: batch.xTN, xTNPlus1: batch.xTNPlus1,
    buffers: &buffers, trace: nil)
  let analytic = buffers.gradient
  let h = 1e-6
  var worst = 0.0
  for i in 0..<state.theta.count {
    let saved = state.theta[i]
    state.theta[i] = saved + h
    let plus = state.consistencyLoss(
      tN: batch.tN, tNPlus1: batch.tNPlus1, xTN: batch.xTN, xTNPlus1: batch.xTNPlus1,
      buffers: &buffers, trace: nil)
    state.theta[i] = saved - h
    let minus = state.consistencyLoss(
      tN: batch.tN, tNPlus1: batch.tNPlus1, xTN: batch.xTN, xTNPlus1: batch.xTNPlus1,
      buffers: &buffers, trace: nil)
    state.theta[i] = saved
    let numeric = (plus - minus) / (2 * h)
    worst = max(worst, abs(numeric - analytic[i]) / (1e-6 + abs(numeric)))
  }
  // L1 has kinks where f_θ = f_θ⁻; this batch stays away from them, so all three are smooth here.
  #expect(worst < 1e-5, "largest relative gradient error \(worst)")
}

@Test("the target network gets no gradient: changing θ⁻ changes the loss but ∇ acts on θ only")
func targetIsStopGradient() {
  var state = TrainingState<Double>(config: smallConfig())
  state.thetaMinus = state.model.network.initialParameters(seed: 5)
  let batch = fixedBatch(state)
  var buffers = state.makeBuffers()
  let before = state.thetaMinus
  _ = state.consistencyLoss(
    tN: batch.tN, tNPlus1: batch.tNPlus1, xTN: batch.xTN, xTNPlus1: batch.xTNPlus1,
    buffers: &buffers, trace: nil)
  #expect(state.thetaMinus == before)
  #expect(buffers.gradient.count == state.theta.count)
}

@Test("with θ⁻ = θ and t_n = t_{n+1}… the loss of identical inputs is zero")
func identicalInputsGiveZeroLoss() {
  let state = TrainingState<Double>(config: smallConfig())
  let batch = fixedBatch(state)
  var buffers = state.makeBuffers()
  let loss = state.consistencyLoss(
    tN: batch.tNPlus1, tNPlus1: batch.tNPlus1, xTN: batch.xTNPlus1, xTNPlus1: batch.xTNPlus1,
    buffers: &buffers, trace: nil)
  #expect(loss == 0)
  #expect(buffers.gradient.allSatisfy { $0 == 0 })
}
