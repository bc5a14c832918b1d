// EDM's preconditioning of a diffusion denoiser: the scalings, the loss weight and the training
// noise distribution of Karras et al. (2022), Table 1, "Ours" column.
//
// EDM (training/loss.py, EDMLoss):
//   rnd_normal = torch.randn([images.shape[0], 1, 1, 1])
//   sigma = (rnd_normal * self.P_std + self.P_mean).exp()
//   weight = (sigma ** 2 + self.sigma_data ** 2) / (sigma * self.sigma_data) ** 2
// EDM (training/networks.py, EDMPrecond):
//   c_skip = self.sigma_data ** 2 / (sigma ** 2 + self.sigma_data ** 2)
//   c_out = sigma * self.sigma_data / (sigma ** 2 + self.sigma_data ** 2).sqrt()
//   c_in = 1 / (self.sigma_data ** 2 + sigma ** 2).sqrt()
//   c_noise = sigma.log() / 4

import Foundation

/// c_skip(σ) of EDM Table 1: how much of the noisy input the denoiser D_θ passes straight through.
///
/// ```
/// c_skip(σ) = σ_data² / (σ² + σ_data²)
/// ```
///
/// Unshifted: compare CM's `cSkip(t:sigmaData:sigmaMin:)`, σ_data² / ((t − ε)² + σ_data²), which
/// is exactly 1 at t = ε. EDM's reaches 1 only in the limit σ → 0 (at σ = ε = 0.002 it is
/// 0.99998400…): a diffusion denoiser has no boundary condition to meet, so EDM chose c_skip to
/// minimise the variance of the network's target instead (next: `edmCOut`).
///
/// Mathematical property: c_skip(σ) = D*(x, σ)'s slope for Gaussian data of std σ_data, i.e. the
/// skip path alone is the ideal denoiser of N(0, σ_data²I); c_skip(σ_data) = ½.
///
/// Worked number: σ = 1, σ_data = 0.5 gives c_skip = 0.25 / 1.25 = 0.2.
public func edmCSkip(sigma: Double, sigmaData: Double = 0.5) -> Double {
  sigmaData * sigmaData / (sigma * sigma + sigmaData * sigmaData)
}

/// c_out(σ) of EDM Table 1: the scale of the network's output in D_θ.
///
/// ```
/// c_out(σ) = σ · σ_data / √(σ² + σ_data²)
/// ```
///
/// Unshifted: CM's `cOut(t:sigmaData:sigmaMin:)` has (t − ε) in place of σ, so it is exactly 0 at
/// t = ε; EDM's is 0 only at σ = 0 (at σ = ε = 0.002 it is 0.00199998…).
///
/// Mathematical property (EDM App. B.6): with this c_skip and c_out, the network's effective
/// training target F* = (y − c_skip·(y + n)) / c_out has unit variance at every σ, for data of
/// per-coordinate std σ_data and n ~ N(0, σ²I):
///
/// ```
/// ( (1 − c_skip)²·σ_data² + c_skip²·σ² ) / c_out² = 1
/// ```
///
/// Worked number: σ = 1, σ_data = 0.5 gives c_out = 0.5 / √1.25 = 0.44721359…
public func edmCOut(sigma: Double, sigmaData: Double = 0.5) -> Double {
  sigma * sigmaData / (sigma * sigma + sigmaData * sigmaData).squareRoot()
}

/// λ(σ) of EDM Table 1 and Eq. 8: the loss weight of noise level σ.
///
/// `weight` in EDM's `EDMLoss`.
///
/// ```
/// λ(σ) = (σ² + σ_data²) / (σ · σ_data)²
/// ```
///
/// Mathematical property: λ(σ)·c_out(σ)² = 1, so the weighted loss λ‖D_θ − y‖² equals the
/// unweighted ‖F_θ − F*‖² on the network's own output: every σ contributes on the same scale.
///
/// Worked number: σ = 1, σ_data = 0.5 gives λ = 1.25 / 0.25 = 5.
public func edmLossWeight(sigma: Double, sigmaData: Double = 0.5) -> Double {
  (sigma * sigma + sigmaData * sigmaData) / ((sigma * sigmaData) * (sigma * sigmaData))
}

/// The training noise level of EDM Table 1: ln σ ~ N(P_mean, P_std²), drawn from a standard normal.
///
/// `sigma = (rnd_normal * self.P_std + self.P_mean).exp()` in EDM's `EDMLoss`.
///
/// ```
/// σ = exp(P_std · rnd_normal + P_mean),   rnd_normal ~ N(0, 1),   P_mean = −1.2, P_std = 1.2
/// ```
///
/// Mathematical property: the median σ is exp(P_mean) = 0.30119421… (a little below σ_data, where
/// EDM found the loss can be reduced most), and 95 % of draws lie in exp(−1.2 ± 1.96·1.2) =
/// [0.029, 3.16]; the sampler's extremes ε = 0.002 and T = 80 are rarely trained on.
///
/// Worked number: rnd_normal = −2 gives σ = exp(−3.6) = 0.02732372…
public func edmTrainingSigma(rndNormal: Double, pMean: Double = -1.2, pStd: Double = 1.2) -> Double {
  exp(pStd * rndNormal + pMean)
}

/// The four preconditioning scalings of EDM Table 1 at one noise level σ, for
/// D_θ(x, σ) = c_skip(σ)·x + c_out(σ)·F_θ(c_in(σ)·x, c_noise(σ)).
///
/// c_in and c_noise are the same as in the consistency model (`cIn`, `cNoise`); c_skip and c_out
/// are the unshifted `edmCSkip`, `edmCOut` (contrast `BoundaryScalings`).
///
/// ```
/// c_skip(σ)  = σ_data² / (σ² + σ_data²)
/// c_out(σ)   = σ · σ_data / √(σ² + σ_data²)
/// c_in(σ)    = 1 / √(σ² + σ_data²)
/// c_noise(σ) = ¼ · ln σ
/// ```
///
/// Worked number: σ = 0.5, σ_data = 0.5 gives (c_skip, c_out, c_in, c_noise) =
/// (0.5, 0.35355339…, 1.41421356…, −0.17328679…).
public struct EDMScalings: Sendable, Equatable, Codable {
  /// c_skip(σ), the weight of the noisy input in D_φ (EDM Table 1, not shifted by ε).
  public var cSkip: Double
  /// c_out(σ), the weight of the network's output in D_φ.
  public var cOut: Double
  /// c_in(σ), the factor that scales the input to unit variance.
  public var cIn: Double
  /// c_noise(σ) = ¼ ln σ, the noise-level input of the network.
  public var cNoise: Double

  /// Evaluates c_skip, c_out, c_in and c_noise at σ.
  public init(sigma: Double, sigmaData: Double = 0.5) {
    cSkip = edmCSkip(sigma: sigma, sigmaData: sigmaData)
    cOut = edmCOut(sigma: sigma, sigmaData: sigmaData)
    cIn = CMCore.cIn(t: sigma, sigmaData: sigmaData)
    cNoise = CMCore.cNoise(t: sigma)
  }
}
