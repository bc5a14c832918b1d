// What CT and CD share after the two noisy inputs exist: predictions, loss, gradient, Adam, EMA.
//
// Seed pseudocode:
//   student_model_prediction = ... student_model(next_noisy_data, next_sigmas)
//   with no_grad(): teacher_model_prediction = ... teacher_model(current_noisy_data, current_sigmas)
//   loss = distance_metric(student_model_prediction, teacher_model_prediction)
//   loss.backward()
//   with no_grad(): current_ema_decay_rate = ema_decay_schedule(...)
//                   teacher_model_params = μ * teacher_model_params + (1 − μ) * student_model_params

import CMCore
import CMTeacher
import CMNetwork

extension TrainingState {
  /// The second half of CM Algorithms 2 and 3, identical in both: given the online input
  /// x_{t_{n+1}} and the target input x̂_{t_n}, take one optimiser step on
  ///
  /// ```
  /// L(θ, θ⁻) = (1/B) Σ_b λ(t_n) · d( f_θ(x_{t_{n+1}}, t_{n+1}),  f_θ⁻(x̂_{t_n}, t_n) )
  /// θ  ← θ − η · Adam(∇_θ L)
  /// θ⁻ ← stopgrad( μ θ⁻ + (1 − μ) θ )
  /// ```
  ///
  /// and advance k. Only f_θ is differentiated: θ⁻ is a constant of the loss (`no_grad`).
  mutating func consistencyUpdate(
    N: Int, sigmas: [Double], n: [Int], xTN: [Double], xTNPlus1: [Double],
    buffers: inout Buffers, trace: TraceHook<ConsistencyStepValue>?
  ) -> StepRecord {
    let loss = consistencyLoss(
      tN: buffers.currentSigmas(sigmas, at: n), tNPlus1: buffers.nextSigmas(sigmas, at: n), xTN: xTN,
      xTNPlus1: xTNPlus1,
      buffers: &buffers, trace: trace)
    // optimiser step: θ ← θ − η · Adam(∇_θ L)
    optimizer.update(parameters: &theta, gradient: buffers.gradient)
    trace?(.studentModelParams, theta.map { Double($0) })
    // with no_grad(): current_ema_decay_rate = ema_decay_schedule(current_training_step, …)
    let mu = config.schedule.mu(k: min(k, config.totalSteps), K: config.totalSteps)
    trace?(.currentEMADecayRate, [mu])
    // teacher_model_params = μ * teacher_model_params + (1 − μ) * student_model_params
    updateTarget(thetaMinus: &thetaMinus, theta: theta, mu: mu)
    trace?(.teacherModelParams, thetaMinus.map { Double($0) })
    let record = StepRecord(k: k, N: N, mu: mu, loss: loss)
    k += 1
    return record
  }

  /// The consistency loss L(θ, θ⁻) at the current θ and θ⁻, and ∇_θ L into `buffers.gradient`
  /// (the seed's `loss` and `loss.backward()`).
  func consistencyLoss(
    tN: [Double], tNPlus1: [Double], xTN: [Double], xTNPlus1: [Double],
    buffers: inout Buffers, trace: TraceHook<ConsistencyStepValue>?
  ) -> Double {
    let D = model.dimension
    // student_model_prediction = skip_scaling(next_sigmas) * next_noisy_data
    //                          + output_scaling(next_sigmas) * student_model(next_noisy_data, next_sigmas)
    let online = model(parameters: theta, x: xTNPlus1, t: tNPlus1, workspace: &buffers.online)
    trace?(.studentModelPrediction, online)
    // with no_grad(): teacher_model_prediction = … teacher_model(current_noisy_data, current_sigmas)
    // (the seed writes next_sigmas here: a typo; `targetNoiseLevel` reproduces it on request)
    let tTarget = config.targetNoiseLevel == .currentSigmas ? tN : tNPlus1
    let target = model(parameters: thetaMinus, x: xTN, t: tTarget, workspace: &buffers.target)
    trace?(.teacherModelPrediction, target)
    // loss = distance_metric(student_model_prediction, teacher_model_prediction), weighted by λ(t_n)
    // loss.backward(), first link: ∂L/∂f_θ = λ/B · ∂d/∂f_θ (the target is a constant)
    let loss = weightedDistanceLoss(
      online, target, dimension: D, metric: config.metric,
      weight: { b in config.weighting.lambda(tN: tN[b], tNPlus1: tNPlus1[b]) },
      gradient: &buffers.outputGradient)
    trace?(.loss, [loss])
    // loss.backward(): through c_out and F_θ to ∂L/∂θ
    model.backward(
      parameters: theta, outputGradient: buffers.outputGradient, gradient: &buffers.gradient,
      workspace: &buffers.online)
    trace?(.gradTheta, buffers.gradient.map { Double($0) })
    return loss
  }
}
