// The CD-versus-CT experiment of `cm compare`, whole: train the teacher and three consistency
// models on equal terms, score them against exact answers, and return everything as one value.

import CMCore
import CMData
import CMMetrics
import CMNetwork
import CMTeacher
import CMTraining
import Foundation

/// Datasets with an exact denoiser (an oracle teacher and an exact f*): the ones `runComparison`
/// accepts.
public let datasetsWithExactDenoiser = Dataset.allCases.filter { $0.mixture != nil }

/// The noise levels of the consistency-error table: 12 values log-spaced from 0.01 to 80.
public let consistencySigmas: [Double] = (0..<12).map { i in 0.01 * pow(8000, Double(i) / 11) }

/// The noise level the trajectories start their exact paths from, and the two below it from
/// which each model's one-step jump is also drawn.
public let trajectoryStart = 1.0
/// The noise levels of the points from which each model's one-step jump is drawn: 1, 0.5, 0.2.
public let trajectoryMarks = [trajectoryStart, 0.5, 0.2]

/// One trained consistency model of the comparison.
public struct ComparisonModel: Sendable {
  /// "ct", "cd-oracle", "cd-edm": its checkpoint's file name without `.cmck`.
  public var key: String
  /// "CT", "CD (oracle teacher)", "CD (EDM teacher)".
  public var title: String
  /// The run after K steps, with its interval history (what a checkpoint saves).
  public var driver: RunDriver<TrainingState<Float>>
  /// Loss and sample quality after every interval.
  public var curve: [CurvePoint]
  /// Wall-clock seconds of training (with the curve's scoring).
  public var seconds: Double
  /// The τ of its 2-step samples, searched by SW1 (`tuneSamplingTaus`) after training.
  public var tauSearch: TauSearch
  /// The final 1-step samples, from the final scores' seed.
  public var oneStep: [Double]
  /// The final 2-step samples (with the tuned τ), from the same seed.
  public var twoStep: [Double]
  /// f_θ(x_t, t) from the trajectory points (`ComparisonTrajectories.marks`), in order.
  public var jumps: [SIMD2<Double>]
  /// The model's state.
  public var state: TrainingState<Float> { driver.run }
}

/// The exact probability-flow paths the trajectory figure draws.
public struct ComparisonTrajectories: Sendable {
  /// A sample of the data to draw under the paths (n × 2, row-major).
  public var data: [Double]
  /// Six exact PF-ODE paths from t = `trajectoryStart` down to ε.
  public var paths: [[SIMD2<Double>]]
  /// The points x_t on the paths at t = 1, 0.5 and 0.2, from which each model jumps.
  public var marks: [(x: SIMD2<Double>, t: Double)]
}

/// What `runComparison` produced: the summary (every number), the trained runs and the samples
/// the figures draw.
public struct Comparison: Sendable {
  /// Every number of the comparison, as summary.json holds it.
  public var summary: ComparisonSummary
  /// The EDM teacher's pre-training run.
  public var teacher: RunDriver<EDMPretrainingState<Float>>
  /// CT, CD with the oracle teacher, CD with the EDM teacher.
  public var models: [ComparisonModel]
  /// The final scores' reference sample of the data.
  public var reference: [Double]
  /// The EDM teacher's 18-step Heun samples (EDM Algorithm 1).
  public var teacherSamples: [Double]
  /// The exact (oracle) denoiser's 18-step Heun samples, the same sampler.
  public var oracleSamples: [Double]
  /// The curve probe's noise floor (the learning curves' yardstick).
  public var curveNoiseFloor: Double
  /// The exact probability-flow paths and the points the models jump from.
  public var trajectories: ComparisonTrajectories
}

/// Why a comparison did not finish.
public enum ComparisonError: Error, CustomStringConvertible, Equatable {
  /// A run produced a non-finite loss at step k.
  case diverged(run: String, k: Int, loss: Double)
  /// `shouldStop` asked to stop.
  case interrupted
  /// The exact ODE solve failed (it does not for the built-in data).
  case exactSolveFailed(String)

  public var description: String {
    switch self {
    case .diverged(let run, let k, let loss):
      return "\(run) diverged at step k = \(k + 1) (loss \(loss)); try another --seed or --budget"
    case .interrupted: return "interrupted"
    case .exactSolveFailed(let text): return "the exact probability-flow solve failed: \(text)"
    }
  }
}

/// What the caller sees while the comparison runs.
public struct ComparisonObserver {
  /// A line to show ("[2/4] CT: 10000 steps …").
  public var announce: (String) -> Void = { _ in }
  /// Steps done and steps in the current run (a progress bar).
  public var progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
  /// Asked after every step: true stops the comparison (`ComparisonError.interrupted`).
  public var shouldStop: () -> Bool = { false }
  /// An observer that shows nothing and never stops.
  public init() {}
}

