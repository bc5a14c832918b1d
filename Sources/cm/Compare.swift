// `cm compare`: the main job. CT and CD (two teachers) trained side by side on equal terms, scored
// against exact answers, and drawn with gnuplot.

import ArgumentParser
import ConsistencyModels
import Foundation
import Plotting

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Train CT, CD (oracle teacher) and CD (pre-trained EDM teacher) side by side; write plots and a summary.",
    discussion: """
      Pre-trains an EDM diffusion teacher, then trains three consistency models for the same \
      number of steps from the same seed: CT (Algorithm 3), CD with the dataset's exact denoiser \
      as teacher, and CD with the EDM teacher (Algorithm 2). Scores 1- and 2-step samples with \
      sliced Wasserstein-1 along the way, and measures each model's distance to the exact \
      consistency function (the probability-flow ODE solved to a tolerance of 1e-8).

      Writes to DIR: samples, loss, quality, consistency-error, schedules and trajectories \
      (.gp scripts with their data inline, and .png when gnuplot is installed), summary.md, \
      summary.json, and the four checkpoints (teacher.cmck, ct.cmck, cd-oracle.cmck, \
      cd-edm.cmck) for cm sample and cm consistency-error.

      Budgets: tiny (seconds; for tests), default (under a minute on one core in a release \
      build), full (about two minutes; the \
      README's numbers).
      """)

  @Option(
    help:
      "The dataset, one with an exact denoiser: \(datasetsWithExactDenoiser.map(\.name).joined(separator: ", "))."
  )
  var dataset: String = "ring8"
  @Option(help: "The budget: \(ComparisonBudget.Name.allCases.map(\.rawValue).joined(separator: ", ")).")
  var budget: String = "default"
  @Option(help: "The seed of every run (initialisation, data, indices, noise) and of the scores.")
  var seed: String = "0"
  @Option(help: "The output folder (created if missing).")
  var output: String = "compare"

  func run() throws {
    let dataset = try parseDataset(self.dataset)
    guard let mixture = dataset.mixture else {
      throw usageError(
        "--dataset",
        mustBe:
          "a dataset with an exact denoiser: \(datasetsWithExactDenoiser.map(\.name).joined(separator: ", "))",
        got: self.dataset)
    }
    let budgetName = try choice(budget, flag: "--budget", ComparisonBudget.Name.self)
    let seed = try unsigned(self.seed, flag: "--seed")
    let folder = try prepareOutputFolder(output, flag: "--output")
    let budget = ComparisonBudget.named(budgetName)
    let command =
      "cm compare --dataset \(dataset.name) --budget \(budget.name) --seed \(seed) --output \(shellQuoted(output))"
    let start = Date()
    say(
      "cm compare: CT against CD on \(dataset.name), budget \(budget.name) (K = \(budget.steps) steps per model), seed \(seed)"
    )

    // Every model is scored against the same reference sample, sampled from the same z.
    let probe = QualityProbe(
      dataset: dataset, count: budget.curveSampleCount, referenceSeed: seed &+ 1000,
      samplingSeed: seed &+ 2000)

    // MARK: the EDM teacher
    var teacherState = EDMPretrainingState<Float>(config: budget.teacherConfig(dataset: dataset, seed: seed))
    var teacherHistory: [EDMStepRecord] = []
    let teacherSeconds = timed("[1/4] EDM teacher: pre-training \(budget.teacherSteps) steps") {
      let progress = ProgressBar(total: budget.teacherSteps)
      let every = teacherState.config.logEvery
      var lossSum = 0.0
      var lossCount = 0
      teacherState.trainEDM(steps: budget.teacherSteps) { record in
        lossSum += record.loss
        lossCount += 1
        if (record.k + 1) % every == 0 || record.k + 1 == budget.teacherSteps {
          // One record per interval, holding the interval's mean loss.
          teacherHistory.append(EDMStepRecord(k: record.k, loss: lossSum / Double(lossCount)))
          lossSum = 0
          lossCount = 0
        }
        progress.update(record.k + 1)
      }
      progress.finish()
    }
    if let bad = teacherHistory.first(where: { !$0.loss.isFinite }) {
      throw TrainingDiverged(
        k: bad.k, loss: bad.loss, run: "the EDM teacher's pre-training (loss checked once per interval)",
        hint: "Try another --seed or --budget")
    }
    let edmTeacher = EDMTeacher(state: teacherState)

    // MARK: the three consistency models
    func trainModel(_ label: String, _ method: TrainingMethod, teacher: Teacher?) -> ModelRun {
      var state = TrainingState<Float>(
        config: budget.trainingConfig(method: method, dataset: dataset, seed: seed), teacher: teacher)
      var curve: [CurvePoint] = []
      let seconds = timed(label) {
        let progress = ProgressBar(total: budget.steps)
        curve = state.trainWithCurve(probe: probe) { progress.update($0) }
        progress.finish()
      }
      return ModelRun(state: state, curve: curve, seconds: seconds)
    }
    func requireFinite(_ run: ModelRun) throws {
      if let bad = run.curve.first(where: { !$0.loss.isFinite }) {
        throw TrainingDiverged(
          k: bad.k - 1, loss: bad.loss,
          run: "the \(run.state.config.method.rawValue) run (loss checked once per interval)",
          hint: "Try another --seed or --budget")
      }
    }
    let ct = trainModel("[2/4] CT: \(budget.steps) steps", .ct, teacher: nil)
    try requireFinite(ct)
    let cdOracle = trainModel(
      "[3/4] CD, oracle teacher: \(budget.steps) steps", .cd, teacher: .oracle(mixture))
    try requireFinite(cdOracle)
    let cdEDM = trainModel("[4/4] CD, EDM teacher: \(budget.steps) steps", .cd, teacher: .edm(edmTeacher))
    try requireFinite(cdEDM)
    let runs: [(key: String, title: String, color: String, run: ModelRun)] = [
      ("ct", "CT", ContestantColor.ct, ct),
      ("cd-oracle", "CD (oracle teacher)", ContestantColor.cdOracle, cdOracle),
      ("cd-edm", "CD (EDM teacher)", ContestantColor.cdEDM, cdEDM),
    ]

    // MARK: final scores, consistency error, figures
    say(
      "scoring: \(budget.finalSampleCount) samples per model, consistency error on \(consistencySigmas.count) noise levels"
    )
    let final = FinalScores(dataset: dataset, count: budget.finalSampleCount, seed: seed)
    var teacherGenerator = SeededGenerator(seed: final.samplingSeed)
    let teacherSamples = edmTeacher.sample(count: final.count, generator: &teacherGenerator)
    var oracleGenerator = SeededGenerator(seed: final.samplingSeed)
    let oracleSamples = edmHeunSample(count: final.count, generator: &oracleGenerator) { x, t in
      mixture.denoise(batch: x, t: t)
    }
    var modelSamples: [String: (one: [Double], two: [Double])] = [:]
    for entry in runs {
      modelSamples[entry.key] = (
        final.samples(of: entry.run.state, steps: 1), final.samples(of: entry.run.state, steps: 2)
      )
    }
    // Every model on the same points x₀ + t·z, against one exact solve per t.
    var consistencyGenerator = SeededGenerator(seed: seed &+ 3000)
    let reports = try consistencyErrors(
      of: runs.map { entry in
        let state = entry.run.state
        return { x, t in state.model(parameters: state.thetaEMA, x: x, t: t) }
      }, mixture: mixture, sigmas: consistencySigmas, count: budget.consistencySampleCount,
      using: &consistencyGenerator, relativeTolerance: 1e-8, absoluteTolerance: 1e-8)
    let consistency = Dictionary(uniqueKeysWithValues: zip(runs.map(\.key), reports))

    // MARK: write checkpoints, figures, summary
    do {
      try EDMCheckpoint(state: teacherState, history: teacherHistory).write(
        to: folder.appendingPathComponent("teacher.cmck"))
      for entry in runs {
        let state = entry.run.state
        // One record per curve point, holding the interval's mean loss (as cm train keeps them).
        let history = entry.run.curve.map { point in
          StepRecord(
            k: point.k - 1, N: state.config.schedule.N(k: point.k - 1, K: state.config.totalSteps),
            mu: state.config.schedule.mu(k: point.k - 1, K: state.config.totalSteps), loss: point.loss)
        }
        try Checkpoint(kind: state.config.method.rawValue, state: state, history: history)
          .write(to: folder.appendingPathComponent("\(entry.key).cmck"))
      }
    } catch {
      throw ValidationError("--output: \(error)")
    }
    let figures = ComparisonFigures(datasetName: dataset.name, budgetName: budget.name)
    var scripts: [(name: String, script: PlotScript)] = []
    scripts.append(
      (
        "samples",
        figures.samples(
          [
            .init(
              title: "data (\(final.count) points)", points: final.reference, color: ContestantColor.data),
            .init(title: "EDM teacher, 18-step Heun", points: teacherSamples, color: ContestantColor.teacher),
            .init(
              title: "oracle teacher, 18-step Heun", points: oracleSamples, color: ContestantColor.teacher),
          ]
            + runs.flatMap { entry in
              [
                .init(
                  title: "\(entry.title), 1 step", points: modelSamples[entry.key]!.one, color: entry.color),
                .init(
                  title: "\(entry.title), 2 steps", points: modelSamples[entry.key]!.two, color: entry.color),
              ]
            }, columns: 3)
      ))
    scripts.append(
      (
        "loss",
        figures.lines(
          runs.map {
            .init(
              title: $0.title, x: $0.run.curve.map { Double($0.k) }, y: $0.run.curve.map(\.loss),
              color: $0.color)
          },
          title: "training loss (mean over each interval)", xLabel: "training step k",
          yLabel: "loss L(θ, θ⁻)",
          logY: true)
      ))
    scripts.append(
      (
        "quality",
        figures.lines(
          runs.flatMap { entry in
            [
              .init(
                title: "\(entry.title), 1 step", x: entry.run.curve.map { Double($0.k) },
                y: entry.run.curve.map(\.sw1OneStep), color: entry.color),
              .init(
                title: "\(entry.title), 2 steps", x: entry.run.curve.map { Double($0.k) },
                y: entry.run.curve.map(\.sw1TwoStep), color: entry.color, dashed: true),
            ]
          } + [
            .init(
              title: "noise floor (true sample)", x: [0, Double(budget.steps)],
              y: [probe.noiseFloor, probe.noiseFloor], color: "black", dashed: true)
          ],
          title: "sample quality during training (sliced W1, \(probe.count) samples; lower is better)",
          xLabel: "training step k", yLabel: "SW1 to the data", logY: true)
      ))
    scripts.append(
      (
        "consistency-error",
        figures.lines(
          runs.map { entry in
            .init(
              title: entry.title, x: consistencySigmas, y: consistency[entry.key]!.meanError,
              color: entry.color)
          },
          title: "distance to the exact consistency function f* (PF-ODE solved to 1e-8)",
          xLabel: "noise level t", yLabel: "E ‖f_θ(x_t, t) − f*(x_t, t)‖", logX: true, logY: true)
      ))
    scripts.append(("schedules", schedulesFigure(figures, budget: budget, runs: runs.map(\.run))))
    let trajectories = try trajectoryFigure(
      figures, mixture: mixture, runs: runs.map { ($0.title, $0.color, $0.run) }, seed: seed)
    scripts.append(("trajectories", trajectories))

    var rendered: [String] = []
    var renderProblem: String? = nil
    for (name, script) in scripts {
      let url = folder.appendingPathComponent("\(name).gp")
      do {
        try script.write(to: url)
      } catch {
        throw ValidationError("--output: \(error)")
      }
      if renderProblem == nil {
        do {
          try Gnuplot.render(scriptURL: url)
          rendered.append(name + ".png")
        } catch {
          renderProblem = "\(error)"
        }
      }
    }

    // MARK: summary
    let summary = ComparisonSummary(
      command: command, dataset: dataset.name, budget: budget, seed: seed,
      seconds: Date().timeIntervalSince(start),
      teacher: .init(
        steps: budget.teacherSteps, seconds: teacherSeconds,
        finalLoss: teacherHistory.last?.loss ?? .nan,
        heun18: final.report(teacherSamples), oracleHeun18: final.report(oracleSamples)),
      models: runs.map { entry in
        ComparisonSummary.Model(
          key: entry.key, title: entry.title, method: entry.run.state.config.method.rawValue,
          teacher: entry.run.state.teacher?.name, steps: entry.run.state.k, seconds: entry.run.seconds,
          oneStep: final.report(modelSamples[entry.key]!.one),
          twoStep: final.report(modelSamples[entry.key]!.two),
          consistencyError: consistency[entry.key]!, curve: entry.run.curve)
      },
      curveProbe: .init(
        count: probe.count, noiseFloor: probe.noiseFloor, gaussianBaseline: probe.gaussianBaseline),
      files: scripts.map { "\($0.name).gp" } + rendered + [
        "teacher.cmck", "ct.cmck", "cd-oracle.cmck", "cd-edm.cmck",
      ])
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
      try writeAtomically(try encoder.encode(summary), to: folder.appendingPathComponent("summary.json"))
      try writeAtomically(Data(summary.markdown().utf8), to: folder.appendingPathComponent("summary.md"))
    } catch {
      throw ValidationError("--output: \(error)")
    }
    say(summary.table())
    say(
      "wrote \(folder.path): summary.md, summary.json, \(scripts.count) .gp scripts, \(rendered.count) .png, 4 checkpoints (\(format(summary.seconds, digits: 0)) s)"
    )
    if let renderProblem {
      say("plots not rendered: \(renderProblem)")
      say("render them later with: cd \(folder.path) && for f in *.gp; do gnuplot \"$f\"; done")
    }
  }
}

