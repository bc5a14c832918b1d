// The probability-flow ODE solved to near machine precision: the exact consistency function f*
// that every consistency model tries to learn, for any data whose ideal denoiser D is known.
//
// CM §3:  f : (x_t, t) ↦ x_ε, the point where the PF ODE trajectory through (x_t, t) arrives at ε.

import Foundation

/// The integrator gave up: too many steps, or a step size that shrank to nothing (which happens
/// when the denoiser returns a non-finite value). Says where and why.
public struct ProbabilityFlowIntegrationError: Error, CustomStringConvertible, Equatable, Sendable {
  public var description: String

  /// An error that says, in plain words, where the integration stopped and why.
  public init(description: String) { self.description = description }
}

/// Where the probability-flow ODE arrived, and what it cost to get there.
public struct ProbabilityFlowSolution: Sendable, Equatable {
  /// x(t₁), the end of the trajectory.
  public var x: [Double]
  /// Steps whose error estimate met the tolerance.
  public var acceptedSteps: Int
  /// Steps retried with a smaller step size.
  public var rejectedSteps: Int
  /// Calls of D (six per step, plus one at the start and one for the first step size).
  public var denoiserEvaluations: Int
}

/// Integrates the probability-flow ODE (CM Eq. 3, EDM Eq. 3 with σ(t) = t) from (x, t₀) to t₁,
/// in either direction, with error control: the exact transport of a point between noise levels.
///
/// In t, and in s = ln t (the variable the steps are taken in):
///
/// ```
/// dx/dt = −t ∇ₓ log p_t(x) = (x − D(x, t)) / t          (Tweedie: ∇ₓ log p_t = (D − x)/t²)
/// dx/ds = t · dx/dt       = x − D(x, eˢ),              s from ln t₀ to ln t₁
/// ```
///
/// The steps are those of the Dormand–Prince 5(4) pair (Hairer, Nørsett & Wanner, *Solving ODEs
/// I*, §II.5, Table 5.2), the method of `ode45` and SciPy's `RK45`: seven slopes k₁ … k₇ per step
/// (the last is the first of the next step), a 5th-order update, and a 4th-order one whose
/// difference from it estimates the local error. A step of size h is accepted when
///
/// ```
/// err = √( (1/d) Σᵢ ( h Σⱼ eⱼ kⱼᵢ / (atol + rtol · max(|xᵢ|, |x̂ᵢ|)) )² ) ≤ 1
/// h ← h · min(10, max(0.2, 0.9 · err^(−1/5)))           (no growth right after a rejection)
/// ```
///
/// Why s = ln t: in t the slope grows like 1/t near ε and the interval [0.002, 80] spans 4.6
/// decades, so fixed steps in t waste work at large t and lose accuracy at small t. In s the
/// interval is ln(T/ε) ≈ 10.6 long and the slope x − D is bounded and smooth: for Gaussian data
/// N(m, s²I) it is t²/(s² + t²) · (x − m), a logistic in ln t whose derivatives are all bounded, so
/// the step sizes stay comparable across the noise levels. Towards ε (h < 0) the Gaussian flow
/// contracts (∂(x − D)/∂x = t²/(s² + t²) ∈ [0, 1]), so the local errors are damped, not amplified,
/// and the global error stays near the tolerance (the tests measure at most 4e-10 at
/// rtol = atol = 1e-10). Cost on ring8 at that tolerance: about 190 steps (1100 evaluations of D)
/// from T = 80 down to ε, 80 steps from t = 1.
///
/// Mathematical properties: t₁ = t₀ returns x untouched (f*(x, ε) = x exactly); integrating
/// t₀ → t₁ → t₀ returns to x up to the tolerance; for D the Gaussian denoiser the result is
/// `gaussianConsistencyFunction` with ε := t₁.
///
/// Worked number: m = (0, 0), s = 0.5, x = (1, 0) from t₀ = 1 to t₁ = 0.002 arrives at
/// (0.44721717…, 0), the closed form √(0.250004/1.25), 7e-11 away, in 41 accepted steps and one
/// rejected (254 evaluations of D).
///
/// - Parameters:
///   - x: the starting point x(t₀).
///   - t0: the starting noise level t₀ > 0 (argument label `from`).
///   - t1: the noise level t₁ > 0 to integrate to (argument label `to`); t₁ < t₀ runs towards ε.
///   - D: the denoiser D(x, t) whose probability-flow ODE dx/dt = (x − D(x, t))/t is solved
///     (argument label `denoiser`).
///   - rtol: the relative tolerance of the step-size control (argument label
///     `relativeTolerance`), > 0.
///   - atol: the absolute tolerance (argument label `absoluteTolerance`), ≥ 0.
///   - maxSteps: the most steps, accepted and rejected, before giving up, > 0.
///   - trajectory: called with (t, x) at the start and after every accepted step; a tutorial
///     plots the path, the tests ignore it.
/// - Throws: when `maxSteps` steps (accepted and rejected) do not reach t₁, or the step size
///   underflows.
public func integrateProbabilityFlow(
  x: [Double], from t0: Double, to t1: Double, denoiser D: Denoiser,
  relativeTolerance rtol: Double = 1e-10, absoluteTolerance atol: Double = 1e-10,
  maxSteps: Int = 100_000, trajectory: ((Double, [Double]) -> Void)? = nil
) throws(ProbabilityFlowIntegrationError) -> ProbabilityFlowSolution {
  precondition(
    t0 > 0 && t0.isFinite && t1 > 0 && t1.isFinite, "integrateProbabilityFlow: t₀ and t₁ must be > 0")
  precondition(rtol > 0 && atol >= 0 && maxSteps > 0, "integrateProbabilityFlow: bad tolerances")
  trajectory?(t0, x)
  guard t0 != t1 else {
    return ProbabilityFlowSolution(x: x, acceptedSteps: 0, rejectedSteps: 0, denoiserEvaluations: 0)
  }
  let (s0, s1) = (log(t0), log(t1))
  var evaluations = 0
  // dx/ds = x − D(x, eˢ), with t exact at the two ends.
  func slope(_ x: [Double], _ s: Double) -> [Double] {
    evaluations += 1
    let denoised = D(x, s == s0 ? t0 : s == s1 ? t1 : exp(s))
    precondition(denoised.count == x.count, "the denoiser must return a vector the length of x")
    var k = x
    for i in k.indices { k[i] -= denoised[i] }
    return k
  }
  let scale = ErrorScale(rtol: rtol, atol: atol)

  var s = s0
  var x = x
  var k = [[Double]](repeating: [], count: 7)
  k[0] = slope(x, s)
  var h = initialStep(x: x, k1: k[0], s0: s0, s1: s1, scale: scale, slope: slope)
  var (accepted, rejected) = (0, 0)
  var growthLimit = 10.0
  while s != s1 {
    guard accepted + rejected < maxSteps else {
      throw ProbabilityFlowIntegrationError(
        description: "the probability-flow ODE did not reach t = \(t1) from t = \(t0) in \(maxSteps) steps "
          + "(stopped at t = \(exp(s)); loosen the tolerance or raise maxSteps)")
    }
    // The last step lands exactly on s₁.
    let isLast = abs(s1 - s) <= abs(h) * 1.000_001
    if isLast { h = s1 - s }
    // k₂ … k₆ at the intermediate nodes s + c_j·h.
    for j in 1..<6 {
      k[j] = slope(combine(x, h, DormandPrince.a[j], k), s + DormandPrince.c[j] * h)
    }
    // The 5th-order update x̂; k₇ is the slope there (and k₁ of the next step).
    let xHat = combine(x, h, DormandPrince.b, k)
    k[6] = slope(xHat, isLast ? s1 : s + h)
    // The local error estimate h Σⱼ eⱼ kⱼ, in units of the tolerance.
    let err = scale.norm(of: combine([Double](repeating: 0, count: x.count), h, DormandPrince.e, k), x, xHat)
    if err <= 1 {
      accepted += 1
      s = isLast ? s1 : s + h
      x = xHat
      k[0] = k[6]  // first same as last
      trajectory?(s == s1 ? t1 : exp(s), x)
      growthLimit = 10
    } else {
      rejected += 1
      growthLimit = 1
    }
    let factor = err.isFinite ? min(growthLimit, max(0.2, 0.9 * pow(err, -0.2))) : 0.2
    h *= factor
    guard abs(h) > 1e-14 * max(1, abs(s)) else {
      throw ProbabilityFlowIntegrationError(
        description: "the probability-flow ODE's step size underflowed at t = \(exp(s)) "
          + "(the denoiser may have returned a non-finite value)")
    }
  }
  return ProbabilityFlowSolution(
    x: x, acceptedSteps: accepted, rejectedSteps: rejected, denoiserEvaluations: evaluations)
}

