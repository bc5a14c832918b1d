// How the grid size N and the target decay μ evolve with the training step k.
//
// Seed pseudocode:
//   num_timesteps = timestep_schedule(current_training_step, total_training_steps, initial_timesteps, final_timesteps)
//   current_ema_decay_rate = ema_decay_schedule(current_training_step, initial_ema_decay_rate, initial_timesteps)

import CMCore
import CMTeacher

/// N(k) and μ(k) together: CT's curriculum (CM Appendix C, or iCT's exponential one) or CD's
/// constants (CM §6).
///
/// Both training steps ask their schedule the same two questions, so the CT and CD step files
/// stay siblings that differ only in how the target input is made.
public enum DiscretizationSchedule: Codable, Sendable, Equatable {
  /// CT: N(k) grows from s₀ to s₁ + 1 (`ctDiscretizationSteps`) and μ(k) = exp(s₀ ln μ₀ / N(k))
  /// (`emaDecayRate`, in the paper's form or the official code's). μ₀ = 0 gives μ ≡ 0, the limit
  /// of μ₀^{s₀/N}: θ⁻ = stopgrad θ, as iCT §3.2 trains (`targetDecay`).
  case ctCurriculum(s0: Int, s1: Int, mu0: Double, variant: EMADecayVariant)
  /// iCT's exponential curriculum (iCT §3.4): N(k) = min(s₀·2^⌊k/K′⌋, s₁) + 1
  /// (`ictDiscretizationSteps`; iCT: s₀ = 10, s₁ = 1280). μ(k) = μ₀^{N(0)/N(k)} with N(0) = s₀ + 1,
  /// CM's μ(k) carried over to this grid (so μ(0) = μ₀ and μ rises as the grid refines); iCT itself
  /// uses μ₀ = 0, that is μ ≡ 0 (iCT §3.2).
  case ictCurriculum(s0: Int, s1: Int, mu0: Double)
  /// CD: a fixed grid of N points and a fixed target decay μ (CM: N = 18, μ = 0 on CIFAR-10;
  /// N = 40, μ = 0.95 on ImageNet-64).
  case fixed(N: Int, mu: Double)

  /// N(k), the number of grid points at step k of K.
  public func N(k: Int, K: Int) -> Int {
    switch self {
    case .ctCurriculum(let s0, let s1, _, _): return ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
    case .ictCurriculum(let s0, let s1, _): return ictDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
    case .fixed(let N, _): return N
    }
  }

  /// μ(k), the target network's EMA decay at step k of K.
  public func mu(k: Int, K: Int) -> Double {
    switch self {
    case .ctCurriculum(let s0, _, let mu0, let variant):
      return targetDecay(N: N(k: k, K: K), s0: s0, mu0: mu0, variant: variant)
    case .ictCurriculum(let s0, _, let mu0):
      return targetDecay(N: N(k: k, K: K), s0: s0 + 1, mu0: mu0, variant: .paper)
    case .fixed(_, let mu): return mu
    }
  }
}

/// μ of a curriculum's grid of N points: `emaDecayRate` for μ₀ ∈ (0, 1), and 0 for μ₀ = 0 (its
/// limit, iCT §3.2's θ⁻ = stopgrad θ: the target network is the online network without gradient).
///
/// ```
/// μ = exp(s₀ · ln μ₀ / N)     (μ₀ > 0)
/// μ = 0                        (μ₀ = 0)
/// ```
public func targetDecay(N: Int, s0: Int, mu0: Double, variant: EMADecayVariant) -> Double {
  mu0 == 0 ? 0 : emaDecayRate(N: N, s0: s0, mu0: mu0, variant: variant)
}