/// Datasets with an exact denoiser (an oracle teacher and an exact f*).
let datasetsWithExactDenoiser = Dataset.allCases.filter { $0.mixture != nil }

/// The noise levels of the consistency-error figure: 12 values log-spaced from 0.01 to 80.
let consistencySigmas: [Double] = (0..<12).map { i in 0.01 * pow(8000, Double(i) / 11) }

/// One trained consistency model and its learning curve.
struct ModelRun {
  var state: TrainingState<Float>
  var curve: [CurvePoint]
  var seconds: Double
}

/// Runs `body`, printing `label` before and the time taken after; returns the seconds.
private func timed(_ label: String, _ body: () throws -> Void) rethrows -> Double {
  say(label + " …")
  let start = Date()
  try body()
  let seconds = Date().timeIntervalSince(start)
  say("      done in \(format(seconds, digits: 1)) s")
  return seconds
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

  func samples(of state: TrainingState<Float>, steps: Int) -> [Double] {
    var generator = SeededGenerator(seed: samplingSeed)
    return state.model.sample(
      parameters: state.thetaEMA, count: count, taus: steps == 1 ? [] : [defaultSamplingTau],
      sigmaMax: state.config.sigmaMax, generator: &generator)
  }

  func report(_ samples: [Double]) -> EvaluationReport {
    EvaluationReport(generated: samples, dataset: dataset, referenceSeed: referenceSeed)
  }
}

