// summary.json and summary.md of `cm compare`: every number, and the command that produced it.

import CMCore
import CMData
import CMMetrics
import CMTeacher
import CMTraining
import Foundation

/// What `cm compare` measured, as written to summary.json.
public struct ComparisonSummary: Codable, Sendable {
  /// The EDM teacher's pre-training and sample quality.
  public struct Teacher: Codable, Sendable {
    /// Its pre-training steps.
    public var steps: Int
    /// Wall-clock seconds of its pre-training.
    public var seconds: Double
    /// The mean EDM loss over the last logging interval.
    public var finalLoss: Double
    /// The EDM teacher's own samples: EDM Algorithm 1, 18 Heun steps (35 evaluations).
    public var heun18: EvaluationReport
    /// The same sampler with the exact denoiser: what a perfect teacher's 18 steps give.
    public var oracleHeun18: EvaluationReport
  }
  /// One consistency model's training and scores.
  public struct Model: Codable, Sendable {
    /// "ct", "cd-oracle" or "cd-edm": its checkpoint's file name without `.cmck`.
    public var key: String
    /// Its title in tables and figures.
    public var title: String
    /// The training method, "ct" or "cd".
    public var method: String
    /// CD's teacher, "oracle" or "edm"; nil for CT.
    public var teacher: String?
    /// Its training steps K.
    public var steps: Int
    /// Wall-clock seconds of training (with the curve's scoring).
    public var seconds: Double
    /// Quality of its 1-step samples.
    public var oneStep: EvaluationReport
    /// Quality of its 2-step samples, at the τ `tauSearch` chose.
    public var twoStep: EvaluationReport
    /// E‖f_θ − f*‖ at each of `consistencySigmas`.
    public var consistencyError: ConsistencyErrorReport
    /// Its learning curve: loss and SW1 after every interval.
    public var curve: [CurvePoint]
    /// The search that chose the τ of `twoStep`.
    public var tauSearch: TauSearch
  }
  /// The scale of a quality probe: its sample count, noise floor and Gaussian baseline.
  public struct Probe: Codable, Sendable {
    /// n, the samples of each score.
    public var count: Int
    /// SW1 of a second true sample: what a perfect sampler scores.
    public var noiseFloor: Double
    /// SW1 of a moment-matched Gaussian: what a poor sampler scores.
    public var gaussianBaseline: Double
  }

  /// The command line that produced it.
  public var command: String
  /// The dataset's name.
  public var dataset: String
  /// The budget every run trained under.
  public var budget: ComparisonBudget
  /// The seed every run started from.
  public var seed: UInt64
  /// Wall-clock seconds of the whole comparison.
  public var seconds: Double
  /// The EDM teacher's numbers.
  public var teacher: Teacher
  /// CT, CD with the oracle teacher, CD with the EDM teacher.
  public var models: [Model]
  /// The scale of the learning curves' SW1 (n = curve sample count).
  public var curveProbe: Probe
  /// The files the comparison wrote, relative to its output folder.
  public var files: [String]

  /// The console table: one row per sampler.
  public func table() -> String {
    let floor = models[0].oneStep.slicedWasserstein1.noiseFloor
    let baseline = models[0].oneStep.slicedWasserstein1.gaussianBaseline
    var rows: [[String]] = [["sampler", "SW1", "× floor", "mean ‖f_θ − f*‖ (12 σ)"]]
    for model in models {
      rows.append([
        "\(model.title), 1 step", fmt(model.oneStep.slicedWasserstein1.value),
        fmt(model.oneStep.slicedWasserstein1.value / floor, 2), fmt(model.consistencyError.meanErrorOverall),
      ])
      rows.append([
        "\(model.title), 2 steps (\(model.tauSearch.label))",
        fmt(model.twoStep.slicedWasserstein1.value),
        fmt(model.twoStep.slicedWasserstein1.value / floor, 2), "",
      ])
    }
    rows.append([
      "EDM teacher, 18-step Heun", fmt(teacher.heun18.slicedWasserstein1.value),
      fmt(teacher.heun18.slicedWasserstein1.value / floor, 2), "",
    ])
    rows.append([
      "oracle teacher, 18-step Heun", fmt(teacher.oracleHeun18.slicedWasserstein1.value),
      fmt(teacher.oracleHeun18.slicedWasserstein1.value / floor, 2), "",
    ])
    rows.append(["true sample (noise floor)", fmt(floor), "1.00", ""])
    rows.append(["Gaussian baseline", fmt(baseline), fmt(baseline / floor, 2), ""])
    return alignedColumns(rows)
  }