/// Trains the EDM teacher, then CT, CD with the exact (oracle) teacher and CD with the EDM
/// teacher for the same K steps from the same seed; scores 1- and 2-step samples along the way
/// and at the end (SW1, energy distance); measures each model's distance to the exact
/// consistency function; computes exact trajectories and each model's jumps from them.
/// `command` is recorded in the summary.
public func runComparison(
  dataset: Dataset, budget: ComparisonBudget, seed: UInt64, command: String,
  observer: ComparisonObserver = ComparisonObserver()
) throws(ComparisonError) -> Comparison {
  guard let mixture = dataset.mixture else {
    preconditionFailure("runComparison: \(dataset.name) has no exact denoiser")
  }
  let start = Date()
  observer.announce(
    "cm compare: CT against CD on \(dataset.name), budget \(budget.name) (K = \(budget.steps) steps per model), seed \(seed)"
  )
  // Every model is scored against the same reference sample, sampled from the same z.
  let probe = QualityProbe(
    dataset: dataset, count: budget.curveSampleCount, referenceSeed: seed &+ 1000,
    samplingSeed: seed &+ 2000)

  // MARK: the EDM teacher
  observer.announce("[1/4] EDM teacher: pre-training \(budget.teacherSteps) steps …")
  var teacherDriver = RunDriver(
    run: EDMPretrainingState<Float>(config: budget.teacherConfig(dataset: dataset, seed: seed)))
  let teacherSeconds = try drive(
    &teacherDriver, steps: budget.teacherSteps, name: "the EDM teacher's pre-training", observer: observer)
  let edmTeacher = EDMTeacher(state: teacherDriver.run)

  // MARK: the three consistency models
  let final = FinalScores(dataset: dataset, count: budget.finalSampleCount, seed: seed)
  let trajectories: ComparisonTrajectories
  do {
    trajectories = try exactTrajectories(mixture: mixture, seed: seed)
  } catch {
    throw .exactSolveFailed("\(error)")
  }
  var models: [ComparisonModel] = []
  let contestants: [(key: String, title: String, method: TrainingMethod, teacher: Teacher?)] = [
    ("ct", "CT", .ct, nil),
    ("cd-oracle", "CD (oracle teacher)", .cd, .oracle(mixture)),
    ("cd-edm", "CD (EDM teacher)", .cd, .edm(edmTeacher)),
  ]
  for (index, contestant) in contestants.enumerated() {
    observer.announce("[\(index + 2)/4] \(contestant.title): \(budget.steps) steps …")
    var driver = RunDriver(
      run: TrainingState<Float>(
        config: budget.trainingConfig(method: contestant.method, dataset: dataset, seed: seed),
        teacher: contestant.teacher))
    var curve: [CurvePoint] = []
    let seconds = try drive(
      &driver, steps: budget.steps, name: "the \(contestant.key) run", observer: observer
    ) { state, record in
      curve.append(
        CurvePoint(
          k: state.k, loss: record.loss, sw1OneStep: probe.score(probe.samples(of: state, steps: 1)),
          sw1TwoStep: probe.score(probe.samples(of: state, steps: 2))))
    }
    let state = driver.run
    // The τ of 2-step sampling, searched for this model on seeds the final scores do not use.
    observer.announce("    τ search for 2 steps (cm tune-tau) …")
    let tauSearch = tuneSamplingTaus(
      model: state.model, parameters: state.thetaEMA, sigmaMax: state.config.sigmaMax, dataset: dataset,
      steps: 2, count: budget.curveSampleCount, seed: seed &+ 8000, gridPoints: budget.tauSearchGridPoints,
      goldenSteps: budget.tauSearchGoldenSteps)
    let jumps = trajectories.marks.map { mark in
      let f = state.model(parameters: state.thetaEMA, x: [mark.x.x, mark.x.y], t: [mark.t])
      return SIMD2(f[0], f[1])
    }
    models.append(
      ComparisonModel(
        key: contestant.key, title: contestant.title, driver: driver, curve: curve, seconds: seconds,
        tauSearch: tauSearch, oneStep: final.samples(of: state, taus: []),
        twoStep: final.samples(of: state, taus: tauSearch.taus), jumps: jumps))
  }

  // MARK: final scores, consistency error, trajectories
  observer.announce(
    "scoring: \(budget.finalSampleCount) samples per model, consistency error on \(consistencySigmas.count) noise levels"
  )
  var teacherGenerator = SeededGenerator(seed: final.samplingSeed)
  let teacherSamples = edmTeacher.sample(count: final.count, generator: &teacherGenerator)
  var oracleGenerator = SeededGenerator(seed: final.samplingSeed)
  let oracleSamples = edmHeunSample(count: final.count, generator: &oracleGenerator) { x, t in
    mixture.denoise(batch: x, t: t)
  }
  // Every model on the same points x₀ + t·z, against one exact solve per t.
  var consistencyGenerator = SeededGenerator(seed: seed &+ 3000)
  let reports: [ConsistencyErrorReport]
  do {
    reports = try consistencyErrors(
      of: models.map { model in
        let state = model.state
        return { x, t in state.model(parameters: state.thetaEMA, x: x, t: t) }
      }, mixture: mixture, sigmas: consistencySigmas, count: budget.consistencySampleCount,
      using: &consistencyGenerator, relativeTolerance: 1e-8, absoluteTolerance: 1e-8)
  } catch {
    throw .exactSolveFailed("\(error)")
  }
  let summary = ComparisonSummary(
    command: command, dataset: dataset.name, budget: budget, seed: seed,
    seconds: Date().timeIntervalSince(start),
    teacher: .init(
      steps: budget.teacherSteps, seconds: teacherSeconds,
      finalLoss: teacherDriver.history.last?.loss ?? .nan,
      heun18: final.report(teacherSamples), oracleHeun18: final.report(oracleSamples)),
    models: zip(models, reports).map { model, report in
      ComparisonSummary.Model(
        key: model.key, title: model.title, method: model.state.config.method.rawValue,
        teacher: model.state.teacher?.name, steps: model.state.k, seconds: model.seconds,
        oneStep: final.report(model.oneStep), twoStep: final.report(model.twoStep),
        consistencyError: report, curve: model.curve, tauSearch: model.tauSearch)
    },
    curveProbe: .init(
      count: probe.count, noiseFloor: probe.noiseFloor, gaussianBaseline: probe.gaussianBaseline),
    files: [])
  return Comparison(
    summary: summary, teacher: teacherDriver, models: models, reference: final.reference,
    teacherSamples: teacherSamples, oracleSamples: oracleSamples, curveNoiseFloor: probe.noiseFloor,
    trajectories: trajectories)
}