private func schedulesFigure(_ figures: ComparisonFigures, budget: ComparisonBudget, runs: [ModelRun])
  -> PlotScript
{
  let K = budget.steps
  let ks = Array(stride(from: 0, through: K, by: max(1, K / 200)))
  let ctSchedule = runs[0].state.config.schedule
  let cdSchedule = runs[1].state.config.schedule
  return figures.schedules(
    n: [
      .init(
        title: "CT: N(k), CM App. C", x: ks.map(Double.init), y: ks.map { Double(ctSchedule.N(k: $0, K: K)) },
        color: ContestantColor.ct),
      .init(
        title: "CD: N = \(cdSchedule.N(k: 0, K: K)) fixed", x: [0, Double(K)],
        y: [Double(cdSchedule.N(k: 0, K: K)), Double(cdSchedule.N(k: K, K: K))],
        color: ContestantColor.cdOracle, dashed: true),
    ],
    mu: [
      .init(
        title: "CT: μ(k) = exp(s₀ ln μ₀ / N(k))", x: ks.map(Double.init),
        y: ks.map { ctSchedule.mu(k: $0, K: K) }, color: ContestantColor.ct),
      .init(
        title: "CD: μ = \(cdSchedule.mu(k: 0, K: K)) fixed", x: [0, Double(K)],
        y: [cdSchedule.mu(k: 0, K: K), cdSchedule.mu(k: K, K: K)], color: ContestantColor.cdOracle,
        dashed: true),
    ])
}

