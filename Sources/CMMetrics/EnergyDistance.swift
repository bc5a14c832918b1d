// Energy distance: a two-sample distance that sees every direction at once (not only L slices).

/// The energy distance of Székely & Rizzo between two sample sets (flat row-major count × d
/// arrays), as the V-statistic: every pair, including each point with itself.
///
/// ```
/// E(X, Y) = 2·(1/(nm)) Σ_i Σ_j ‖x_i − y_j‖ − (1/n²) Σ_i Σ_i′ ‖x_i − x_i′‖ − (1/m²) Σ_j Σ_j′ ‖y_j − y_j′‖
/// ```
///
/// The V-statistic is the energy distance between the two empirical distributions themselves,
/// so it inherits the distance's properties: E ≥ 0 (‖·‖ is a conditionally negative-definite
/// kernel), E(X, Y) = E(Y, X), and E = 0 exactly when X and Y are the same multiset. (The
/// U-statistic, which leaves out i = i′ and j = j′, is unbiased for the population value but can
/// be negative.) Each term is summed over the full n × m (or n × n) matrix in the same order, so
/// identical sets give exactly 0; for different sets that are almost equal, rounding can leave a
/// value of order −10⁻¹⁶. Cost O((n + m)²·d): fine for n ≤ 4000.
///
/// Worked number: X = {(0, 0), (2, 0)}, Y = {(1, 0)} give 2·1 − (0 + 2 + 2 + 0)/4 − 0 = 1.
public func energyDistance(_ x: [Double], _ y: [Double], dimension d: Int = 2) -> Double {
  precondition(
    d > 0 && x.count % d == 0 && y.count % d == 0 && !x.isEmpty && !y.isEmpty,
    "energyDistance needs two non-empty count × dimension arrays")
  return 2 * meanDistance(x, y, dimension: d) - meanDistance(x, x, dimension: d)
    - meanDistance(y, y, dimension: d)
}

/// (1/(nm)) Σ_i Σ_j ‖x_i − y_j‖ over all pairs of rows.
private func meanDistance(_ x: [Double], _ y: [Double], dimension d: Int) -> Double {
  let n = x.count / d
  let m = y.count / d
  var total = 0.0
  x.withUnsafeBufferPointer { xs in
    y.withUnsafeBufferPointer { ys in
      for i in 0..<n {
        var rowTotal = 0.0
        for j in 0..<m {
          var squared = 0.0
          for k in 0..<d {
            let diff = xs[i * d + k] - ys[j * d + k]
            squared += diff * diff
          }
          rowTotal += squared.squareRoot()
        }
        total += rowTotal
      }
    }
  }
  return total / (Double(n) * Double(m))
}
