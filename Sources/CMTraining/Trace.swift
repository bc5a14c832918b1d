// The trace hook: how a step reports each intermediate value to whoever is watching.

/// An observer of a step's intermediate values, called once per named value in the order the
/// step computes them (STYLE.md rule 6). Tutorials print and pause; tests and training pass nil.
///
/// `Name` is the enum of the values one kind of step reports (`ConsistencyStepValue` for the CT
/// and CD steps, `EDMStepValue` for the teacher's pre-training step, `SamplerValue` and
/// `EDMSamplerValue` for the samplers), so an observer can `switch` over them exhaustively; the
/// value is flattened row-major. Every call site is `trace?(name, value)`: with no observer the
/// value expression is never evaluated, so tracing off builds nothing and costs nothing
/// measurable, and a traced step computes bit for bit what an untraced one does
/// (`TraceTests` checks both states).
public typealias TraceHook<Name> = (_ name: Name, _ value: [Double]) -> Void

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

/// What the EDM teacher's pre-training step (`edmStep`) reports, in this order; the raw values
/// are the variable names of EDM's `EDMLoss`.
public enum EDMStepValue: String, CaseIterable, Sendable {
  /// One standard normal per example.
  case rndNormal = "rnd_normal"
  /// σ = exp(P_std·rnd_normal + P_mean) per example.
  case sigma
  /// λ(σ) per example.
  case weight
  /// The noise n = σ·z, B × D.
  case n
  /// D_θ(y + n, σ), B × D.
  case dYN = "D_yn"
  /// The batch loss, one number.
  case loss
  /// ∇_θ L.
  case gradTheta = "grad_theta"
  /// θ after the optimiser step.
  case theta
  /// β of the EMA, one number.
  case emaBeta = "ema_beta"
  /// θ_EMA after the update.
  case thetaEMA = "theta_ema"
}

/// What the consistency sampler (CM Algorithm 1) reports: x after each jump.
public enum SamplerValue: String, CaseIterable, Sendable {
  /// The samples after a jump f_θ(·, τ), count × D.
  case x
}

/// What EDM's Heun sampler (EDM Algorithm 1) reports for every step i, in this order.
public enum EDMSamplerValue: String, CaseIterable, Sendable {
  /// t_i, one number.
  case tCur = "t_cur"
  /// D(x_i, t_i), count × D.
  case denoised
  /// x_{i+1}, count × D.
  case xNext = "x_next"
}
