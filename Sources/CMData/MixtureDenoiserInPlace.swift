// The exact mixture denoiser for a batch, written into a caller's array: the CD oracle teacher's
// evaluation without an array per row.
import CMCore
import Foundation

extension GaussianMixture {
  /// `denoise(batch:t:)` into `result`: row by row the arithmetic of `logJoint`,
  /// `responsibilities` and `denoise(x:t:)`, in the same order (the same bits), with the K
  /// log-joints on the stack instead of in arrays.
  public func denoise(batch x: [Double], t: [Double], into result: inout [Double]) {
    let d = dimension
    precondition(x.count == t.count * d, "denoise(batch:t:) needs one noise level per row of x")
    resize(&result, count: x.count)
    let halfD = Double(d) / 2
    withUnsafeTemporaryAllocation(of: Double.self, capacity: componentCount) { l in
      for row in 0..<t.count {
        let tRow = t[row]
        let base = row * d
        // ℓ_k = log w_k − (d/2)·log(2π v) − ‖x − m_k‖²/(2v),  v = s_k² + t²
        for k in 0..<componentCount {
          let v = stds[k] * stds[k] + tRow * tRow
          var squaredDistance = 0.0
          for j in 0..<d {
            let diff = x[base + j] - means[k][j]
            squaredDistance += diff * diff
          }
          l[k] = log(weights[k]) - halfD * log(2 * Double.pi * v) - squaredDistance / (2 * v)
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
