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

@Test("stopgrad: ∇_θ L is the derivative with θ⁻ held fixed, not the one where θ⁻ = θ moves too")
func targetIsStopGradient() {
  // With θ⁻ = θ, a loss that (wrongly) differentiated through the target would have the
  // derivative of L(θ, θ); the step must give the derivative of L(θ, θ⁻) in θ alone.
  var state = TrainingState<Double>(config: smallConfig())
  let batch = fixedBatch(state)
  var buffers = state.makeBuffers()
  state.thetaMinus = state.theta
  _ = state.consistencyLoss(
    tN: batch.tN, tNPlus1: batch.tNPlus1, xTN: batch.xTN, xTNPlus1: batch.xTNPlus1,
    buffers: &buffers, trace: nil)
  let analytic = buffers.gradient
  let theta = state.theta
  func loss(theta: [Double], thetaMinus: [Double]) -> Double {
    var probe = state
    probe.theta = theta
    probe.thetaMinus = thetaMinus
    var scratch = probe.makeBuffers()
    return probe.consistencyLoss(
      tN: batch.tN, tNPlus1: batch.tNPlus1, xTN: batch.xTN, xTNPlus1: batch.xTNPlus1,
      buffers: &scratch, trace: nil)
  }
  let h = 1e-6
  var worstStop = 0.0
  var largestGap = 0.0
  for i in stride(from: 0, to: theta.count, by: max(1, theta.count / 40)) {
    var plus = theta
    plus[i] += h
    var minus = theta
    minus[i] -= h
    let stopGradient =
      (loss(theta: plus, thetaMinus: theta) - loss(theta: minus, thetaMinus: theta)) / (2 * h)
    let throughTarget =
      (loss(theta: plus, thetaMinus: plus) - loss(theta: minus, thetaMinus: minus)) / (2 * h)
    worstStop = max(worstStop, abs(stopGradient - analytic[i]) / (1e-6 + abs(stopGradient)))
    largestGap = max(largestGap, abs(throughTarget - analytic[i]) / (1e-6 + abs(analytic[i])))
  }
  #expect(worstStop < 1e-5, "∇_θ L matches the θ-only derivative (\(worstStop))")
  #expect(largestGap > 1e-2, "and differs from the derivative through θ⁻ (\(largestGap))")
  #expect(state.thetaMinus == theta, "computing the loss leaves θ⁻ alone")
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
