// One arm of an Archimedean spiral: a single long, thin, curved mode.
import CMCore
import Foundation

/// An Archimedean spiral of one and a half turns (scikit-learn's `make_swiss_roll` seen along its
/// height axis), standardised to per-coordinate mean 0 and std σ_data = 0.5.
///
/// ```
/// θ ~ U[a, b],  a = 3π/2,  b = 9π/2,  z ~ N(0, I),  σ_n = 0.4
/// raw = θ·(cos θ, sin θ) + σ_n·z
/// x   = (raw − μ_raw) · σ_data / σ_raw      (see `Standardization`)
/// ```
///
/// The constants are exact integrals over θ, with L = b − a = 3π and the antiderivatives
/// ∫θ cos θ = θ sin θ + cos θ, ∫θ sin θ = sin θ − θ cos θ, ∫θ² cos 2θ = (θ²/2 − ¼) sin 2θ + (θ/2) cos 2θ
/// (at a and b: sin θ = ∓1, cos θ = 0, sin 2θ = 0, cos 2θ = −1):
///
/// ```
/// μ_raw    = ( (a + b)/L, 2/L ) = (2, 2/(3π))
/// E[θ² cos²θ] = (a² + ab + b²)/6 − ¼,   E[θ² sin²θ] = (a² + ab + b²)/6 + ¼,   (a² + ab + b²)/6 = 4.875 π²
/// σ²_raw,1 = 4.875 π² − ¼ − 2²       + σ_n²
/// σ²_raw,2 = 4.875 π² + ¼ − (2/(3π))² + σ_n²
/// ```
///
/// Measured check (the tests): 10⁶ raw points from `SeededGenerator(seed: 2023)` give
/// mean (2.0048, 0.2223) and std (6.6351, 6.9611), within the sampling error of the above.
///
/// Worked number: σ_raw = (6.63508262…, 6.96270707…).
public enum Spiral {
  /// σ_n, the noise added around the curve.
  public static let noiseStd = 0.4
  /// θ's range [a, b].
  public static let thetaRange = (a: 1.5 * Double.pi, b: 4.5 * Double.pi)
  /// μ_raw and σ_raw, from the exact integrals above.
  public static let standardization: Standardization = {
    let pi2 = Double.pi * Double.pi
    let muY = 2 / (3 * Double.pi)
    let varX = 4.875 * pi2 - 0.25 - 4 + noiseStd * noiseStd
    let varY = 4.875 * pi2 + 0.25 - muY * muY + noiseStd * noiseStd
    return Standardization(
      rawMean: SIMD2(2, muY), rawStd: SIMD2(varX.squareRoot(), varY.squareRoot()))
  }()

  /// One raw (unstandardised) point: one uniform for θ, two Gaussians.
  public static func rawPoint(using generator: inout SeededGenerator) -> SIMD2<Double> {
    let theta = thetaRange.a + (thetaRange.b - thetaRange.a) * generator.nextUniform()
    let z = SIMD2(generator.nextGaussian(), generator.nextGaussian())
    return theta * SIMD2(cos(theta), sin(theta)) + noiseStd * z
  }

  /// `count` standardised points, flat row-major count × 2.
  public static func sample(count: Int, using generator: inout SeededGenerator) -> [Double] {
    standardization.sample(count: count, using: &generator, rawPoint: rawPoint)
  }
}
