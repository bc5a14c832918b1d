// Which neighbouring pair (t_n, t_{n+1}) of the grid a training example uses.
//
// Seed pseudocode:
//   timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)
//   current_sigmas = sigmas[timesteps]
//   next_sigmas = sigmas[timesteps + 1]

import Foundation

/// Draws the pair index n uniformly, as in CM Algorithm 3: n ~ U{1, …, N − 1} in the paper's
/// 1-based indices, which is n ∈ {0, …, N − 2} here (0-based).
///
/// `uniform_distribution(..., start=0, end=num_timesteps-1)` in the seed pseudocode: `end` is
/// exclusive there, so both n and n + 1 index the N-point grid.
///
/// Mathematical property: every pair has probability 1/(N − 1), and n + 1 ≤ N − 1 always.
///
/// - Parameters:
///   - N: the number of grid points, N ≥ 2.
///   - generator: the seeded random source.
public func uniformPairIndex(N: Int, using generator: inout SeededGenerator) -> Int {
  precondition(N >= 2, "uniformPairIndex needs N ≥ 2")
  return generator.nextInt(below: N - 1)
}

/// The iCT discretised-lognormal probabilities of the N − 1 pairs (Song & Dhariwal, 2024, §3.5).
///
/// Pair n gets the mass that a lognormal σ, ln σ ~ N(P_mean, P_std²), puts between t_n and
/// t_{n+1}, normalised over the grid:
///
/// ```
/// p(n) ∝ erf( (ln t_{n+1} − P_mean) / (√2 P_std) ) − erf( (ln t_n − P_mean) / (√2 P_std) )
/// ```
///
/// One public README prints P_mean = 1.1; the paper's value is −1.1.
///
/// Accuracy: a difference of two erf values near ±1 loses digits, so where both arguments have
/// the same sign the difference is taken between erfc values of the tail instead
/// (erf b − erf a = erfc a − erfc b), which is exact algebra and keeps full relative precision.
///
/// Mathematical properties: the probabilities are positive and sum to 1.
///
/// - Parameters:
///   - sigmas: the ascending grid t₁ < … < t_N (at least 2 points).
///   - pMean: P_mean.
///   - pStd: P_std > 0.
/// - Returns: N − 1 probabilities, entry n for the pair (t_n, t_{n+1}) in 0-based indices.
public func lognormalPairProbabilities(sigmas: [Double], pMean: Double = -1.1, pStd: Double = 2.0)
  -> [Double]
{
  // The formula is written once, in the version that fills a kept buffer (InPlace.swift).
  var probabilities: [Double] = []
  lognormalPairProbabilities(sigmas: sigmas, pMean: pMean, pStd: pStd, into: &probabilities)
  return probabilities
}

/// erf(b) − erf(a), taken in whichever form keeps full relative precision.
func erfDifference(from a: Double, to b: Double) -> Double {
  if a >= 0 && b >= 0 { return erfc(a) - erfc(b) }
  if a <= 0 && b <= 0 { return erfc(-b) - erfc(-a) }
  return erf(b) - erf(a)
}

/// The iCT loss weighting λ(t_n) = 1 / (t_{n+1} − t_n) for every pair of the grid (iCT §3.1).
///
/// CM uses λ ≡ 1; iCT weights small gaps (near ε, where the grid is dense) up, so that every
/// pair contributes comparably.
///
/// Worked number: on the 3-point default grid the first pair has λ = 1/(t₂ − t₁) = 0.39789608…
public func ictPairWeights(sigmas: [Double]) -> [Double] {
  precondition(sigmas.count >= 2, "ictPairWeights needs at least 2 grid points")
  return (0..<(sigmas.count - 1)).map { n in 1 / (sigmas[n + 1] - sigmas[n]) }
}

/// Draws a pair index from given pair probabilities by inverting their cumulative sum:
/// n is the first index with p(0) + … + p(n) > U, for one uniform U ∈ [0, 1).
///
/// Mathematical property: P(n) = p(n) for probabilities that sum to 1 (any rounding excess
/// lands on the last pair).
public func samplePairIndex(probabilities: [Double], using generator: inout SeededGenerator) -> Int {
  precondition(!probabilities.isEmpty, "samplePairIndex needs at least one probability")
  let u = generator.nextUniform()
  var cumulative = 0.0
  for n in probabilities.indices {  // an index loop: no iterator state, even unoptimised
    cumulative += probabilities[n]
    if u < cumulative { return n }
  }
  return probabilities.count - 1
}
