// Interpolation between two samples through their noise: CM App. D, one-step sampling along a
// spherical path between two noise vectors.

import CMCore
import CMNetwork

extension ConsistencyModel {
  /// One-step samples along the spherical interpolation between two noise vectors (CM App. D):
  /// x(α) = f_θ(T·slerp(z₁, z₂; α), T) for each α. Nearby α give nearby noise, so the samples
  /// trace a path in data space; where it crosses between modes shows how the model splits the
  /// noise space.
  ///
  /// ```
  /// z(α) = sin((1 − α)ψ)/sin ψ · z₁ + sin(αψ)/sin ψ · z₂,   ψ = ∠(z₁, z₂)
  /// x(α) = f_θ(T·z(α), T)
  /// ```
  ///
  /// Mathematical property: the ends are the one-step samples of z₁ and z₂ (Algorithm 1 with
  /// no τ).
  ///
  /// - Returns: one point per α, count(alphas) × D.
  public func interpolate(
    parameters theta: [Scalar], from z1: [Double], to z2: [Double], alphas: [Double], sigmaMax T: Double
  ) -> [Double] {
    precondition(z1.count == dimension && z2.count == dimension, "interpolate: z₁ and z₂ are D-vectors")
    // z(α) = slerp(z₁, z₂; α), scaled to level T
    let noise = alphas.flatMap { alpha in sphericalInterpolation(z1, z2, alpha: alpha).map { T * $0 } }
    // x(α) = f_θ(T·z(α), T)
    return self(parameters: theta, x: noise, t: [Double](repeating: T, count: alphas.count))
  }
}
