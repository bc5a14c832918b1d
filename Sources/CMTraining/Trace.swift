// What the consistency steps and the sampler report to a trace hook (`TraceHook`, CMCore).

/// What the CT step (`ctStep`, CM Algorithm 3) and the CD step (`cdStep`, Algorithm 2) report,
/// in this order. The raw value is the seed pseudocode's variable.
public enum ConsistencyStepValue: String, CaseIterable, Sendable {
  /// N(k), one number (`num_timesteps`).
  case numTimesteps = "num_timesteps"
  /// The Karras grid t_1 < … < t_N (`sigmas`).
  case sigmas
  /// The pair index n of each example, 0-based (`timesteps`).
  case timesteps
  /// z ~ N(0, I), B × D (`noise`).
  case noise
  /// x_{t_{n+1}} = x + t_{n+1}·z, the online network's input (`next_noisy_data`).
  case nextNoisyData = "next_noisy_data"
  /// x̂_{t_n}, the target network's input: x + t_n·z (CT) or one solver step of the teacher (CD)
  /// (`current_noisy_data`).
  case currentNoisyData = "current_noisy_data"
  /// f_θ(x_{t_{n+1}}, t_{n+1}) (`student_model_prediction`).
  case studentModelPrediction = "student_model_prediction"
  /// f_θ⁻(x̂_{t_n}, t_n) (`teacher_model_prediction`).
  case teacherModelPrediction = "teacher_model_prediction"
  /// The batch loss, one number (`loss`).
  case loss
  /// ∇_θ L (`loss.backward()`).
  case gradTheta = "grad_theta"
  /// θ after the optimiser step (`student_model_params`).
  case studentModelParams = "student_model_params"
  /// μ(k), one number (`current_ema_decay_rate`).
  case currentEMADecayRate = "current_ema_decay_rate"
  /// θ⁻ after the EMA update (`teacher_model_params`).
  case teacherModelParams = "teacher_model_params"
}

/// What the consistency sampler (CM Algorithm 1) reports: x after each jump.
public enum SamplerValue: String, CaseIterable, Sendable {
  /// The samples after a jump f_θ(·, τ), count × D.
  case x
}
