// `cm compare --variants` and `--ablation`, whole: train every named variant on the same budget
// from each of several seeds, score each, and return everything as one value.

import CMCore
import CMData
import CMMetrics
import CMNetwork
import CMTeacher
import CMTraining
import Foundation

/// Trains every variant for `budget.steps` steps from each seed (the EDM teacher first, from the
/// same seed, when a variant needs it), and scores each run as `runComparison` scores its models:
/// 1- and 2-step SW1 of θ_ema's samples against a reference sample of the data (with that
/// sample's noise floor), and the consistency error against the exact f*. Every variant of one
/// seed starts from the same θ₀ (or the same teacher's weights) and the same data, index and
/// noise streams. The first `ladderLength` variants are an ablation's ladder
/// (`ComparisonVariant.ablation`), whose rows the summary compares each with the one above.
/// `command` is recorded in the summary.
public func runVariants(
  dataset: Dataset, budget: ComparisonBudget, variants: [ComparisonVariant], seeds: [UInt64],
  ladderLength: Int = 0, command: String, observer: ComparisonObserver = ComparisonObserver()
) throws(ComparisonError) -> VariantComparison {
  guard let mixture = dataset.mixture else {
    preconditionFailure("runVariants: \(dataset.name) has no exact denoiser")
  }
  precondition(!variants.isEmpty && !seeds.isEmpty, "runVariants: no variant or no seed")
  let start = Date()
  let needsTeacher = variants.contains { $0.teacher == .edm }
  observer.announce(
    "cm compare: \(variants.count) variants on \(dataset.name), budget \(budget.name) (K = \(budget.steps) steps each), seeds \(seeds.map(String.init).joined(separator: ", "))"
  )
  var perSeed: [[VariantComparison.Measurement]] = []
  var floors: [Double] = []
  var baselines: [Double] = []
  let runsPerSeed = variants.count + (needsTeacher ? 1 : 0)
  for (s, seed) in seeds.enumerated() {
    var runIndex = 0
    func label() -> String {
      runIndex += 1
      return "[seed \(seed) (\(s + 1)/\(seeds.count)), \(runIndex)/\(runsPerSeed)]"
    }
    var edmTeacher: EDMTeacher? = nil
    if needsTeacher {
      observer.announce("\(label()) EDM teacher: pre-training \(budget.teacherSteps) steps …")
      var teacherDriver = RunDriver(
        run: EDMPretrainingState<Float>(config: budget.teacherConfig(dataset: dataset, seed: seed)))
      _ = try drive(
        &teacherDriver, steps: budget.teacherSteps, name: "the EDM teacher's pre-training (seed \(seed))",
        observer: observer)
      edmTeacher = EDMTeacher(state: teacherDriver.run)
    }
    let final = FinalScores(dataset: dataset, count: budget.finalSampleCount, seed: seed)
    var states: [TrainingState<Float>] = []
    var seconds: [Double] = []
    for variant in variants {
      observer.announce("\(label()) \(variant.title) [\(variant.key)]: \(budget.steps) steps …")
      let config = variant.trainingConfig(budget: budget, dataset: dataset, seed: seed)
      let state: TrainingState<Float>
      switch (variant.method, variant.teacher) {
      case (.ct, .edm):
        // The budget's teacher has the budget's widths, so tuning always finds its weights.
        state = TrainingState(config: config, tuningFrom: edmTeacher!)!
      case (.ct, _): state = TrainingState(config: config)
      case (.cd, .edm): state = TrainingState(config: config, teacher: .edm(edmTeacher!))
      case (.cd, _): state = TrainingState(config: config, teacher: .oracle(mixture))
      }
      var driver = RunDriver(run: state)
      seconds.append(
        try drive(
          &driver, steps: budget.steps, name: "the \(variant.key) run (seed \(seed))", observer: observer))
      states.append(driver.run)
    }
    observer.announce(
      "scoring seed \(seed): \(budget.finalSampleCount) samples per variant, consistency error on \(consistencySigmas.count) noise levels"
    )
    var consistencyGenerator = SeededGenerator(seed: seed &+ 3000)
    let reports: [ConsistencyErrorReport]
    do {
      reports = try consistencyErrors(
        of: states.map { state in { x, t in state.model(parameters: state.thetaEMA, x: x, t: t) } },
        mixture: mixture, sigmas: consistencySigmas, count: budget.consistencySampleCount,
        using: &consistencyGenerator, relativeTolerance: 1e-8, absoluteTolerance: 1e-8)
    } catch {
      throw .exactSolveFailed("\(error)")
    }
    var measurements: [VariantComparison.Measurement] = []
    for (i, state) in states.enumerated() {
      let one = final.report(final.samples(of: state, taus: [])).slicedWasserstein1
      let two = final.report(final.samples(of: state, taus: [defaultSamplingTau])).slicedWasserstein1
      measurements.append(
        .init(
          sw1OneStep: one.value, sw1TwoStep: two.value, consistencyError: reports[i].meanErrorOverall,
          seconds: seconds[i]))
      if i == 0 {
        floors.append(one.noiseFloor)
        baselines.append(one.gaussianBaseline)
      }
    }
    perSeed.append(measurements)
  }
  let rows = variants.enumerated().map { i, variant in
    VariantComparison.Row(
      key: variant.key, title: variant.title, method: variant.method.rawValue,
      perSeed: perSeed.map { $0[i] }, noiseFloors: floors)
  }
  return VariantComparison(
    command: command, dataset: dataset.name, budget: budget, seeds: seeds,
    seconds: Date().timeIntervalSince(start), ladderLength: ladderLength, teacherTrained: needsTeacher,
    rows: rows, noiseFloor: Spread(floors), gaussianBaseline: Spread(baselines))
}
