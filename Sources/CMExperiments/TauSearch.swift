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
    /// Its mean SW1 over the search's seed pairs.
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
  /// The search's reference (data) seeds s, s + 6, …; every score is the mean SW1 over the
  /// search's seed pairs.
  public var searchReferenceSeeds: [UInt64]
  /// The search's sampling seeds, one above each reference seed.
  public var searchSamplingSeeds: [UInt64]
  /// The held-out reference seeds s + 2, s + 8, s + 14.
  public var heldOutReferenceSeeds: [UInt64]
  /// The held-out sampling seeds, one above each reference seed.
  public var heldOutSamplingSeeds: [UInt64]
  /// Mean SW1 of the search's best τ on the search's seeds (biased low: it chose on these); the
  /// searched τ even when the validation pairs then kept the default.
  public var searchSW1: Double
  /// The validation pairs' reference seeds (s + 4, s + 10, s + 16; sampling seeds one above), on
  /// which the searched τ and the default are compared before the held-out check.
  public var validationReferenceSeeds: [UInt64]
  /// Mean SW1 of the searched τ over the validation pairs.
  public var validationSearchedSW1: Double
  /// Mean SW1 of the default τ over the validation pairs.
  public var validationDefaultSW1: Double
  /// Whether the default τ was kept: no searched τ scored lower on the search pairs, or the
  /// searched τ scored no lower than the default on the validation pairs.
  public var keptDefault: Bool
  /// Mean SW1 of the chosen τ over the held-out pairs.
  public var heldOutTunedSW1: Double
  /// Mean SW1 of the default τ over the held-out pairs.
  public var heldOutDefaultSW1: Double
  /// The mean noise floor over the held-out pairs (a second true sample).
  public var heldOutNoiseFloor: Double
  /// Every schedule the search scored, in order.
  public var evaluations: [Evaluation]

  /// "tuned τ = 0.230", or "τ = 0.8, kept by the search" when the default was kept: for table rows.
  public var label: String {
    let shown = taus.map { format($0, digits: 3) }.joined(separator: ", ")
    return keptDefault ? "τ = \(shown), kept by the τ search" : "tuned τ = \(shown)"
  }

  /// Two lines for a terminal: the chosen τ, and both schedules on the held-out seeds.
  public var summary: String {
    func show(_ taus: [Double]) -> String { taus.map { format($0, digits: 4) }.joined(separator: ", ") }
    return """
      tuned τ = \(show(taus))\(keptDefault ? " (the default: the searched τ did not score lower on validation seeds)" : "") \
      (\(evaluations.count) schedules scored on sampling seeds \(seedList(searchSamplingSeeds)), mean SW1 \(format(searchSW1, digits: 4)); \
      validation: searched \(format(validationSearchedSW1, digits: 4)), default \(format(validationDefaultSW1, digits: 4)))
      held-out sampling seeds \(seedList(heldOutSamplingSeeds)), n = \(count) each: tuned τ mean SW1 \(format(heldOutTunedSW1, digits: 4)), \
      default τ = \(show(defaultTaus)) mean SW1 \(format(heldOutDefaultSW1, digits: 4)), noise floor \(format(heldOutNoiseFloor, digits: 4))
      """
  }
}

/// "s, s + 4, s + 8" for a summary line.
func seedList(_ seeds: [UInt64]) -> String { seeds.map(String.init).joined(separator: ", ") }