/// The exact consistency function f*(x, t): the probability-flow ODE from (x, t) down to ε
/// (CM §3, with the ideal denoiser D in place of a learned one).
///
/// ```
/// f*(x, t) = x(ε)   where   dx/dt = (x − D(x, t)) / t,   x(t) = x
/// ```
///
/// Mathematical property: f*(x, ε) = x exactly, the boundary condition every f_θ satisfies by
/// construction (CM Eq. 5); for Gaussian data f* is `gaussianConsistencyFunction`.
///
/// Worked number: as `integrateProbabilityFlow`, f*((1, 0), 1) = (0.44721717…, 0) for N(0, 0.5²I).
public func exactConsistencyFunction(
  x: [Double], t: Double, sigmaMin epsilon: Double = 0.002, denoiser D: Denoiser,
  relativeTolerance rtol: Double = 1e-10, absoluteTolerance atol: Double = 1e-10
) throws(ProbabilityFlowIntegrationError) -> [Double] {
  precondition(t >= epsilon, "exactConsistencyFunction: t must be ≥ ε")
  return try integrateProbabilityFlow(
    x: x, from: t, to: epsilon, denoiser: D, relativeTolerance: rtol, absoluteTolerance: atol
  ).x
}

/// `exactConsistencyFunction` for a batch: `x` is a flat row-major count × d array, `t` one noise
/// level per row. Each row is integrated on its own, with its own step sizes.
public func exactConsistencyFunction(
  batch x: [Double], t: [Double], sigmaMin epsilon: Double = 0.002, denoiser D: Denoiser,
  relativeTolerance rtol: Double = 1e-10, absoluteTolerance atol: Double = 1e-10
) throws(ProbabilityFlowIntegrationError) -> [Double] {
  precondition(!t.isEmpty && x.count % t.count == 0, "exactConsistencyFunction: one t per row of x")
  let d = x.count / t.count
  var result: [Double] = []
  result.reserveCapacity(x.count)
  for b in t.indices {
    result += try exactConsistencyFunction(
      x: Array(x[b * d..<(b + 1) * d]), t: t[b], sigmaMin: epsilon, denoiser: D,
      relativeTolerance: rtol, absoluteTolerance: atol)
  }
  return result
}

