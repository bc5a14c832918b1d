// The scalings that make f_θ(x, ε) = x hold by construction.
//
// Seed pseudocode:
//   skip_scaling(next_sigmas, sigma_data, sigma_min)
//   output_scaling(next_sigmas, sigma_data, sigma_min)

import Foundation

/// c_skip(t) of CM Eq. 5 / Appendix C: EDM's skip scaling shifted by ε so that it is 1 at t = ε.
///
/// `skip_scaling` in the seed pseudocode.
///
/// ```
/// c_skip(t) = σ_data² / ((t − ε)² + σ_data²)
/// ```
///
/// Mathematical property: c_skip(ε) = 1 exactly (the shifted term is (ε − ε)² = 0).
///
/// Worked number: t = 1, σ_data = 0.5, ε = 0.002 gives c_skip = 0.25 / 1.246004 = 0.20064141…
public func cSkip(t: Double, sigmaData: Double = 0.5, sigmaMin epsilon: Double = 0.002) -> Double {
  let tShift = t - epsilon
  return sigmaData * sigmaData / (tShift * tShift + sigmaData * sigmaData)
}

/// c_out(t) of CM Eq. 5 / Appendix C: EDM's output scaling shifted by ε so that it is 0 at t = ε.
///
/// `output_scaling` in the seed pseudocode.
///
/// ```
/// c_out(t) = σ_data · (t − ε) / √(σ_data² + t²)
/// ```
///
/// Mathematical property: c_out(ε) = 0 exactly, so the network's output is switched off at the
/// boundary whatever it is.
///
/// Worked number: t = 1, σ_data = 0.5, ε = 0.002 gives c_out = 0.5 · 0.998 / √1.25 = 0.44631917…
public func cOut(t: Double, sigmaData: Double = 0.5, sigmaMin epsilon: Double = 0.002) -> Double {
  sigmaData * (t - epsilon) / (sigmaData * sigmaData + t * t).squareRoot()
}

/// c_in(t) of EDM Table 1: scales the noisy input to unit variance before the network sees it.
///
/// ```
/// c_in(t) = 1 / √(t² + σ_data²)
/// ```
///
/// Mathematical property: for data with per-coordinate std σ_data, c_in(t)·(x + t·z) has unit
/// variance at every t.
///
/// Worked number: t = 1, σ_data = 0.5 gives c_in = 1/√1.25 = 0.89442…
public func cIn(t: Double, sigmaData: Double = 0.5) -> Double {
  1 / (t * t + sigmaData * sigmaData).squareRoot()
}

/// c_noise(t) of EDM Table 1: the network's noise-level input.
///
/// ```
/// c_noise(t) = ¼ · ln t
/// ```
///
/// One public implementation feeds 1000 · ¼ · ln t to a sinusoidal embedding instead; the
/// library's MLP takes c_noise as a plain input.
///
/// Worked number: t = 80 gives c_noise = ¼ · ln 80 = 1.0955066…
public func cNoise(t: Double) -> Double {
  0.25 * log(t)
}

/// The four boundary scalings at one noise level, as `cm inspect scalings` prints them.
public struct BoundaryScalings: Sendable, Equatable, Codable {
  /// c_skip(t), the weight of the input x in f_θ: 1 at t = ε.
  public var cSkip: Double
  /// c_out(t), the weight of the network's output in f_θ: 0 at t = ε.
  public var cOut: Double
  /// c_in(t), the factor that scales x to unit variance before the network sees it.
  public var cIn: Double
  /// c_noise(t) = ¼ ln t, the noise-level input of the network.
  public var cNoise: Double

  /// Evaluates c_skip, c_out, c_in and c_noise at t.
  public init(t: Double, sigmaData: Double = 0.5, sigmaMin: Double = 0.002) {
    cSkip = CMCore.cSkip(t: t, sigmaData: sigmaData, sigmaMin: sigmaMin)
    cOut = CMCore.cOut(t: t, sigmaData: sigmaData, sigmaMin: sigmaMin)
    cIn = CMCore.cIn(t: t, sigmaData: sigmaData)
    cNoise = CMCore.cNoise(t: t)
  }
}
