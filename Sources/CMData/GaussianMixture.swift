// A mixture of isotropic Gaussians: the data distribution for which the ideal denoiser, the noised
// density p_t and hence the probability-flow ODE are all known in closed form.
import CMCore
import Foundation

/// A mixture of isotropic Gaussians in any dimension d.
///
/// ```
/// p(x)   = Σ_k w_k · N(x; m_k, s_k² I)
/// p_t(x) = Σ_k w_k · N(x; m_k, (s_k² + t²) I)        (the data noised as x_t = x + t·z)
/// ```
///
/// The weights are normalised to sum to one on construction; every s_k must be positive, so that
/// p_t stays a proper density even at t = 0.
///
/// Mathematical properties (per coordinate j, used by the datasets to fix σ_data):
///
/// ```
/// E[x_j]   = Σ_k w_k m_kj
/// Var[x_j] = Σ_k w_k (s_k² + m_kj²) − E[x_j]²
/// ```
///
/// Worked number: ½N((−1, 0), 0.5²I) + ½N((1, 0), 0.5²I) has mean (0, 0) and per-coordinate
/// variance (1.25, 0.25).
public struct GaussianMixture: Sendable, Codable, Equatable {
  /// w_k, normalised to sum to one.
  public let weights: [Double]
  /// m_k, each a d-vector.
  public let means: [[Double]]
  /// s_k, the isotropic standard deviation of component k.
  public let stds: [Double]

  /// A mixture of the components (w_k, m_k, s_k); the weights are normalised to sum to one.
  public init(weights: [Double], means: [[Double]], stds: [Double]) {
    precondition(!weights.isEmpty, "GaussianMixture needs at least one component")
    precondition(
      weights.count == means.count && weights.count == stds.count,
      "GaussianMixture: weights, means and stds must have one entry per component")
    precondition(
      weights.allSatisfy { $0 > 0 && $0.isFinite }, "GaussianMixture: weights must be positive")
    precondition(
      stds.allSatisfy { $0 > 0 && $0.isFinite }, "GaussianMixture: stds must be positive")
    let d = means[0].count
    precondition(
      d > 0 && means.allSatisfy { $0.count == d }, "GaussianMixture: means must share one dimension"
    )
    let total = weights.reduce(0, +)
    self.weights = weights.map { $0 / total }
    self.means = means
    self.stds = stds
  }

  /// A single Gaussian N(m, s²I): a mixture of one component.
  public static func gaussian(mean m: [Double], std s: Double) -> GaussianMixture {
    GaussianMixture(weights: [1], means: [m], stds: [s])
  }

  /// d, the dimension of the data.
  public var dimension: Int { means[0].count }

  /// The number of components K.
  public var componentCount: Int { weights.count }

  /// E[x] = Σ_k w_k m_k.
  public var mean: [Double] {
    (0..<dimension).map { j in zip(weights, means).reduce(0) { $0 + $1.0 * $1.1[j] } }
  }

  /// Var[x_j] = Σ_k w_k (s_k² + m_kj²) − E[x_j]², one per coordinate.
  public var coordinateVariance: [Double] {
    let mu = mean
    return (0..<dimension).map { j in
      var secondMoment = 0.0
      for k in 0..<componentCount {
        secondMoment += weights[k] * (stds[k] * stds[k] + means[k][j] * means[k][j])
      }
      return secondMoment - mu[j] * mu[j]
    }
  }

  /// `count` draws as a flat row-major count × d array: pick k with probability w_k (one
  /// uniform), then m_k + s_k·z with z ~ N(0, I) (d Gaussians).
  public func sample(count: Int, using generator: inout SeededGenerator) -> [Double] {
    precondition(count >= 0, "sample(count:) needs a non-negative count")
    var result: [Double] = []
    result.reserveCapacity(count * dimension)
    for _ in 0..<count {
      let k = drawComponent(uniform: generator.nextUniform())
      for j in 0..<dimension {
        result.append(means[k][j] + stds[k] * generator.nextGaussian())
      }
    }
    return result
  }

  /// The component whose cumulative-weight interval holds u ∈ [0, 1).
  func drawComponent(uniform u: Double) -> Int {
    var cumulative = 0.0
    for k in 0..<componentCount - 1 {
      cumulative += weights[k]
      if u < cumulative { return k }
    }
    return componentCount - 1  // also catches cumulative rounding just below 1
  }
}