// MARK: - The Dormand–Prince 5(4) pair

/// The Butcher tableau of Dormand & Prince (1980): c (nodes), a (stage weights, row j builds the
/// input of k_{j+1}), b (5th-order weights, also the last row of a) and e = b − b̂ (the 5th minus
/// the 4th-order weights: the error estimate).
private enum DormandPrince {
  static let c: [Double] = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1]
  static let a: [[Double]] = [
    [],
    [1.0 / 5],
    [3.0 / 40, 9.0 / 40],
    [44.0 / 45, -56.0 / 15, 32.0 / 9],
    [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
    [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
    [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
  ]
  static let b: [Double] = a[6]
  static let e: [Double] = [
    71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40,
  ]
}

/// x + h Σⱼ wⱼ kⱼ over the first `w.count` slopes.
private func combine(_ x: [Double], _ h: Double, _ w: [Double], _ k: [[Double]]) -> [Double] {
  var y = x
  for (j, wj) in w.enumerated() where wj != 0 {
    for i in y.indices { y[i] += h * wj * k[j][i] }
  }
  return y
}

/// The mixed absolute / relative error norm of Hairer et al. (II.4.11).
private struct ErrorScale {
  let rtol: Double
  let atol: Double

  /// √( (1/d) Σᵢ (vᵢ / (atol + rtol · max(|xᵢ|, |yᵢ|)))² )
  func norm(of v: [Double], _ x: [Double], _ y: [Double]) -> Double {
    var sum = 0.0
    for i in v.indices {
      let q = v[i] / (atol + rtol * max(abs(x[i]), abs(y[i])))
      sum += q * q
    }
    return (sum / Double(v.count)).squareRoot()
  }
}

/// A first step size from the size of x, of its slope and of the slope's change (Hairer et al.,
/// §II.4, "Starting step size"), signed towards s₁ and no longer than the interval.
private func initialStep(
  x: [Double], k1: [Double], s0: Double, s1: Double, scale: ErrorScale,
  slope: ([Double], Double) -> [Double]
) -> Double {
  let direction: Double = s1 > s0 ? 1 : -1
  let length = abs(s1 - s0)
  let d0 = scale.norm(of: x, x, x)
  let d1 = scale.norm(of: k1, x, x)
  let h0 = min(length, d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1)
  let x1 = combine(x, direction * h0, [1], [k1])
  let k2 = slope(x1, s0 + direction * h0)
  let change = zip(k2, k1).map { $0 - $1 }
  let d2 = scale.norm(of: change, x, x) / h0
  let largest = max(d1, d2)
  let h1 = largest <= 1e-15 ? max(1e-6, h0 * 1e-3) : pow(0.01 / largest, 0.2)
  return direction * min(100 * h0, h1, length)
}
