// Discretization curricula N(k): how many points the noise grid has at training step k.
//
// Seed pseudocode:
//   num_timesteps = timestep_schedule(current_training_step, total_training_steps,
//                                     initial_timesteps, final_timesteps)

import Foundation

/// The CT discretization curriculum N(k) of Song et al. (2023), Appendix C.
///
/// `timestep_schedule` in the seed pseudocode. The grid starts coarse (s₀ points) and is refined
/// with the square root of training progress until it has s₁ + 1 points at step K:
///
/// ```
/// N(k) = ⌈ √( k/K · ((s₁ + 1)² − s₀²) + s₀² ) − 1 ⌉ + 1
/// ```
///
/// Mathematical properties: N(0) = s₀ and N(K) = s₁ + 1 (the square root is then exact on
/// integers, so the ceiling cannot round up by one); N is non-decreasing in k.
///
/// An older version of one public implementation used s₁² in place of (s₁ + 1)²; that is a known
/// bug and is not offered here.
///
/// Worked number: K = 800 000, s₀ = 2, s₁ = 150 gives N(0) = 2, N(1) = 3, N(1000) = 6,
/// N(100 000) = 54, N(800 000) = 151.
///
/// - Parameters:
///   - k: the training step, 0 ≤ k ≤ K.
///   - K: the total number of training steps, K ≥ 1.
///   - s0: the initial number of grid points s₀ ≥ 2 (`initial_timesteps`).
///   - s1: the final number of grid intervals s₁ ≥ s₀ (`final_timesteps`).
public func ctDiscretizationSteps(k: Int, K: Int, s0: Int = 2, s1: Int = 150) -> Int {
  precondition(K >= 1 && k >= 0 && k <= K && s0 >= 2 && s1 >= s0, "ctDiscretizationSteps: bad arguments")
  // ⌈√(A/K) − 1⌉ + 1 = ⌈√(A/K)⌉ with A = k·((s₁+1)² − s₀²) + K·s₀², evaluated exactly in integers:
  // the least m with m²·K ≥ A. (A floating-point evaluation lands one ulp above a perfect square
  // now and then, and the ceiling then returns N + 1.) Sizes too large for exact Int arithmetic
  // fall back to the floating-point formula.
  let span = (s1 + 1) * (s1 + 1) - s0 * s0
  let (kSpan, o1) = k.multipliedReportingOverflow(by: span)
  let (KS0, o2) = K.multipliedReportingOverflow(by: s0 * s0)
  let (A, o3) = kSpan.addingReportingOverflow(KS0)
  let root = (Double(k) * Double(span) / Double(K) + Double(s0 * s0)).squareRoot()
  guard !(o1 || o2 || o3) else { return Int(root.rounded(.up)) }
  var m = Int(root)
  while m > 0 && exceedsOrEquals(m - 1, K, A) { m -= 1 }
  while !exceedsOrEquals(m, K, A) { m += 1 }
  return m
}

/// Whether m²·K ≥ A, without overflow (a product too large for Int is certainly ≥ A).
private func exceedsOrEquals(_ m: Int, _ K: Int, _ A: Int) -> Bool {
  let (m2, o1) = m.multipliedReportingOverflow(by: m)
  let (m2K, o2) = m2.multipliedReportingOverflow(by: K)
  return o1 || o2 || m2K >= A
}

/// The exponential discretization curriculum of iCT (Song & Dhariwal, 2024, §3.4).
///
/// The number of grid intervals doubles every K′ steps, starting at s₀ and capped at s₁:
///
/// ```
/// K′   = ⌊ K / (log₂⌊s₁/s₀⌋ + 1) ⌋
/// N(k) = min(s₀ · 2^⌊k/K′⌋, s₁) + 1
/// ```
///
/// Mathematical properties: N(0) = s₀ + 1; N(K) = s₁ + 1 when s₁/s₀ is a power of two; N is
/// non-decreasing in k.
///
/// Worked number: K = 400 000, s₀ = 10, s₁ = 1280 gives K′ = 50 000, N(0) = 11, N(50 000) = 21,
/// N(400 000) = 1281.
///
/// - Parameters:
///   - k: the training step, 0 ≤ k ≤ K.
///   - K: the total number of training steps, K ≥ 1.
///   - s0: the initial number of grid intervals s₀ ≥ 1.
///   - s1: the final number of grid intervals s₁ ≥ s₀.
public func ictDiscretizationSteps(k: Int, K: Int, s0: Int = 10, s1: Int = 1280) -> Int {
  precondition(K >= 1 && k >= 0 && k <= K && s0 >= 1 && s1 >= s0, "ictDiscretizationSteps: bad arguments")
  // K′ as the paper writes it: the floor is taken of s₁/s₀ and of the quotient, log₂ is real.
  // When K is smaller than log₂⌊s₁/s₀⌋ + 1 the paper's K′ would be 0; we use 1 (double every step).
  let KPrime = max(Int((Double(K) / (log2(Double(s1 / s0)) + 1)).rounded(.down)), 1)
  let doublings = k / KPrime
  // s₀ · 2^⌊k/K′⌋, capped at s₁ (doubling stops once the cap is reached, so nothing overflows).
  var intervals = s0
  var d = 0
  while d < doublings && intervals < s1 {
    intervals *= 2
    d += 1
  }
  return min(intervals, s1) + 1
}