/// Six exact PF-ODE paths from t = 1 down to ε, and from points on them at t = 1, 0.5 and 0.2 the
/// one-step jumps f_θ(x_t, t) of each model: a perfect consistency model lands on the path's end.
private func trajectoryFigure(
  _ figures: ComparisonFigures, mixture: GaussianMixture,
  runs: [(title: String, color: String, run: ModelRun)], seed: UInt64
) throws -> PlotScript {
  var generator = SeededGenerator(seed: seed &+ 6000)
  let starts = mixture.sample(count: 6, using: &generator)
  let z = generator.gaussians(count: 12)
  let marks = [trajectoryStart, 0.5, 0.2]
  var paths: [[SIMD2<Double>]] = []
  var markPoints: [(x: [Double], t: Double)] = []
  for i in 0..<6 {
    var x = [starts[2 * i] + trajectoryStart * z[2 * i], starts[2 * i + 1] + trajectoryStart * z[2 * i + 1]]
    var path: [SIMD2<Double>] = [SIMD2(x[0], x[1])]
    for (j, t) in marks.enumerated() {
      markPoints.append((x, t))
      let next = j + 1 < marks.count ? marks[j + 1] : 0.002
      let solution = try integrateProbabilityFlow(
        x: x, from: t, to: next, denoiser: mixture.denoiser, relativeTolerance: 1e-8, absoluteTolerance: 1e-8,
        trajectory: { _, point in path.append(SIMD2(point[0], point[1])) })
      x = solution.x
    }
    paths.append(path)
  }
  let jumps = runs.map { entry in
    let state = entry.run.state
    let to = markPoints.map { mark in
      let f = state.model(parameters: state.thetaEMA, x: mark.x, t: [mark.t])
      return SIMD2(f[0], f[1])
    }
    return ComparisonFigures.Jumps(
      title: "\(entry.title): f_θ(x_t, t)", from: markPoints.map { SIMD2($0.x[0], $0.x[1]) }, to: to,
      color: entry.color)
  }
  var dataGenerator = SeededGenerator(seed: seed &+ 7000)
  return figures.trajectories(
    data: mixture.sample(count: 1500, using: &dataGenerator), paths: paths, jumps: jumps)
}

/// One line on standard output, written at once (unbuffered), so that progress shows as it happens
/// even when the output goes to a file or a pipe.
private func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A path as a shell word: unchanged when it is plain, else in single quotes.
func shellQuoted(_ text: String) -> String {
  let plain =
    !text.isEmpty
    && text.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || "/._-+=:,@".unicodeScalars.contains($0)
    }
  return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
