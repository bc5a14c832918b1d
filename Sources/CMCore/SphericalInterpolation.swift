// Spherical linear interpolation (slerp) between two noise vectors: how CM interpolates between
// two samples (CM §6 and App. D, "interpolation"), following Shoemake (1985).
import Foundation

/// The point a fraction α of the way from z₁ to z₂ along the great circle through them, with the
/// norm interpolated as on a sphere (CM App. D uses it to interpolate the initial noise of
/// one-step sampling).
///
/// ```
/// ψ = arccos( ⟨z₁, z₂⟩ / (‖z₁‖ ‖z₂‖) )
/// slerp(z₁, z₂; α) = sin((1 − α)ψ)/sin ψ · z₁ + sin(αψ)/sin ψ · z₂
/// ```
///
/// Why not the straight line (1 − α)z₁ + αz₂: in high dimension a Gaussian vector lies near the
/// sphere of radius √d, and the midpoint of two of them is shorter by about √2, a point the
/// model never saw at T; slerp stays on the sphere. When z₁ and z₂ are (nearly) parallel,
/// sin ψ → 0 and the formula is 0/0, so the straight line, its limit, is used instead.
///
/// Mathematical properties: slerp(α = 0) = z₁, slerp(α = 1) = z₂; when ‖z₁‖ = ‖z₂‖ = r, every
/// slerp(α) has norm r and the angle to z₁ is αψ (constant speed on the circle).
///
/// Worked number: z₁ = (1, 0), z₂ = (0, 1) (ψ = π/2), α = ½ gives (√½, √½) = (0.70710678…, 0.70710678…).
public func sphericalInterpolation(_ z1: [Double], _ z2: [Double], alpha: Double) -> [Double] {
  precondition(
    z1.count == z2.count && !z1.isEmpty, "sphericalInterpolation: z₁ and z₂ must share one dimension")
  let norm1 = z1.reduce(0) { $0 + $1 * $1 }.squareRoot()
  let norm2 = z2.reduce(0) { $0 + $1 * $1 }.squareRoot()
  precondition(norm1 > 0 && norm2 > 0, "sphericalInterpolation: z₁ and z₂ must be non-zero")
  let dot = zip(z1, z2).reduce(0) { $0 + $1.0 * $1.1 }
  // ψ, the angle between z₁ and z₂ (the cosine clamped against rounding just outside [−1, 1]).
  let psi = acos(min(1, max(-1, dot / (norm1 * norm2))))
  let sinPsi = sin(psi)
  guard sinPsi > 1e-9 else {
    // (Nearly) parallel: the straight line, the limit of the formula.
    return zip(z1, z2).map { (1 - alpha) * $0 + alpha * $1 }
  }
  // sin((1 − α)ψ)/sin ψ · z₁ + sin(αψ)/sin ψ · z₂
  let a = sin((1 - alpha) * psi) / sinPsi
  let b = sin(alpha * psi) / sinPsi
  return zip(z1, z2).map { a * $0 + b * $1 }
}
