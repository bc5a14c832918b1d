// How the training step chooses the pair (t_n, t_{n+1}) of each example: CM's uniform draw or
// iCT's discretised lognormal.
//
// Seed pseudocode:
//   timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)

/// The distribution of the pair index n of each training example.
///
/// ```
/// uniform:    n ~ U{0, …, N − 2}                                        (CM Algorithm 3)
/// lognormal:  p(n) ∝ erf((ln t_{n+1} − P_mean)/(√2 P_std)) − erf((ln t_n − P_mean)/(√2 P_std))
///             P_mean = −1.1, P_std = 2.0                                (iCT §3.5)
/// ```
///
/// iCT's lognormal puts most pairs at middle noise levels (the mode of σ is e^{P_mean − P_std²}
/// ≈ 0.006, the median e^{P_mean} ≈ 0.33) instead of spreading them evenly over the grid index,
/// which on a Karras grid wastes many pairs at large σ.
///
/// Mathematical property: each row uses the generator's draws in row order (one Lemire integer
/// per row for uniform, one uniform for lognormal), so the same seed gives the same indices.
///
/// Worked number: on the 10-point default grid, lognormal gives the first pair (0.002, 0.0204…)
/// probability 0.07684… and the last pair (42.4…, 80) 0.004657…; uniform gives each 1/9.
public enum PairSampling: Codable, Sendable, Equatable {
  /// n ~ U{0, …, N − 2}, CM Algorithm 3 (`uniformPairIndex`).
  case uniform
  /// iCT's discretised lognormal (`lognormalPairProbabilities`, `samplePairIndex`).
  case lognormal(pMean: Double, pStd: Double)

  /// iCT's setting: P_mean = −1.1, P_std = 2.0.
  public static let ict = PairSampling.lognormal(pMean: -1.1, pStd: 2.0)

  /// The pair indices n of a batch of B examples on the ascending grid `sigmas` (N ≥ 2 points).
  public func pairIndices(count B: Int, sigmas: [Double], using generator: inout SeededGenerator) -> [Int] {
    switch self {
    case .uniform:
      return (0..<B).map { _ in uniformPairIndex(N: sigmas.count, using: &generator) }
    case .lognormal(let pMean, let pStd):
      let p = lognormalPairProbabilities(sigmas: sigmas, pMean: pMean, pStd: pStd)
      return (0..<B).map { _ in samplePairIndex(probabilities: p, using: &generator) }
    }
  }
}
