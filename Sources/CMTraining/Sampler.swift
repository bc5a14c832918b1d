// Multistep consistency sampling: CM Algorithm 1.

import CMCore
import CMTeacher
import CMNetwork

/// The noise levels τ of a multistep sampler could not be used; says which and why.
public struct SamplingScheduleError: Error, CustomStringConvertible, Equatable {
  public var description: String
}

/// Checks that τ₁ > τ₂ > … lie strictly between ε and T, as Algorithm 1 requires.
public func validateSamplingTaus(_ taus: [Double], sigmaMin epsilon: Double, sigmaMax T: Double)
  throws(SamplingScheduleError)
{
  for (i, tau) in taus.enumerated() {
    guard tau.isFinite, tau > epsilon, tau < T else {
      throw SamplingScheduleError(
        description: "τ = \(tau) must lie in (\(epsilon), \(T)), strictly between ε and T")
    }
    if i > 0 && !(tau < taus[i - 1]) {
      throw SamplingScheduleError(
        description: "τ must be strictly decreasing (τ\(i) = \(taus[i - 1]) then τ\(i + 1) = \(tau))")
    }
  }
}

extension ConsistencyModel {
  /// Multistep consistency sampling (CM Algorithm 1): one jump from pure noise at T to the data,
  /// then, for each τ in a decreasing list, re-noise to level τ and jump back.
  ///
  /// ```
  /// z ~ N(0, I);            x ← f_θ(T·z, T)
  /// for τ in τ₁ > τ₂ > …:   z′ ~ N(0, I);  x̂_τ = x + √(τ² − ε²)·z′;  x ← f_θ(x̂_τ, τ)
  /// ```
  ///
  /// √(τ² − ε²) rather than τ: x is treated as a sample at level ε, so this much fresh noise brings
  /// its total noise level to exactly τ. With no τ it is 1-step sampling.
  ///
  /// - Parameters:
  ///   - theta: the network parameters to sample with (θ or θ⁻; argument label `parameters`).
  ///   - count: how many samples.
  ///   - taus: the decreasing intermediate noise levels, each in (ε, T); empty for one step.
  ///   - T: the largest noise level (argument label `sigmaMax`).
  ///   - generator: the source of z and z′.
  ///   - trace: receives `.x` after each jump.
  /// - Returns: `count` samples, row-major (count × D), in the training data's units.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func sample(
    parameters theta: [Scalar], count: Int, taus: [Double], sigmaMax T: Double,
    generator: inout SeededGenerator, trace: TraceHook<SamplerValue>? = nil
  ) -> [Double] {
    precondition(count > 0, "sample: count must be positive")
    let D = dimension
    var workspace = makeWorkspace(batchSize: count)
    // x ← f_θ(T·z, T)
    let z = generator.gaussians(count: count * D)
    var x = self(
      parameters: theta, x: z.map { T * $0 }, t: [Double](repeating: T, count: count),
      workspace: &workspace)
    trace?(.x, x)
    for tau in taus {
      // z′ ~ N(0, I);  x̂_τ = x + √(τ² − ε²)·z′
      let zPrime = generator.gaussians(count: count * D)
      let scale = (tau * tau - sigmaMin * sigmaMin).squareRoot()
      let xTau = (0..<x.count).map { i in x[i] + scale * zPrime[i] }
      // x ← f_θ(x̂_τ, τ)
      x = self(
        parameters: theta, x: xTau, t: [Double](repeating: tau, count: count),
        workspace: &workspace)
      trace?(.x, x)
    }
    return x
  }
}