/// Searches the τ of k-step sampling (k = 2 or 3) for the model `f_θ` by SW1 on `dataset`.
///
/// ```
/// score(τ) = mean over r < R of SW₁( Algorithm 1 samples with τ (seed s + 6r + 1),
///                                     a data sample (seed s + 6r) ),  n each
/// k = 2:  τ₁ = argmin score over ln τ₁ ∈ [ln 2ε, ln T − 0.01]     (goldenSectionMinimum)
/// k = 3:  τ₁ as for k = 2; then τ₂ = argmin over ln τ₂ ∈ [ln ε + 0.01, ln τ₁ − 0.01]  (CM's greedy order);
///         then τ₁ once more with τ₂ fixed, over (τ₂, T), kept only if it scores lower
/// validation: the searched τ against the default on seeds s + 6r + 4, s + 6r + 5 (r < R′),
///             averaged; the default is kept unless the searched τ scores lower there
/// held out: score the chosen τ and the default on seeds s + 6r + 2 (reference), s + 6r + 3
///           (sampling), r < R′, and average
/// ```
///
/// SW1 of n samples fluctuates by about the noise floor's size from seed to seed, and the two
/// basins of score(τ) (a small τ that refines each sample, a large one that re-draws it) are often
/// of similar depth; averaging R ≥ 2 seed pairs keeps the search from choosing a basin on one
/// seed's luck. The search's own minimum is biased low (it chose on those seeds), so the choice
/// between the searched τ and the default is made on validation pairs the search never saw, and
/// the held-out pairs, seen by neither, then report how that choice does.
///
/// Every evaluation of one search uses the same noise (common random numbers), so score(τ) is a
/// smooth function of τ and the search is not chasing sampling noise; the held-out seeds then
/// say whether the choice generalises. Searching in ln τ spends the evaluations evenly over the
/// decades between ε and T.
public func tuneSamplingTaus(
  model: ConsistencyModel<Float>, parameters theta: [Float], sigmaMax T: Double, dataset: Dataset,
  steps k: Int, count n: Int, seed s: UInt64, gridPoints: Int = 9, goldenSteps: Int = 16,
  searchRepeats: Int = 2, heldOutRepeats: Int = 3
) -> TauSearch {
  precondition(searchRepeats >= 1 && heldOutRepeats >= 1, "tuneSamplingTaus: repeats must be ≥ 1")
  precondition(k == 2 || k == 3, "tuneSamplingTaus: steps must be 2 or 3")
  precondition(n >= 2, "tuneSamplingTaus: needs at least 2 samples")
  let epsilon = model.sigmaMin
  // One yardstick per seed pair: a data sample R and the sampler's seed.
  func sample(_ taus: [Double], samplingSeed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: samplingSeed)
    return model.sample(parameters: theta, count: n, taus: taus, sigmaMax: T, generator: &generator)
  }
  let searchReferenceSeeds = (0..<searchRepeats).map { s &+ 6 &* UInt64($0) }
  let references = searchReferenceSeeds.map { seed in
    var generator = SeededGenerator(seed: seed)
    return dataset.sample(count: n, using: &generator)
  }
  var evaluations: [TauSearch.Evaluation] = []
  func score(_ taus: [Double]) -> Double {
    var total = 0.0
    for (seed, reference) in zip(searchReferenceSeeds, references) {
      total += slicedWasserstein1(sample(taus, samplingSeed: seed &+ 1), reference)
    }
    let sw1 = total / Double(searchRepeats)
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
  let defaults = defaultSamplingTaus(steps: k)
  // Over R′ pairs of fresh seeds (reference seed at `offset`, noise seed one above): the mean SW1
  // of each schedule, and the mean noise floor. Each pair draws its reference and a second true
  // sample from one generator, as `EvaluationReport` does, so these are its SW1 readings without
  // the energy distances it would also compute.
  func meanSW1(_ schedules: [[Double]], offset: UInt64) -> (
    seeds: [UInt64], sw1: [Double], floor: Double
  ) {
    let seeds = (0..<heldOutRepeats).map { s &+ 6 &* UInt64($0) &+ offset }
    var sw1 = Array(repeating: 0.0, count: schedules.count)
    var floor = 0.0
    for seed in seeds {
      var generator = SeededGenerator(seed: seed)
      let reference = dataset.sample(count: n, using: &generator)
      let independent = dataset.sample(count: n, using: &generator)
      floor += slicedWasserstein1(independent, reference)
      for (i, schedule) in schedules.enumerated() {
        sw1[i] += slicedWasserstein1(sample(schedule, samplingSeed: seed &+ 1), reference)
      }
    }
    let m = Double(seeds.count)
    return (seeds, sw1.map { $0 / m }, floor / m)
  }
  // Validation: the searched τ against the default on pairs the search never saw.
  let validation = meanSW1([taus, defaults], offset: 4)
  let keptDefault = taus == defaults || validation.sw1[1] <= validation.sw1[0]
  if keptDefault { taus = defaults }
  // Held out: new reference samples and new sampling noise, R′ pairs averaged.
  let heldOut = meanSW1([taus, defaults], offset: 2)
  return TauSearch(
    steps: k, taus: taus, defaultTaus: defaults, count: n, searchReferenceSeeds: searchReferenceSeeds,
    searchSamplingSeeds: searchReferenceSeeds.map { $0 &+ 1 }, heldOutReferenceSeeds: heldOut.seeds,
    heldOutSamplingSeeds: heldOut.seeds.map { $0 &+ 1 }, searchSW1: searchSW1,
    validationReferenceSeeds: validation.seeds, validationSearchedSW1: validation.sw1[0],
    validationDefaultSW1: validation.sw1[1], keptDefault: keptDefault,
    heldOutTunedSW1: heldOut.sw1[0], heldOutDefaultSW1: heldOut.sw1[1], heldOutNoiseFloor: heldOut.floor,
    evaluations: evaluations)
}
