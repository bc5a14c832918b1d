// The distance d(·,·) between the online prediction and the target prediction.
//
// Seed pseudocode:
//   loss = distance_metric(student_model_prediction, teacher_model_prediction)

/// A per-sample distance d(x, y) of CM Eq. 7 and iCT §3.3. Each is taken over one sample's
/// dimensions; a loss averages it over the batch.
public enum DistanceMetric: Sendable, Equatable, Codable {
  /// Squared L2, averaged over the D dimensions as the official code's `mean_flat` does:
  /// d(x, y) = (1/D) Σᵢ (xᵢ − yᵢ)².
  case squaredL2
  /// L1, averaged over the D dimensions: d(x, y) = (1/D) Σᵢ |xᵢ − yᵢ|.
  case l1
  /// Pseudo-Huber on the per-sample Euclidean norm (iCT §3.3):
  /// d(x, y) = √(‖x − y‖₂² + c²) − c.
  case pseudoHuber(c: Double)
}

/// The pseudo-Huber constant iCT uses for D-dimensional data: c = 0.00054 · √D.
///
/// Worked number: D = 2 gives c = 0.000763675…; D = 3·32·32 (CIFAR-10) gives c = 0.0299298… ≈ 0.03,
/// the value iCT quotes.
public func pseudoHuberC(dimension D: Int) -> Double {
  0.00054 * Double(D).squareRoot()
}

/// d(x, y) for one sample.
///
/// ```
/// squared L2    (1/D) Σᵢ (xᵢ − yᵢ)²
/// L1            (1/D) Σᵢ |xᵢ − yᵢ|
/// pseudo-Huber  √(Σᵢ (xᵢ − yᵢ)² + c²) − c
/// ```
///
/// Pseudo-Huber is applied to the whole sample's norm, not element by element: one public
/// implementation does the latter, which for small c is a much more L2-like loss.
///
/// Mathematical properties: d(x, x) = 0 and d ≥ 0; pseudo-Huber behaves like ‖x − y‖²/(2c) for
/// ‖x − y‖ ≪ c and like ‖x − y‖ − c for ‖x − y‖ ≫ c. It is evaluated as
/// ‖x − y‖² / (√(‖x − y‖² + c²) + c), the same value without cancellation for small differences.
///
/// Worked number: x = (1, 2), y = (0, 0): squared L2 = 2.5, L1 = 1.5,
/// pseudo-Huber with c = 1 gives √6 − 1 = 1.44949…
public func distance(_ x: [Double], _ y: [Double], metric: DistanceMetric) -> Double {
  precondition(x.count == y.count && !x.isEmpty, "distance: x and y must be non-empty, same length")
  let D = Double(x.count)
  switch metric {
  case .squaredL2:
    return zip(x, y).reduce(0) { sum, pair in sum + (pair.0 - pair.1) * (pair.0 - pair.1) } / D
  case .l1:
    return zip(x, y).reduce(0) { sum, pair in sum + abs(pair.0 - pair.1) } / D
  case .pseudoHuber(let c):
    let squaredNorm = zip(x, y).reduce(0) { sum, pair in sum + (pair.0 - pair.1) * (pair.0 - pair.1) }
    return squaredNorm / ((squaredNorm + c * c).squareRoot() + c)
  }
}

/// ∂d(x, y)/∂x for one sample, the first step of the backward pass (y is the stop-gradient target).
///
/// ```
/// squared L2    (2/D) (xᵢ − yᵢ)
/// L1            (1/D) sign(xᵢ − yᵢ)            (0 where xᵢ = yᵢ)
/// pseudo-Huber  (xᵢ − yᵢ) / √(‖x − y‖² + c²)
/// ```
public func distanceGradient(_ x: [Double], _ y: [Double], metric: DistanceMetric) -> [Double] {
  precondition(x.count == y.count && !x.isEmpty, "distanceGradient: x and y must be non-empty, same length")
  let D = Double(x.count)
  switch metric {
  case .squaredL2:
    return zip(x, y).map { 2 * ($0 - $1) / D }
  case .l1:
    return zip(x, y).map { xi, yi in xi > yi ? 1 / D : (xi < yi ? -1 / D : 0) }
  case .pseudoHuber(let c):
    let squaredNorm = zip(x, y).reduce(0) { sum, pair in sum + (pair.0 - pair.1) * (pair.0 - pair.1) }
    let root = (squaredNorm + c * c).squareRoot()
    return zip(x, y).map { ($0 - $1) / root }
  }
}
