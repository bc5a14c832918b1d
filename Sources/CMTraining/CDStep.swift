// One step of Consistency Distillation: CM Algorithm 2, and the seed pseudocode, line by line.

import CMCore
import CMTeacher
import CMNetwork

extension TrainingState {
  /// One training step of **Consistency Distillation** (CM Algorithm 2) on the batch `x` (B × D,
  /// row-major; the seed's `data = data_distribution()`) with the frozen `teacher` φ (a parameter, so
  /// the type guarantees CD has one), drawing the pair indices and the noise from the state's
  /// generator.
  ///
  /// The less-noisy input is one ODE-solver step of the frozen teacher φ from x_{t_{n+1}}: a
  /// pre-trained model is needed. `CTStep.swift` is this file's sibling; the two differ in that
  /// one line only.
  ///
  /// ```
  /// n ~ U{0, …, N(k) − 2} (or iCT's lognormal),  z ~ N(0, I)          (N(k) = N, fixed)
  /// x_{t_{n+1}} = x + t_{n+1}·z
  /// x̂_{t_n}     = x_{t_{n+1}} + (t_n − t_{n+1})·Φ(x_{t_{n+1}}, t_{n+1}; φ)
  /// ```
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func cdStep(
    data x: [Double], teacher: Teacher, buffers: inout Buffers, trace: TraceHook<ConsistencyStepValue>? = nil
  )
    -> StepRecord
  {
    let K = config.totalSteps
    // num_timesteps = timestep_schedule(current_training_step, total_training_steps, …)
    let N = config.schedule.N(k: min(k, K), K: K)
    trace?(.numTimesteps, [Double(N)])
    // sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)
    let sigmas = buffers.karrasSigmas(count: N, config: config)
    trace?(.sigmas, sigmas)
    // timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)   (iCT: lognormal)
    let n = buffers.pairIndices(
      count: x.count / model.dimension, sampling: config.pairSampling, sigmas: sigmas, using: &generator)
    trace?(.timesteps, n.map(Double.init))
    // noise = standard_gaussian_noise()
    let z = buffers.gaussians(count: x.count, using: &generator)
    trace?(.noise, z)
    // next_noisy_data = data + next_sigmas * noise
    let xTNPlus1 = addNoise(
      batch: x, z: z, sigmas: sigmas, indices: n, offset: 1, into: &buffers.nextNoisyData)
    trace?(.nextNoisyData, xTNPlus1)
    // current_noisy_data = next_noisy_data + (current_sigmas − next_sigmas) * Φ(next_noisy_data, next_sigmas; φ)
    let xTN = config.solver.step(
      batch: xTNPlus1, sigmas: sigmas, indices: n, teacher: teacher, buffers: &buffers)
    trace?(.currentNoisyData, xTN)
    return consistencyUpdate(
      N: N, sigmas: sigmas, n: n, xTN: xTN, xTNPlus1: xTNPlus1, buffers: &buffers, trace: trace)
  }
}
