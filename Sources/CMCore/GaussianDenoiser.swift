// Exact answers for Gaussian data N(m, s²I): no training needed to know what a perfect model does.

/// The ideal denoiser of isotropic Gaussian data N(m, s²I) at noise level t: E[x | x_t].
///
/// ```
/// D(x_t, t) = m + s² / (s² + t²) · (x_t − m)
/// ```
///
/// Mathematical property: D(x, 0) = x; D(x, t) → m as t → ∞.
///
/// Worked number: m = (0, 0), s = 0.5, t = 0.5, x_t = (1, −2) gives D = (0.5, −1).
public func gaussianDenoiser(x: [Double], t: Double, mean m: [Double], std s: Double) -> [Double] {
  precondition(x.count == m.count, "gaussianDenoiser: x and the mean must have the same length")
  let shrink = s * s / (s * s + t * t)
  return zip(x, m).map { xi, mi in mi + shrink * (xi - mi) }
}

/// The exact consistency function of Gaussian data N(m, s²I): where the probability-flow ODE
/// started at (x_t, t) arrives at time ε.
///
/// ```
/// f*(x_t, t) = m + (x_t − m) · √( (s² + ε²) / (s² + t²) )
/// ```
///
/// (Along the ODE dx/dt = (x − D)/t = t(x − m)/(s² + t²), so (x − m)/√(s² + t²) is constant.)
///
/// Mathematical property: f*(x, ε) = x, the boundary condition; f* is the target every
/// consistency model on this data should learn.
///
/// Worked number: m = (0, 0), s = 0.5, ε = 0.002, t = 1, x_t = (1, 0) gives
/// f* = (√(0.250004/1.25), 0) = (0.44721717…, 0).
public func gaussianConsistencyFunction(
  x: [Double], t: Double, mean m: [Double], std s: Double, sigmaMin epsilon: Double = 0.002
) -> [Double] {
  precondition(x.count == m.count, "gaussianConsistencyFunction: x and the mean must have the same length")
  let ratio = ((s * s + epsilon * epsilon) / (s * s + t * t)).squareRoot()
  return zip(x, m).map { xi, mi in mi + (xi - mi) * ratio }
}
