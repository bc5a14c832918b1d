// What the EDM teacher's pre-training step and sampler report to a trace hook (`TraceHook`, CMCore).

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

/// What EDM's Heun sampler (EDM Algorithm 1) reports for every step i, in this order.
public enum EDMSamplerValue: String, CaseIterable, Sendable {
  /// t_i, one number.
  case tCur = "t_cur"
  /// D(x_i, t_i), count × D.
  case denoised
  /// x_{i+1}, count × D.
  case xNext = "x_next"
}
