// Choosing the intermediate noise levels τ of multistep sampling (CM Algorithm 1) by measurement:
// the search behind `cm tune-tau`, and the τ that `cm compare` samples with at two steps.
//
// CM §6: "we use ternary search to optimize the intermediate time step [of two-step sampling]…
// for three steps, we greedily fix τ₁ and search τ₂". Here the search is golden section (one
// evaluation per step instead of two) after a coarse scan, in ln τ, scored by SW1; and the chosen
// τ is then scored again, against the default, on a seed the search never saw.

import CMCore
import CMData
import CMMetrics
import CMNetwork
import CMTraining
import Foundation

/// The default τ of k-step sampling (`cm sample` without --tau): τ_i = 0.8·2^-(i−1), i = 1 … k−1.
public func defaultSamplingTaus(steps: Int) -> [Double] {
  (0..<max(steps - 1, 0)).map { defaultSamplingTau / Double(1 << min($0, 60)) }
}

/// What a τ search found: the chosen τ, the default, and both scored on held-out seeds.
public struct TauSearch: Codable, Sendable, Equatable {
  /// One scored schedule of the search.
  public struct Evaluation: Codable, Sendable, Equatable {
    /// τ₁ > τ₂ > … of the schedule.
    public var taus: [Double]
    /// Its SW1 on the search's seeds.
    public var sw1: Double
  }
  /// k, the number of sampling steps (k − 1 values of τ).
  public var steps: Int
  /// The chosen τ₁ > τ₂ > ….
  public var taus: [Double]
  /// `defaultSamplingTaus(steps:)`.
  public var defaultTaus: [Double]
  /// n, the samples of every score (and of each reference sample).
  public var count: Int
  /// The search's reference seed.
  public var searchReferenceSeed: UInt64
  /// The search's sampling seed.
  public var searchSamplingSeed: UInt64
  /// The held-out reference seed.
  public var heldOutReferenceSeed: UInt64
  /// The held-out sampling seed.
  public var heldOutSamplingSeed: UInt64
  /// SW1 of the chosen τ on the search's seeds (biased low: it chose on these).
  public var searchSW1: Double
  /// SW1 of the chosen τ on the held-out seeds.
  public var heldOutTunedSW1: Double
  /// SW1 of the default τ on the held-out seeds.
  public var heldOutDefaultSW1: Double
  /// The noise floor on the held-out seeds (a second true sample).
  public var heldOutNoiseFloor: Double
  /// Every schedule the search scored, in order.
  public var evaluations: [Evaluation]

  /// Two lines for a terminal: the chosen τ, and both schedules on the held-out seeds.
  public var summary: String {
    func show(_ taus: [Double]) -> String { taus.map { format($0, digits: 4) }.joined(separator: ", ") }
    return """
      tuned τ = \(show(taus)) (\(evaluations.count) schedules scored on seed \(searchSamplingSeed), SW1 \(format(searchSW1, digits: 4)))
      held-out seed \(heldOutSamplingSeed), n = \(count): tuned τ SW1 \(format(heldOutTunedSW1, digits: 4)), \
      default τ = \(show(defaultTaus)) SW1 \(format(heldOutDefaultSW1, digits: 4)), noise floor \(format(heldOutNoiseFloor, digits: 4))
      """
  }
}

