// The exact conditional of a Gaussian mixture given some of its coordinates: the ground truth of
// zero-shot editing in 2-D (CM Algorithm 4 with one coordinate fixed, the analogue of inpainting).
import CMCore
import Foundation

extension GaussianMixture {
  /// The exact conditional distribution of the free coordinates U given the observed ones
  /// x_O = y_O: again a mixture, of the same components restricted to U, re-weighted by how well
  /// each explains y_O (Bayes' rule, component by component).
  ///
  /// ```
  /// p(x) = Σ_k w_k N(x; m_k, s_k² I)           (isotropic: within a component, x_U ⊥ x_O)
  /// p(x_U | x_O = y_O) = Σ_k w′_k N(x_U; m_kU, s_k² I)
  /// w′_k = w_k N(y_O; m_kO, s_k² I) / Σ_j w_j N(y_O; m_jO, s_j² I)
  /// ```
  ///
  /// The derivation: p(x_U, y_O) = Σ_k w_k N(y_O; m_kO, s_k²I) N(x_U; m_kU, s_k²I), because an
  /// isotropic Gaussian factorises over coordinates; dividing by p(y_O) = Σ_k w_k N(y_O; m_kO,
  /// s_k²I) gives the formula. The weights are computed in the log domain and normalised by
  /// log-sum-exp, so a y_O far from every component still gives finite weights; components whose
  /// weight underflows to 0 (more than ~700 nats below the best) are dropped.
  ///
  /// Mathematical properties: Σ_k w′_k = 1; with nothing observed it is the mixture itself; the
  /// mixture's density factorises as p(x) = p(y_O) · p(x_U | y_O).
  ///
  /// Worked number: ring8 given x₁ = 0 keeps the two blobs on the vertical axis, k = 2 and 6,
  /// each with weight ½ (the others are at least 0.5 away, 400 nats less likely): x₂ is
  /// ±0.70666525… with std 0.01766663….
  ///
  /// - Parameter observed: one entry per coordinate, the value y_j where it is observed, nil where
  ///   it is free; at least one must be free.
  /// - Returns: the mixture of the free coordinates, in their order.
  public func conditional(observed: [Double?]) -> GaussianMixture {
    precondition(observed.count == dimension, "conditional: one entry per coordinate")
    let free = observed.indices.filter { observed[$0] == nil }
    precondition(!free.isEmpty, "conditional: at least one coordinate must be free")
    // log w_k + log N(y_O; m_kO, s_k² I)
    let logWeights = (0..<componentCount).map { k -> Double in
      var l = log(weights[k])
      for (j, y) in observed.enumerated() {
        guard let y else { continue }
        let v = stds[k] * stds[k]
        let diff = y - means[k][j]
        l += -0.5 * log(2 * Double.pi * v) - diff * diff / (2 * v)
      }
      return l
    }
    // w′_k ∝ exp(ℓ_k − M): the largest is exactly 1, the rest in [0, 1]
    let M = logWeights.max()!
    precondition(
      M.isFinite, "conditional: the observed values must be finite and not astronomically far from the data")
    let unnormalised = logWeights.map { exp($0 - M) }
    let kept = unnormalised.indices.filter { unnormalised[$0] > 0 }
    return GaussianMixture(
      weights: kept.map { unnormalised[$0] }, means: kept.map { k in free.map { means[k][$0] } },
      stds: kept.map { stds[$0] })
  }

  /// `count` draws of x from p(x | x_O = y_O) as whole d-vectors (flat row-major count × d): the
  /// observed coordinates hold y_O, the free ones a draw of `conditional(observed:)`.
  public func conditionalSample(
    observed: [Double?], count: Int, using generator: inout SeededGenerator
  ) -> [Double] {
    let free = observed.indices.filter { observed[$0] == nil }
    let draws = conditional(observed: observed).sample(count: count, using: &generator)
    var result: [Double] = []
    result.reserveCapacity(count * dimension)
    for i in 0..<count {
      var row = observed.map { $0 ?? 0 }
      for (position, j) in free.enumerated() { row[j] = draws[i * free.count + position] }
      result += row
    }
    return result
  }
}
