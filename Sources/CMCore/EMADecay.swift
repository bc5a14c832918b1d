// The decay rate μ(k) of the target network's EMA.
//
// Seed pseudocode:
//   current_ema_decay_rate = ema_decay_schedule(current_training_step, initial_ema_decay_rate, initial_timesteps)

import Foundation

/// Which denominator the EMA decay schedule uses.
public enum EMADecayVariant: String, Sendable, Codable, CaseIterable {
  /// CM Appendix C: μ(k) = exp(s₀ · ln μ₀ / N(k)). Gives μ(0) = μ₀.
  case paper
  /// The official code (`ema_and_scales_fn`): μ(k) = exp(s₀ · ln μ₀ / (N(k) − 1)).
  /// Gives μ(0) = μ₀² for s₀ = 2 (0.81 for μ₀ = 0.9).
  case official
}

/// The EMA decay rate μ of the target network θ⁻ for a grid of N points (CM Appendix C).
///
/// `ema_decay_schedule(current_training_step, …)` in the seed pseudocode: it looks like a function
/// of the step, but the step enters only through N(k). As the grid gets finer, adjacent points
/// get closer and the target can move more slowly:
///
/// ```
/// μ = exp( s₀ · ln μ₀ / N )            (paper)
/// μ = exp( s₀ · ln μ₀ / (N − 1) )      (official code)
/// ```
///
/// Mathematical properties: with the paper's form, N = s₀ gives μ = μ₀ exactly in real
/// arithmetic (so μ(0) = μ₀); μ increases towards 1 as N grows.
///
/// Worked number: s₀ = 2, μ₀ = 0.9, N = 3 (that is N(1) for K = 800 000, s₁ = 150) gives
/// μ = 0.9^{2/3} = 0.93216975…
///
/// - Parameters:
///   - N: the number of grid points at this step, N ≥ 2.
///   - s0: s₀, the curriculum's initial number of grid points.
///   - mu0: μ₀ ∈ (0, 1), the decay rate at the start of training.
///   - variant: the paper's denominator or the official code's.
public func emaDecayRate(N: Int, s0: Int = 2, mu0: Double = 0.9, variant: EMADecayVariant = .paper)
  -> Double
{
  precondition(N >= 2 && s0 >= 1 && mu0 > 0 && mu0 < 1, "emaDecayRate: bad arguments")
  let denominator = variant == .paper ? Double(N) : Double(N - 1)
  return exp(Double(s0) * log(mu0) / denominator)
}

/// μ(k) at training step k: the decay rate of the CT curriculum's grid at that step,
/// emaDecayRate(N: N(k)). See `ctDiscretizationSteps` and `emaDecayRate(N:s0:mu0:variant:)`.
///
/// Worked numbers (paper form, K = 800 000, s₀ = 2, s₁ = 150, μ₀ = 0.9): μ(0) = 0.9,
/// μ(1) = 0.93216975…, μ(800 000) = 0.99860547…
public func emaDecayRate(
  k: Int, K: Int, s0: Int = 2, s1: Int = 150, mu0: Double = 0.9, variant: EMADecayVariant = .paper
) -> Double {
  emaDecayRate(N: ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1), s0: s0, mu0: mu0, variant: variant)
}