  /// CD's 1-step SW1 against CT's at equal steps, and against its own teacher's 18-step Heun.
  public func ratios() -> String {
    guard let ct = models.first(where: { $0.method == "ct" }) else { return "" }
    let ctOne = ct.oneStep.slicedWasserstein1.value
    var lines: [String] = []
    for model in models where model.method == "cd" {
      let one = model.oneStep.slicedWasserstein1.value
      let teacherHeun = model.teacher == "oracle" ? teacher.oracleHeun18 : teacher.heun18
      lines.append(
        "- \(model.title): 1-step SW1 \(fmt(one)) is \(fmt(one / ctOne, 2))× CT's \(fmt(ctOne)) after the same "
          + "\(model.steps) steps, and \(fmt(one / teacherHeun.slicedWasserstein1.value, 2))× its teacher's 18-step Heun "
          + "(\(fmt(teacherHeun.slicedWasserstein1.value)), 35 evaluations).")
    }
    return lines.joined(separator: "\n")
  }

  /// summary.md: the command, the table, what each figure shows.
  public func markdown() -> String {
    let floor = models[0].oneStep.slicedWasserstein1.noiseFloor
    var md = """
      # cm compare: CD against CT on \(dataset)

      Produced by

      ```
      \(command)
      ```

      in \(fmt(seconds, 1)) s. Budget `\(budget.name)`: every consistency model trains K = \(budget.steps) \
      steps (batch \(budget.batchSize), Adam η = \(budget.learningRate), F_θ hidden widths \(budget.hiddenWidths)) \
      from seed \(seed); the EDM teacher pre-trains \(budget.teacherSteps) steps. Samples are drawn with θ_ema; \
      2-step sampling uses each model's tuned τ (`cm tune-tau`'s search, below); the learning curves use \
      τ = \(defaultSamplingTau).

      ## Sample quality and consistency error

      Sliced Wasserstein-1 (64 directions) of \(models[0].oneStep.sampleCount) samples against a reference sample of \
      the data (lower is better). A second true sample scores the noise floor; a Gaussian with the data's mean and \
      per-coordinate variance scores the baseline. The consistency error is E‖f_θ(x_t, t) − f*(x_t, t)‖ averaged over 12 noise \
      levels t from 0.01 to 80, where f* solves the probability-flow ODE of the exact denoiser (tolerance 1e-8).

      | sampler | denoiser evaluations | SW1 | SW1 / floor | energy distance | consistency error |
      |---|---|---|---|---|---|

      """
    for model in models {
      md +=
        "| \(model.title), 1 step | 1 | \(fmt(model.oneStep.slicedWasserstein1.value)) | \(fmt(model.oneStep.slicedWasserstein1.value / floor, 2)) | \(fmt(model.oneStep.energyDistance.value)) | \(fmt(model.consistencyError.meanErrorOverall)) |\n"
      md +=
        "| \(model.title), 2 steps (\(model.tauSearch.label)) | 2 | \(fmt(model.twoStep.slicedWasserstein1.value)) | \(fmt(model.twoStep.slicedWasserstein1.value / floor, 2)) | \(fmt(model.twoStep.energyDistance.value)) | |\n"
    }
    md +=
      "| EDM teacher, 18-step Heun | 35 | \(fmt(teacher.heun18.slicedWasserstein1.value)) | \(fmt(teacher.heun18.slicedWasserstein1.value / floor, 2)) | \(fmt(teacher.heun18.energyDistance.value)) | |\n"
    md +=
      "| oracle teacher, 18-step Heun | 35 | \(fmt(teacher.oracleHeun18.slicedWasserstein1.value)) | \(fmt(teacher.oracleHeun18.slicedWasserstein1.value / floor, 2)) | \(fmt(teacher.oracleHeun18.energyDistance.value)) | |\n"
    md +=
      "| true sample (noise floor) | | \(fmt(floor)) | 1.00 | \(fmt(models[0].oneStep.energyDistance.noiseFloor)) | |\n"
    md +=
      "| Gaussian baseline | | \(fmt(models[0].oneStep.slicedWasserstein1.gaussianBaseline)) | \(fmt(models[0].oneStep.slicedWasserstein1.gaussianBaseline / floor, 2)) | \(fmt(models[0].oneStep.energyDistance.gaussianBaseline)) | |\n"
    md += """

      ## The τ of 2-step sampling

      Each model's τ was searched after training (`cm tune-tau --steps 2`: SW1 of \(models[0].tauSearch.count) \
      samples, mean over data seeds \(seedList(models[0].tauSearch.searchReferenceSeeds)) with noise seeds \
      \(seedList(models[0].tauSearch.searchSamplingSeeds)); ln τ scanned at \(budget.tauSearchGridPoints) points in [ln 2ε, ln T) then \
      \(budget.tauSearchGoldenSteps) golden-section steps; the default τ = \(defaultSamplingTau) kept unless the searched τ also scored lower on \
      three validation pairs, data seeds \(seedList(models[0].tauSearch.validationReferenceSeeds))), then scored \
      against the default, as a mean over held-out data seeds \(seedList(models[0].tauSearch.heldOutReferenceSeeds)) \
      with noise seeds \(seedList(models[0].tauSearch.heldOutSamplingSeeds)). The table above uses the tuned τ.

      | model | tuned τ | held-out SW1, tuned τ | held-out SW1, τ = \(defaultSamplingTau) | held-out noise floor |
      |---|---|---|---|---|

      """
    for model in models {
      let search = model.tauSearch
      md +=
        "| \(model.title) | \(fmt(search.taus[0])) | \(fmt(search.heldOutTunedSW1)) | \(fmt(search.heldOutDefaultSW1)) | \(fmt(search.heldOutNoiseFloor)) |\n"
    }
    md += """

      ## In two ratios

      \(ratios())

      ## Consistency error by noise level

      | t | \(models.map(\.title).joined(separator: " | ")) |
      |---|\(models.map { _ in "---|" }.joined())

      """
    for (i, t) in models[0].consistencyError.sigmas.enumerated() {
      md +=
        "| \(fmt(t, 3)) | " + models.map { fmt($0.consistencyError.meanError[i]) }.joined(separator: " | ")
        + " |\n"
    }
    md += """

      ## Training time

      | run | steps | seconds | steps/s |
      |---|---|---|---|
      | EDM teacher (pre-training) | \(teacher.steps) | \(fmt(teacher.seconds, 1)) | \(fmt(Double(teacher.steps) / teacher.seconds, 0)) |

      """
    for model in models {
      md +=
        "| \(model.title) | \(model.steps) | \(fmt(model.seconds, 1)) | \(fmt(Double(model.steps) / model.seconds, 0)) |\n"
    }
    md += """

      The times include the learning curves' scoring (\(curveProbe.count) samples at 1 and 2 steps, \(budget.curvePoints) times per run).

      ## Figures

      Each `.gp` file is a standalone gnuplot script with its data inline: edit it and run `gnuplot NAME.gp` to \
      redraw `NAME.png` beside it.

      - `samples.png`: the data, both teachers' 18-step Heun samples, and each consistency model's 1- and 2-step \
      samples, on the same axes.
      - `loss.png`: each model's training loss against k. CT's and CD's losses are not on the same scale (CT's target \
      moves with N(k)), so compare their shapes, not their heights.
      - `quality.png`: SW1 of 1- and 2-step samples against k (\(curveProbe.count) samples; noise floor \
      \(fmt(curveProbe.noiseFloor)) at that size).
      - `consistency-error.png`: E‖f_θ(x_t, t) − f*(x_t, t)‖ against t for each model.
      - `schedules.png`: N(k) and μ(k) of CT's curriculum against CD's constant N and μ.
      - `trajectories.png`: exact probability-flow ODE paths from t = \(trajectoryStart) to ε, and each model's \
      one-step jump f_θ(x_t, t) from points on them at t = \(trajectoryStart), 0.5 and 0.2. A perfect consistency \
      model lands every arrow on the path's end.

      summary.json holds every number above, each model's learning curve, and the budget.

      """
    return md
  }
}

/// A number with `digits` significant decimals for the summary (4 by default).
private func fmt(_ x: Double, _ digits: Int = 4) -> String { format(x, digits: digits) }

/// A plain-text table for a terminal: the first column left-aligned, the others right-aligned,
/// two spaces between columns. Every row has the same number of cells.
func alignedColumns(_ rows: [[String]]) -> String {
  let columns = rows.first?.count ?? 0
  let widths = (0..<columns).map { c in rows.map { $0[c].count }.max() ?? 0 }
  return rows.map { row in
    row.enumerated().map { c, cell in
      c == 0
        ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
        : String(repeating: " ", count: widths[c] - cell.count) + cell
    }.joined(separator: "  ")
  }.joined(separator: "\n")
}
