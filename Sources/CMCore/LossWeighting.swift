// The loss weighting λ(t_n) of the consistency loss (CM Eq. 7, 10 with λ ≡ 1; iCT §3.1).

/// How the consistency loss weights each pair (t_n, t_{n+1}): the λ(t_n) of
///
/// ```
/// L = (1/B) Σ_b λ(t_n) · d( f_θ(x_{t_{n+1}}, t_{n+1}), f_θ⁻(x̂_{t_n}, t_n) )
/// uniform:  λ(t_n) = 1                      (CM)
/// ict:      λ(t_n) = 1 / (t_{n+1} − t_n)    (iCT §3.1)
/// ```
///
/// iCT's weighting grows where the grid is dense (near ε), so that every pair contributes
/// comparably; it is `ictPairWeights` for one pair.
///
/// Worked number: (t_n, t_{n+1}) = (0.5, 0.75) gives λ = 4 with `ict`, 1 with `uniform`.
public enum LossWeighting: String, Codable, Sendable, CaseIterable {
  /// λ ≡ 1, as in CM.
  case uniform
  /// λ(t_n) = 1/(t_{n+1} − t_n), as in iCT §3.1 ("Weighting function, noise embedding, and dropout").
  case ict

  /// λ for the pair (t_n, t_{n+1}); t_{n+1} > t_n.
  @inline(__always)
  public func lambda(tN: Double, tNPlus1: Double) -> Double {
    switch self {
    case .uniform: return 1
    case .ict: return 1 / (tNPlus1 - tN)
    }
  }
}
