// The default dataset: eight Gaussian blobs on a circle, a mixture, so its exact denoiser is known.
import Foundation

extension GaussianMixture {
  /// Eight equal-weight isotropic Gaussians on a circle, rescaled so each coordinate has
  /// standard deviation σ_data exactly.
  ///
  /// ```
  /// raw:   w_k = 1/8,  m_k = R·(cos 2πk/8, sin 2πk/8),  s_k = s,   k = 0 … 7
  /// Var[raw_j] = R²·(1/8) Σ_k cos²(2πk/8) + s² = R²/2 + s²        (the eight cos² average ½)
  /// c = σ_data / √(R²/2 + s²)
  /// ring8: m_k ↦ c·m_k,  s ↦ c·s
  /// ```
  ///
  /// The scale is exact (no measurement): the mixture-moment formula of `GaussianMixture` gives
  /// the raw variance in closed form, and the eight angles are symmetric, so the mean is 0.
  ///
  /// Worked number: R = 2, s = 0.05, σ_data = 0.5 give c = 0.5/√2.0025 = 0.35333262…, so the
  /// centres lie on radius 0.70666525… and each component has std 0.01766663….
  public static func ring8(
    radius R: Double = 2, componentStd s: Double = 0.05, sigmaData: Double = 0.5
  ) -> GaussianMixture {
    let c = sigmaData / (R * R / 2 + s * s).squareRoot()
    let means = (0..<8).map { k -> [Double] in
      let angle = 2 * Double.pi * Double(k) / 8
      return [c * R * cos(angle), c * R * sin(angle)]
    }
    return GaussianMixture(
      weights: [Double](repeating: 1, count: 8), means: means,
      stds: [Double](repeating: c * s, count: 8))
  }
}
