// The two shapes a batch of 2-D samples takes: a flat row-major [Double] (what the network and
// the training step consume) and a list of points (what a plot or a learner reads).

/// The points of a flat row-major array of 2-D samples: `flat[2i]`, `flat[2i + 1]` ↦ point i.
///
/// ```
/// flat = [x₀, y₀, x₁, y₁, …]   ↦   [(x₀, y₀), (x₁, y₁), …]
/// ```
///
/// Worked number: `points(fromFlat: [1, 2, 3, 4])` is `[(1, 2), (3, 4)]`.
public func points(fromFlat flat: [Double]) -> [SIMD2<Double>] {
  precondition(flat.count % 2 == 0, "points(fromFlat:) needs an even number of values")
  return (0..<flat.count / 2).map { i in SIMD2(flat[2 * i], flat[2 * i + 1]) }
}

/// The flat row-major array of a list of 2-D points; the inverse of `points(fromFlat:)`.
public func flat(fromPoints points: [SIMD2<Double>]) -> [Double] {
  var result: [Double] = []
  result.reserveCapacity(2 * points.count)
  for p in points {
    result.append(p.x)
    result.append(p.y)
  }
  return result
}

/// The per-coordinate sample mean and standard deviation of a flat row-major array of
/// `dimension`-vectors.
///
/// ```
/// μ_j = (1/n) Σ_i x_ij,    σ_j = √( (1/n) Σ_i (x_ij − μ_j)² )      (population form, ÷ n)
/// ```
///
/// Two passes (mean, then centred squares), so the variance does not suffer the cancellation of
/// E[x²] − μ² when the mean is large.
///
/// Worked number: the points (0, 1), (2, 1) have mean (1, 1) and std (1, 0).
public struct CoordinateMoments: Sendable, Codable, Equatable {
  /// μ_j, one per coordinate.
  public var mean: [Double]
  /// σ_j (÷ n), one per coordinate.
  public var std: [Double]

  /// Measures the moments of `samples` (count × dimension, row-major).
  public init(of samples: [Double], dimension: Int = 2) {
    precondition(
      dimension > 0 && samples.count % dimension == 0 && !samples.isEmpty,
      "CoordinateMoments needs a non-empty count × dimension array")
    let n = samples.count / dimension
    var mean = [Double](repeating: 0, count: dimension)
    for i in 0..<n {
      for j in 0..<dimension { mean[j] += samples[i * dimension + j] }
    }
    for j in 0..<dimension { mean[j] /= Double(n) }
    var variance = [Double](repeating: 0, count: dimension)
    for i in 0..<n {
      for j in 0..<dimension {
        let centred = samples[i * dimension + j] - mean[j]
        variance[j] += centred * centred
      }
    }
    self.mean = mean
    self.std = variance.map { ($0 / Double(n)).squareRoot() }
  }
}