/// Runs `driver` for `steps` steps through the run driver, with the observer's progress and stop
/// request; returns the seconds taken. `onInterval` sees the run after each interval.
func drive<Run: DrivableRun>(
  _ driver: inout RunDriver<Run>, steps: Int, name: String, observer: ComparisonObserver,
  onInterval: @escaping (Run, Run.Record) -> Void = { _, _ in }
) throws(ComparisonError) -> Double {
  var hooks = RunDriver<Run>.Hooks()
  hooks.shouldStop = observer.shouldStop
  hooks.onProgress = { done in observer.progress(done, steps) }
  hooks.onInterval = { run, record in onInterval(run, record) }
  let start = Date()
  let outcome: RunOutcome
  do {
    outcome = try driver.run(steps: steps, hooks: hooks)
  } catch {
    preconditionFailure("no hook of the comparison throws")
  }
  switch outcome {
  case .finished: return Date().timeIntervalSince(start)
  case .interrupted: throw .interrupted
  case .diverged(let k, let loss): throw .diverged(run: name, k: k, loss: loss)
  }
}

/// The final scores: n samples of each sampler, scored by `EvaluationReport` against one reference.
struct FinalScores {
  let count: Int
  let reference: [Double]
  let referenceSeed: UInt64
  let samplingSeed: UInt64
  let dataset: Dataset

  init(dataset: Dataset, count: Int, seed: UInt64) {
    self.dataset = dataset
    self.count = count
    referenceSeed = seed &+ 4000
    samplingSeed = seed &+ 5000
    var generator = SeededGenerator(seed: referenceSeed)
    reference = dataset.sample(count: count, using: &generator)
  }

  /// Samples with the intermediate noise levels `taus` (none for 1 step).
  func samples(of state: TrainingState<Float>, taus: [Double]) -> [Double] {
    var generator = SeededGenerator(seed: samplingSeed)
    return state.model.sample(
      parameters: state.thetaEMA, count: count, taus: taus, sigmaMax: state.config.sigmaMax,
      generator: &generator)
  }

  func report(_ samples: [Double]) -> EvaluationReport {
    EvaluationReport(generated: samples, dataset: dataset, referenceSeed: referenceSeed)
  }
}

/// Six exact PF-ODE paths from x₀ + t·z at t = `trajectoryStart` down to ε, and the points on
/// them at every mark.
private func exactTrajectories(mixture: GaussianMixture, seed: UInt64) throws -> ComparisonTrajectories {
  var generator = SeededGenerator(seed: seed &+ 6000)
  let starts = mixture.sample(count: 6, using: &generator)
  let z = generator.gaussians(count: 12)
  var paths: [[SIMD2<Double>]] = []
  var marks: [(x: SIMD2<Double>, t: Double)] = []
  for i in 0..<6 {
    var x = [starts[2 * i] + trajectoryStart * z[2 * i], starts[2 * i + 1] + trajectoryStart * z[2 * i + 1]]
    var path: [SIMD2<Double>] = [SIMD2(x[0], x[1])]
    for (j, t) in trajectoryMarks.enumerated() {
      marks.append((SIMD2(x[0], x[1]), t))
      let next = j + 1 < trajectoryMarks.count ? trajectoryMarks[j + 1] : 0.002
      let solution = try integrateProbabilityFlow(
        x: x, from: t, to: next, denoiser: mixture.denoiser, relativeTolerance: 1e-8, absoluteTolerance: 1e-8,
        trajectory: { _, point in path.append(SIMD2(point[0], point[1])) })
      x = solution.x
    }
    paths.append(path)
  }
  var dataGenerator = SeededGenerator(seed: seed &+ 7000)
  return ComparisonTrajectories(
    data: mixture.sample(count: 1500, using: &dataGenerator), paths: paths, marks: marks)
}
