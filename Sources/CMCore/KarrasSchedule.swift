// The noise grid t_0 < t_1 < … < t_(N−1) of Karras et al. (2022), 0-based.
//
// Seed pseudocode:
//   sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)

import Foundation

/// Constructs the noise grid of Karras et al. (2022), EDM Eq. 5, in ascending order.
///
/// `karras_schedule` in the seed pseudocode. The points are evenly spaced in σ^{1/ρ}, which
/// crowds them near ε where the data's fine detail lives:
///
/// ```
/// t_i = ( ε^{1/ρ} + i/(N − 1) · (T^{1/ρ} − ε^{1/ρ}) )^ρ,   i = 0 … N − 1
/// ```
///
/// 0-based, as everywhere in this library (Tutorials/NOTATION.md): `sigmas[i]` is t_i, from
/// t_0 = ε to t_(N−1) = T. CM (§4) counts from 1, its t_(i+1) is our t_i; EDM (Table 1) counts from
/// 0 downwards, its t_i is our t_(N−1−i), and appends t_N = 0.
///
/// Mathematical properties: the grid is strictly increasing, and its ends are ε and T up to
/// rounding (evaluating the formula in floating point leaves t_0 within a few ulp of ε; the ends
/// are deliberately not pinned, so the values agree bit for bit with a direct evaluation of the
/// formula such as the NumPy reference's).
///
/// Worked number: N = 3, ε = 0.002, T = 80, ρ = 7 gives t₂ = 2.5152189761…
///
/// - Parameters:
///   - N: N ≥ 2, the number of grid points (argument label `count`).
///   - epsilon: ε > 0 (`sigma_min`; argument label `sigmaMin`).
///   - T: T > ε (`sigma_max`; argument label `sigmaMax`).
///   - rho: ρ > 0.
public func karrasSigmas(
  count N: Int, sigmaMin epsilon: Double = 0.002, sigmaMax T: Double = 80, rho: Double = 7
) -> [Double] {
  precondition(N >= 2 && epsilon > 0 && T > epsilon && rho > 0, "karrasSigmas: bad arguments")
  let epsilonRoot = pow(epsilon, 1 / rho)
  let TRoot = pow(T, 1 / rho)
  return (0..<N).map { i in
    pow(epsilonRoot + Double(i) / Double(N - 1) * (TRoot - epsilonRoot), rho)
  }
}
