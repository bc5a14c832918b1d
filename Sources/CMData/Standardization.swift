// How the non-mixture datasets are brought to per-coordinate mean 0 and std σ_data.
import CMCore

/// The per-coordinate affine map from a raw 2-D distribution to one with mean 0 and standard
/// deviation σ_data in each coordinate.
///
/// ```
/// x_j = (raw_j − μ_raw,j) · σ_data / σ_raw,j        j = 1, 2
/// ```
///
/// μ_raw and σ_raw are constants of the raw distribution, recorded beside each dataset with how
/// they were obtained (an exact integral, checked by a seeded 10⁶-point measurement in the tests).
/// Each coordinate is scaled separately, so a shape whose raw spread differs between x and y is
/// stretched slightly: the price of every coordinate matching σ_data, as the network's c_in
/// scaling assumes.
///
/// Worked number: μ_raw = (1, 2), σ_raw = (2, 4), σ_data = 0.5 map the raw point (3, 2) to
/// (0.5, 0).
public struct Standardization: Sendable, Equatable {
  /// μ_raw, the mean of the raw distribution.
  public let rawMean: SIMD2<Double>
  /// σ_raw, the per-coordinate standard deviation of the raw distribution.
  public let rawStd: SIMD2<Double>
  /// σ_data, the target per-coordinate standard deviation.
  public let sigmaData: Double

  /// The map for a raw distribution with mean `rawMean` and per-coordinate std `rawStd`.
  public init(rawMean: SIMD2<Double>, rawStd: SIMD2<Double>, sigmaData: Double = 0.5) {
    self.rawMean = rawMean
    self.rawStd = rawStd
    self.sigmaData = sigmaData
  }

  /// (raw − μ_raw) · σ_data / σ_raw, per coordinate.
  public func apply(_ raw: SIMD2<Double>) -> SIMD2<Double> {
    (raw - rawMean) * (sigmaData / rawStd)
  }

  /// `count` standardised draws of `rawPoint`, as a flat row-major count × 2 array.
  public func sample(
    count: Int, using generator: inout SeededGenerator,
    rawPoint: (inout SeededGenerator) -> SIMD2<Double>
  ) -> [Double] {
    precondition(count >= 0, "sample(count:) needs a non-negative count")
    var result: [Double] = []
    result.reserveCapacity(2 * count)
    for _ in 0..<count {
      let x = apply(rawPoint(&generator))
      result.append(x.x)
      result.append(x.y)
    }
    return result
  }
}