/// Searches the τ of k-step sampling (k = 2 or 3) for the model `f_θ` by SW1 on `dataset`.
///
/// ```
/// score(τ) = SW₁( Algorithm 1 samples with τ (seed s + 1),  a data sample (seed s) ),  n each
/// k = 2:  τ₁ = argmin score over ln τ₁ ∈ [ln 2ε, ln T − 0.01]     (goldenSectionMinimum)
/// k = 3:  τ₁ as for k = 2; then τ₂ = argmin over ln τ₂ ∈ [ln ε + 0.01, ln τ₁ − 0.01]  (CM's greedy order);
///         then τ₁ once more with τ₂ fixed, over (τ₂, T), kept only if it scores lower
/// held out: score the chosen τ and the default on seeds s + 2 (reference), s + 3 (sampling)
/// ```
///
/// Every evaluation of one search uses the same noise (common random numbers), so score(τ) is a
/// smooth function of τ and the search is not chasing sampling noise; the held-out seeds then
/// say whether the choice generalises. Searching in ln τ spends the evaluations evenly over the
/// decades between ε and T.
public func tuneSamplingTaus(
  model: ConsistencyModel<Float>, parameters theta: [Float], sigmaMax T: Double, dataset: Dataset,
  steps k: Int, count n: Int, seed s: UInt64, gridPoints: Int = 9, goldenSteps: Int = 16
) -> TauSearch {
  precondition(k == 2 || k == 3, "tuneSamplingTaus: steps must be 2 or 3")
  precondition(n >= 2, "tuneSamplingTaus: needs at least 2 samples")
  let epsilon = model.sigmaMin
  // One yardstick per seed pair: a data sample R and the sampler's seed.
  func sample(_ taus: [Double], samplingSeed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: samplingSeed)
    return model.sample(parameters: theta, count: n, taus: taus, sigmaMax: T, generator: &generator)
  }
  var referenceGenerator = SeededGenerator(seed: s)
  let reference = dataset.sample(count: n, using: &referenceGenerator)
  var evaluations: [TauSearch.Evaluation] = []
  func score(_ taus: [Double]) -> Double {
    let sw1 = slicedWasserstein1(sample(taus, samplingSeed: s &+ 1), reference)
    evaluations.append(.init(taus: taus, sw1: sw1))
    return sw1
  }
  // τ₁ over ln τ₁ ∈ [ln 2ε, ln T − 0.01]
  let low = log(2 * epsilon)
  var tau1 = exp(
    goldenSectionMinimum(on: low...(log(T) - 0.01), gridPoints: gridPoints, steps: goldenSteps) { u in
      score([exp(u)])
    }.argmin)
  var taus = [tau1]
  if k == 3 {
    // τ₂ over ln τ₂ ∈ [ln ε + 0.01, ln τ₁ − 0.01], τ₁ fixed (CM's greedy order; τ₁ ≥ 2ε, so the
    // interval is never empty)
    let tau2 = exp(
      goldenSectionMinimum(
        on: (log(epsilon) + 0.01)...(log(tau1) - 0.01), gridPoints: gridPoints, steps: goldenSteps
      ) { u in
        score([tau1, exp(u)])
      }.argmin)
    taus = [tau1, tau2]
    // τ₁ once more, τ₂ fixed: kept only if it beats the greedy pair on the search seed
    let greedy = score(taus)
    let refined = goldenSectionMinimum(
      on: (log(tau2) + 0.01)...(log(T) - 0.01), gridPoints: gridPoints, steps: goldenSteps
    ) { u in score([exp(u), tau2]) }
    if refined.minimum < greedy {
      tau1 = exp(refined.argmin)
      taus = [tau1, tau2]
    }
  }
  let searchSW1 = evaluations.filter { $0.taus == taus }.map(\.sw1).min() ?? score(taus)
  // Held out: a new reference sample and new sampling noise.
  let defaults = defaultSamplingTaus(steps: k)
  let heldOut = EvaluationReport(
    generated: sample(taus, samplingSeed: s &+ 3), dataset: dataset, referenceSeed: s &+ 2)
  let heldOutDefault = EvaluationReport(
    generated: sample(defaults, samplingSeed: s &+ 3), dataset: dataset, referenceSeed: s &+ 2)
  return TauSearch(
    steps: k, taus: taus, defaultTaus: defaults, count: n, searchReferenceSeed: s,
    searchSamplingSeed: s &+ 1, heldOutReferenceSeed: s &+ 2, heldOutSamplingSeed: s &+ 3,
    searchSW1: searchSW1, heldOutTunedSW1: heldOut.slicedWasserstein1.value,
    heldOutDefaultSW1: heldOutDefault.slicedWasserstein1.value,
    heldOutNoiseFloor: heldOut.slicedWasserstein1.noiseFloor, evaluations: evaluations)
}
