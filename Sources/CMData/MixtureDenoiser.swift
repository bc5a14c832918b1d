// The exact denoiser of a Gaussian mixture: what a perfectly trained diffusion model (the CD
// teacher D_φ) would output on this data. REFERENCE.md, "Exact references".
import CMCore
import Foundation

extension GaussianMixture {
  /// log N(x; m_k, v I) + log w_k for every component k, with v = s_k² + t²: the unnormalised
  /// log posterior of component k given the noisy point x = x_t.
  ///
  /// ```
  /// ℓ_k(x, t) = log w_k − (d/2)·log(2π (s_k² + t²)) − ‖x − m_k‖² / (2 (s_k² + t²))
  /// ```
  ///
  /// Kept in the log domain: for x far from every m_k and small t, N(x; m_k, ·) underflows to 0
  /// for every k, while the ℓ_k stay finite and their differences keep the answer.
  public func logJoint(x: [Double], t: Double) -> [Double] {
    precondition(x.count == dimension, "the point must have the mixture's dimension")
    let halfD = Double(dimension) / 2
    return (0..<componentCount).map { k in
      let v = stds[k] * stds[k] + t * t
      var squaredDistance = 0.0
      for j in 0..<dimension {
        let diff = x[j] - means[k][j]
        squaredDistance += diff * diff
      }
      return log(weights[k]) - halfD * log(2 * Double.pi * v) - squaredDistance / (2 * v)
    }
  }

  /// The log density of the noised data, log p_t(x) (Tweedie's formula needs its gradient).
  ///
  /// ```
  /// log p_t(x) = log Σ_k exp ℓ_k(x, t) = M + log Σ_k exp(ℓ_k − M),   M = max_k ℓ_k
  /// ```
  ///
  /// Log-sum-exp: every exp(ℓ_k − M) lies in (0, 1] and the largest is exactly 1, so the sum never
  /// overflows, never underflows to 0, and the log never sees 0.
  ///
  /// Worked number: for N((0, 0), 0.5²I), log p_t((0, 0)) at t = 0 is −log(2π·0.25) = −0.45158270…
  public func logDensity(x: [Double], t: Double) -> Double {
    let l = logJoint(x: x, t: t)
    let M = l.max()!
    return M + log(l.reduce(0) { $0 + exp($1 - M) })
  }

  /// The posterior responsibilities r_k(x, t) = P(component k | x_t = x), by a stable softmax.
  ///
  /// ```
  /// r_k = exp(ℓ_k − M) / Σ_j exp(ℓ_j − M),   M = max_j ℓ_j
  /// ```
  ///
  /// Mathematical property: r_k ≥ 0 and Σ_k r_k = 1, finite for any finite x and t ≥ 0.
  public func responsibilities(x: [Double], t: Double) -> [Double] {
    let l = logJoint(x: x, t: t)
    let M = l.max()!
    let e = l.map { exp($0 - M) }
    let total = e.reduce(0, +)  // ≥ 1, since the largest term is exp(0)
    return e.map { $0 / total }
  }

  /// The ideal denoiser D(x, t) = E[x₀ | x_t = x] of the mixture: each component's Gaussian
  /// denoiser, weighted by its responsibility.
  ///
  /// ```
  /// D(x, t) = Σ_k r_k(x, t) · ( m_k + s_k² / (s_k² + t²) · (x − m_k) )
  /// ```
  ///
  /// Mathematical properties: with one component it is `CMCore.gaussianDenoiser`; it satisfies
  /// Tweedie's formula D(x, t) = x + t²·∇ log p_t(x); D(x, t) → E[x₀] (the mixture mean) as
  /// t → ∞; D(x, 0) = x. Finite everywhere: the responsibilities come from `responsibilities`.
  ///
  /// Worked number: ½N((−1, 0), 0.5²I) + ½N((1, 0), 0.5²I) at x = (0, 1), t = 0.5 gives
  /// r = (½, ½) by symmetry and D = (0, 0.5).
  public func denoise(x: [Double], t: Double) -> [Double] {
    let r = responsibilities(x: x, t: t)
    var D = [Double](repeating: 0, count: dimension)
    for k in 0..<componentCount {
      let shrink = stds[k] * stds[k] / (stds[k] * stds[k] + t * t)
      for j in 0..<dimension {
        D[j] += r[k] * (means[k][j] + shrink * (x[j] - means[k][j]))
      }
    }
    return D
  }

  /// `denoise(x:t:)` for a batch: `x` is a flat row-major count × d array, `t` one noise level
  /// per row (CD draws t_{n+1} per sample). Returns the count × d denoised array.
  public func denoise(batch x: [Double], t: [Double]) -> [Double] {
    let d = dimension
    precondition(x.count == t.count * d, "denoise(batch:t:) needs one noise level per row of x")
    var result: [Double] = []
    result.reserveCapacity(x.count)
    for i in 0..<t.count {
      result.append(contentsOf: denoise(x: Array(x[i * d..<(i + 1) * d]), t: t[i]))
    }
    return result
  }

  /// `denoise(batch:t:)` with one noise level shared by every row.
  public func denoise(batch x: [Double], t: Double) -> [Double] {
    denoise(batch: x, t: [Double](repeating: t, count: x.count / dimension))
  }

  /// The exact denoiser as a CMCore `Denoiser` closure, ready for `eulerStep` / `heunStep`.
  public var denoiser: Denoiser {
    let mixture = self
    return { x, t in mixture.denoise(x: x, t: t) }
  }
}
