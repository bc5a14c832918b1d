// One solver step of the probability-flow ODE: how Consistency Distillation makes its target input.
//
// CM Algorithm 2:  x̂^φ_{t_n} ← x_{t_{n+1}} + (t_n − t_{n+1}) Φ(x_{t_{n+1}}, t_{n+1}; φ)

/// A denoiser D(x, t): an estimate of the clean data point given x_t = x + t·z.
/// A pre-trained diffusion model, an exact mixture denoiser, or (for CT) the data point itself.
public typealias Denoiser = ([Double], Double) -> [Double]

/// The probability-flow ODE's slope (EDM Eq. 3 with σ(t) = t): dx/dt = (x − D(x, t)) / t.
public func probabilityFlowSlope(x: [Double], t: Double, denoiser D: Denoiser) -> [Double] {
  let denoised = D(x, t)
  precondition(denoised.count == x.count, "the denoiser must return a vector the length of x")
  return zip(x, denoised).map { ($0 - $1) / t }
}

/// One Euler step of the probability-flow ODE from t_{n+1} down to t_n (CM Algorithm 2 with
/// the Euler solver).
///
/// ```
/// d  = (x − D(x, t_{n+1})) / t_{n+1}
/// x̂ = x + (t_n − t_{n+1}) · d
/// ```
///
/// Mathematical property (CT is CD with the one-sample denoiser): if D(x_{t_{n+1}}, t_{n+1}) is
/// the data point x itself, then with x_{t_{n+1}} = x + t_{n+1}·z, d = z and
/// x̂ = x + t_{n+1}·z + (t_n − t_{n+1})·z = x + t_n·z, the CT target input.
public func eulerStep(x: [Double], from tNPlus1: Double, to tN: Double, denoiser D: Denoiser)
  -> [Double]
{
  let d = probabilityFlowSlope(x: x, t: tNPlus1, denoiser: D)
  return zip(x, d).map { xi, di in xi + (tN - tNPlus1) * di }
}

/// One Heun step (Euler, then the trapezoidal correction) of the probability-flow ODE from t_{n+1}
/// down to t_n: the solver of CM's CD experiments and of EDM Algorithm 1.
///
/// ```
/// d   = (x − D(x, t_{n+1})) / t_{n+1}                  # Euler step.
/// x₁  = x + (t_n − t_{n+1}) · d
/// d′  = (x₁ − D(x₁, t_n)) / t_n                          # Apply 2nd order correction.
/// x̂  = x + (t_n − t_{n+1}) · (d + d′) / 2
/// ```
///
/// Mathematical property: second-order accurate in the step; exact whenever the slope is
/// constant along the step (as it is for the one-sample denoiser D := x).
public func heunStep(x: [Double], from tNPlus1: Double, to tN: Double, denoiser D: Denoiser)
  -> [Double]
{
  let h = tN - tNPlus1
  // Euler step.
  let d = probabilityFlowSlope(x: x, t: tNPlus1, denoiser: D)
  let x1 = zip(x, d).map { xi, di in xi + h * di }
  // Apply 2nd order correction.
  let dPrime = probabilityFlowSlope(x: x1, t: tN, denoiser: D)
  return (0..<x.count).map { i in x[i] + h * (d[i] + dPrime[i]) / 2 }
}

/// Which one-step ODE solver makes the CD target input.
public enum ODESolver: String, Sendable, Codable, CaseIterable {
  /// The Euler step: first order, one evaluation of the denoiser.
  case euler
  /// Heun's step: second order, two evaluations of the denoiser (EDM's and CM's choice).
  case heun

  /// One step of this solver from t_{n+1} to t_n.
  public func step(x: [Double], from tNPlus1: Double, to tN: Double, denoiser: Denoiser) -> [Double] {
    switch self {
    case .euler: return eulerStep(x: x, from: tNPlus1, to: tN, denoiser: denoiser)
    case .heun: return heunStep(x: x, from: tNPlus1, to: tN, denoiser: denoiser)
    }
  }
}

/// A batched denoiser: row b of the row-major batch x (B × D) denoised at its own noise level
/// t[b]. The frozen teacher of Consistency Distillation has this shape (one network evaluation for
/// the whole batch).
public typealias BatchDenoiser = (_ x: [Double], _ t: [Double]) -> [Double]

extension ODESolver {
  /// One step of this solver for a whole batch, row b from tNPlus1[b] down to tN[b]: the same
  /// arithmetic as `eulerStep` / `heunStep` row by row, with one batched denoiser call per stage
  /// (Euler: 1, Heun: 2).
  ///
  /// ```
  /// d  = (x − D(x, t_{n+1})) / t_{n+1}                       # Euler step.
  /// x̂ = x + (t_n − t_{n+1}) · d
  /// d′ = (x̂ − D(x̂, t_n)) / t_n                               # Apply 2nd order correction (Heun).
  /// x̂ = x + (t_n − t_{n+1}) · (d + d′) / 2
  /// ```
  public func step(batch x: [Double], from tNPlus1: [Double], to tN: [Double], denoiser D: BatchDenoiser)
    -> [Double]
  {
    let B = tN.count
    precondition(tNPlus1.count == B && B > 0 && x.count % B == 0, "ODESolver.step: x is not B × D")
    let dim = x.count / B
    // Euler step.
    let denoised = D(x, tNPlus1)
    precondition(denoised.count == x.count, "the denoiser must return a batch the shape of x")
    var d = [Double](repeating: 0, count: x.count)
    var xHat = [Double](repeating: 0, count: x.count)
    for i in 0..<x.count {
      let b = i / dim
      d[i] = (x[i] - denoised[i]) / tNPlus1[b]
      xHat[i] = x[i] + (tN[b] - tNPlus1[b]) * d[i]
    }
    guard self == .heun else { return xHat }
    // Apply 2nd order correction.
    let denoisedPrime = D(xHat, tN)
    precondition(denoisedPrime.count == x.count, "the denoiser must return a batch the shape of x")
    for i in 0..<x.count {
      let b = i / dim
      let dPrime = (xHat[i] - denoisedPrime[i]) / tN[b]
      xHat[i] = x[i] + (tN[b] - tNPlus1[b]) * (d[i] + dPrime) / 2
    }
    return xHat
  }
}
