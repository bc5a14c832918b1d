// The exact mixture denoiser for a batch, written into a caller's array: the CD oracle teacher's
// evaluation without an array per row.
import CMCore
import Foundation

extension GaussianMixture {
  /// `denoise(batch:t:)` into `result`: row by row the arithmetic of `logJoint`,
  /// `responsibilities` and `denoise(x:t:)`, in the same order (the same bits), with the K
  /// log-joints on the stack instead of in arrays, and each logarithm taken once per value.
  public func denoise(batch x: [Double], t: [Double], into result: inout [Double]) {
    let d = dimension
    precondition(x.count == t.count * d, "denoise(batch:t:) needs one noise level per row of x")
    resize(&result, count: x.count)
    let halfD = Double(d) / 2
    withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * componentCount) { scratch in
      // log w_k once per call; ℓ_k in the other half.
      let logWeights = UnsafeMutableBufferPointer(rebasing: scratch[0..<componentCount])
      let l = UnsafeMutableBufferPointer(rebasing: scratch[componentCount...])
      for k in 0..<componentCount { logWeights[k] = log(weights[k]) }
      for row in 0..<t.count {
        let tRow = t[row]
        let base = row * d
        // ℓ_k = log w_k − (d/2)·log(2π v) − ‖x − m_k‖²/(2v),  v = s_k² + t²
        // (log(2π v) is taken again only when s_k differs from s_{k−1}: the same inputs give the
        // same bits, and ring8's components share one s, so one logarithm per row instead of 8.)
        var previousStd = Double.nan
        var logNormalizer = 0.0
        for k in 0..<componentCount {
          let v = stds[k] * stds[k] + tRow * tRow
          if stds[k] != previousStd {
            logNormalizer = log(2 * Double.pi * v)
            previousStd = stds[k]
          }
          var squaredDistance = 0.0
          for j in 0..<d {
            let diff = x[base + j] - means[k][j]
            squaredDistance += diff * diff
          }
          l[k] = logWeights[k] - halfD * logNormalizer - squaredDistance / (2 * v)
        }
        // r_k = exp(ℓ_k − M) / Σ_j exp(ℓ_j − M)
        var M = l[0]
        for k in 1..<componentCount where M < l[k] { M = l[k] }
        var total = 0.0
        for k in 0..<componentCount {
          l[k] = exp(l[k] - M)
          total = total + l[k]
        }
        for k in 0..<componentCount { l[k] = l[k] / total }
        // D = Σ_k r_k·(m_k + s_k²/(s_k² + t²)·(x − m_k))
        for j in 0..<d { result[base + j] = 0 }
        for k in 0..<componentCount {
          let shrink = stds[k] * stds[k] / (stds[k] * stds[k] + tRow * tRow)
          for j in 0..<d {
            result[base + j] += l[k] * (means[k][j] + shrink * (x[base + j] - means[k][j]))
          }
        }
      }
    }
  }
}
