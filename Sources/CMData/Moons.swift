// Two interleaving half-circles: the classic toy with two thin, curved modes.
import CMCore
import Foundation

/// Two interleaving half-circles (scikit-learn's `make_moons`, with θ drawn uniformly rather than
/// on a grid), standardised to per-coordinate mean 0 and std σ_data = 0.5.
///
/// ```
/// θ ~ U[0, π],  b ~ U{0, 1},  z ~ N(0, I),  σ_n = 0.1
/// raw = (cos θ, sin θ) + σ_n·z              if b = 0   (upper moon)
/// raw = (1 − cos θ, ½ − sin θ) + σ_n·z      if b = 1   (lower moon)
/// x   = (raw − μ_raw) · σ_data / σ_raw      (see `Standardization`)
/// ```
///
/// The constants are exact. With E cos θ = 0, E sin θ = 2/π, E cos²θ = E sin²θ = ½:
///
/// ```
/// μ_raw   = (½·(0 + 1), ½·(2/π + ½ − 2/π)) = (0.5, 0.25)
/// σ²_raw,1 = ½·(½ + 3/2) − 0.5² + σ_n²       = 0.76
/// σ²_raw,2 = ½·(½ + ¾ − 2/π) − 0.25² + σ_n²  = 0.5725 − 1/π
/// ```
///
/// Measured check (the tests): 10⁶ raw points from `SeededGenerator(seed: 2023)` give
/// mean (0.5008, 0.2495) and std (0.8721, 0.5038), within the sampling error of the above.
///
/// Worked number: σ_raw = (0.87177978…, 0.50417270…).
public enum Moons {
  /// σ_n, the noise added to each moon.
  public static let noiseStd = 0.1
  /// μ_raw and σ_raw, from the exact integrals above.
  public static let standardization = Standardization(
    rawMean: SIMD2(0.5, 0.25),
    rawStd: SIMD2(0.76.squareRoot(), (0.5725 - 1 / Double.pi).squareRoot()))

  /// One raw (unstandardised) point: one uniform for the moon, one for θ, two Gaussians.
  public static func rawPoint(using generator: inout SeededGenerator) -> SIMD2<Double> {
    let upper = generator.nextUniform() < 0.5
    let theta = Double.pi * generator.nextUniform()
    let arm = upper ? SIMD2(cos(theta), sin(theta)) : SIMD2(1 - cos(theta), 0.5 - sin(theta))
    let z = SIMD2(generator.nextGaussian(), generator.nextGaussian())
    return arm + noiseStd * z
  }

  /// `count` standardised points, flat row-major count × 2.
  public static func sample(count: Int, using generator: inout SeededGenerator) -> [Double] {
    standardization.sample(count: count, using: &generator, rawPoint: rawPoint)
  }
}
