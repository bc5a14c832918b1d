// summary.json and summary.md of `cm compare --variants` / `--ablation`: every number over the
// seeds, its spread, and whether a difference between two rows stands out of the seed noise.

import CMCore
import Foundation

/// Values measured once per seed, their mean and their sample standard deviation.
///
/// ```
/// mean = (1/n) Σ vᵢ,   sd = √( Σ (vᵢ − mean)² / (n − 1) )   (0 for n = 1)
/// ```
public struct Spread: Codable, Sendable, Equatable {
  /// The values, one per seed, in seed order.
  public var values: [Double]
  /// Their mean.
  public var mean: Double
  /// Their sample standard deviation (n − 1 in the denominator; 0 for one value).
  public var sd: Double

  /// The spread of `values`; at least one value.
  public init(_ values: [Double]) {
    precondition(!values.isEmpty, "Spread needs at least one value")
    self.values = values
    let n = Double(values.count)
    mean = values.reduce(0, +) / n
    let m = mean
    sd = values.count < 2 ? 0 : (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (n - 1)).squareRoot()
  }
}

/// What `runVariants` measured: one row per variant, each number over the seeds.
public struct VariantComparison: Codable, Sendable {
  /// One variant's numbers at one seed.
  public struct Measurement: Codable, Sendable, Equatable {
    /// SW1 of the 1-step samples.
    public var sw1OneStep: Double
    /// SW1 of the 2-step samples.
    public var sw1TwoStep: Double
    /// E‖f_θ − f*‖ averaged over the 12 noise levels of `consistencySigmas`.
    public var consistencyError: Double
    /// Wall-clock seconds of training.
    public var seconds: Double
  }

  /// One variant over the seeds.
  public struct Row: Codable, Sendable {
    /// The variant's name on the command line.
    public var key: String
    /// Its title in tables and the bar chart.
    public var title: String
    /// The training method, "ct" or "cd".
    public var method: String
    /// Its numbers at each seed, in seed order.
    public var perSeed: [Measurement]
    /// SW1 of the 1-step samples over the seeds.
    public var sw1OneStep: Spread
    /// SW1 of the 2-step samples over the seeds.
    public var sw1TwoStep: Spread
    /// 1-step SW1 / that seed's noise floor.
    public var oneStepTimesFloor: Spread
    /// 2-step SW1 / that seed's noise floor.
    public var twoStepTimesFloor: Spread
    /// The consistency error over the seeds.
    public var consistencyError: Spread
    /// Training seconds over the seeds.
    public var seconds: Spread

    init(key: String, title: String, method: String, perSeed: [Measurement], noiseFloors: [Double]) {
      self.key = key
      self.title = title
      self.method = method
      self.perSeed = perSeed
      sw1OneStep = Spread(perSeed.map(\.sw1OneStep))
      sw1TwoStep = Spread(perSeed.map(\.sw1TwoStep))
      oneStepTimesFloor = Spread(zip(perSeed, noiseFloors).map { $0.sw1OneStep / $1 })
      twoStepTimesFloor = Spread(zip(perSeed, noiseFloors).map { $0.sw1TwoStep / $1 })
      consistencyError = Spread(perSeed.map(\.consistencyError))
      seconds = Spread(perSeed.map(\.seconds))
    }
  }

  /// How row b's 1-step SW1 differs from row a's, seed by seed (both rows trained from the same
  /// seeds, so the differences are paired).
  public struct Change: Codable, Sendable, Equatable {
    /// b − a at each seed.
    public var differences: [Double]
    /// The mean of `differences`.
    public var mean: Double
    /// Whether the change stands out of the seed-to-seed noise: every seed moves the same way
    /// and the mean change exceeds both rows' standard deviations. Never with one seed.
    public var isBeyondSeedNoise: Bool

    /// The change from row a's spread to row b's, seed by seed (the same seeds, in the same order).
    public init(from a: Spread, to b: Spread) {
      differences = zip(a.values, b.values).map { $1 - $0 }
      mean = differences.reduce(0, +) / Double(differences.count)
      let sameSign = differences.allSatisfy { $0 > 0 } || differences.allSatisfy { $0 < 0 }
      isBeyondSeedNoise = differences.count >= 2 && sameSign && abs(mean) > max(a.sd, b.sd)
    }
  }

  /// The command line that produced it.
  public var command: String
  /// The dataset's name.
  public var dataset: String
  /// The budget every run trained under.
  public var budget: ComparisonBudget
  /// The seeds every variant trained from.
  public var seeds: [UInt64]
  /// Wall-clock seconds of the whole comparison.
  public var seconds: Double
  /// The first `ladderLength` rows are the ablation's ladder (each adds one change to the row
  /// above); 0 without --ablation.
  public var ladderLength: Int
  /// Whether the rows start with an ablation ladder (`--ablation`).
  public var isAblation: Bool { ladderLength > 0 }
  /// Whether an EDM teacher was pre-trained (per seed) for cd-edm or a tuned variant.
  public var teacherTrained: Bool
  /// One row per variant, in the order asked for (the ladder first).
  public var rows: [Row]
  /// The noise floor of the final scores (a second true sample), per seed.
  public var noiseFloor: Spread
  /// The Gaussian baseline of the final scores, per seed.
  public var gaussianBaseline: Spread

  /// The change of the 1-step (or 2-step) SW1 from the row above, for every row of the ladder
  /// but the first.
  public func ladderChanges(steps: Int = 1) -> [Change] {
    let ladder = rows.prefix(ladderLength)
    return zip(ladder, ladder.dropFirst()).map {
      steps == 1
        ? Change(from: $0.sw1OneStep, to: $1.sw1OneStep) : Change(from: $0.sw1TwoStep, to: $1.sw1TwoStep)
    }
  }

  /// Each row's change from the row above, where the row is on the ladder below its first row.
  private func changeColumn(steps: Int = 1) -> [Change?] {
    let changes = ladderChanges(steps: steps)
    return rows.indices.map { i in i >= 1 && i < ladderLength ? changes[i - 1] : nil }
  }

  /// iCT's 1-step SW1 against CM's CT, when both were trained: the ratio of the means, the ratio
  /// at each seed, and the verdict on the issue's criterion (at most 0.8).
  public func ictAgainstCM() -> String? {
    guard let cm = rows.first(where: { $0.key == "ct-cm" }), let ict = rows.first(where: { $0.key == "ict" })
    else { return nil }
    let ratio = ict.sw1OneStep.mean / cm.sw1OneStep.mean
    let perSeed = zip(ict.perSeed, cm.perSeed).map { fmt($0.sw1OneStep / $1.sw1OneStep, 2) }
    let change = Change(from: cm.sw1OneStep, to: ict.sw1OneStep)
    let verdict =
      ratio <= 0.8
      ? "at most 0.8: iCT's 1-step samples are clearly closer to the data"
      : "above 0.8: on this budget iCT does not reach the 0.8 asked for"
    return
      "iCT's 1-step SW1 \(fmt(ict.sw1OneStep.mean)) ± \(fmt(ict.sw1OneStep.sd)) is \(fmt(ratio, 2))× CM's CT's "
      + "\(fmt(cm.sw1OneStep.mean)) ± \(fmt(cm.sw1OneStep.sd)) (per seed: \(perSeed.joined(separator: ", "))), "
      + "\(verdict); the difference is \(change.isBeyondSeedNoise ? "beyond" : "within") the seed-to-seed noise."
  }

  /// The console table: one row per variant, mean ± sd over the seeds.
  public func table() -> String {
    var lines: [[String]] = [
      ["variant", "1-step SW1", "× floor", "2-step SW1", "× floor", "‖f_θ − f*‖", "Δ 1-step", "Δ 2-step"]
    ]
    for (i, row) in rows.enumerated() {
      lines.append([
        row.title, pm(row.sw1OneStep), pm(row.oneStepTimesFloor, 2), pm(row.sw1TwoStep),
        pm(row.twoStepTimesFloor, 2), pm(row.consistencyError), changeColumn()[i].map(describe) ?? "",
        changeColumn(steps: 2)[i].map(describe) ?? "",
      ])
    }
    lines.append(["true sample (noise floor)", pm(noiseFloor), "1.00", "", "", "", "", ""])
    lines.append(["Gaussian baseline", pm(gaussianBaseline), "", "", "", "", "", ""])
    return alignedColumns(lines)
  }

  /// summary.md: the command, the table, the verdicts.
  public func markdown() -> String {
    let kind = isAblation ? "ablation: iCT's changes added to CM's CT one at a time" : "variants"
    var md = """
      # cm compare: \(kind), on \(dataset)

      Produced by

      ```
      \(command)
      ```

      in \(fmt(seconds, 1)) s. Budget `\(budget.name)`: every variant trains K = \(budget.steps) steps \
      (batch \(budget.batchSize), Adam η = \(budget.learningRate), F_θ hidden widths \(budget.hiddenWidths)) \
      from each of the seeds \(seeds.map(String.init).joined(separator: ", "))\
      \(teacherTrained ? "; the EDM teacher pre-trains \(budget.teacherSteps) steps from each seed" : ""). \
      Samples are drawn with θ_ema; 2-step sampling uses τ = \(defaultSamplingTau).

      Each cell is the mean ± the sample standard deviation over the \(seeds.count) seeds. SW1 is the \
      sliced Wasserstein-1 distance of \(budget.finalSampleCount) samples to a reference sample of the data \
      (lower is better); × floor divides it by that seed's noise floor (a second true sample). ‖f_θ − f*‖ \
      is the consistency error, E‖f_θ(x_t, t) − f*(x_t, t)‖ averaged over 12 noise levels from 0.01 to 80 \
      (\(budget.consistencySampleCount) points each), f* solving the probability-flow ODE of the exact \
      denoiser.\(isAblation ? " Δ is the change of the SW1 from the row above, paired seed by seed; it is marked within the seed noise unless every seed moves the same way and the mean change exceeds both rows' standard deviations." : "")

      | variant | 1-step SW1 | × floor | 2-step SW1 | × floor | ‖f_θ − f*‖ |\(isAblation ? " Δ 1-step | Δ 2-step |" : "")
      |---|---|---|---|---|---|\(isAblation ? "---|---|" : "")

      """
    for (i, row) in rows.enumerated() {
      md +=
        "| \(row.title) (`\(row.key)`) | \(pm(row.sw1OneStep)) | \(pm(row.oneStepTimesFloor, 2)) | \(pm(row.sw1TwoStep)) | \(pm(row.twoStepTimesFloor, 2)) | \(pm(row.consistencyError)) |"
        + (isAblation
          ? " \(changeColumn()[i].map(describe) ?? "") | \(changeColumn(steps: 2)[i].map(describe) ?? "") |"
          : "")
        + "\n"
    }
    md +=
      "| true sample (noise floor) | \(pm(noiseFloor)) | 1.00 | | | |\(isAblation ? " | |" : "")\n"
      + "| Gaussian baseline | \(pm(gaussianBaseline)) | | | | |\(isAblation ? " | |" : "")\n"
    if let line = ictAgainstCM() { md += "\n## iCT against CM's CT\n\n\(line)\n" }
    md += """

      ## Per seed

      | variant | seed | 1-step SW1 | 2-step SW1 | ‖f_θ − f*‖ | seconds |
      |---|---|---|---|---|---|

      """
    for row in rows {
      for (seed, m) in zip(seeds, row.perSeed) {
        md +=
          "| \(row.key) | \(seed) | \(fmt(m.sw1OneStep)) | \(fmt(m.sw1TwoStep)) | \(fmt(m.consistencyError)) | \(fmt(m.seconds, 1)) |\n"
      }
    }
    md += """

      `sw1.png` (script `sw1.gp`, data inline) draws the 1- and 2-step SW1 of each variant as bars \
      with the seeds' standard deviation, and the noise floor. summary.json holds every number.

      """
    return md
  }

  private func describe(_ change: Change) -> String {
    let sign = change.mean >= 0 ? "+" : "−"
    return "\(sign)\(fmt(abs(change.mean)))\(change.isBeyondSeedNoise ? "" : " (within noise)")"
  }
}

/// mean ± sd with `digits` decimals.
private func pm(_ s: Spread, _ digits: Int = 4) -> String {
  s.values.count < 2 ? fmt(s.mean, digits) : "\(fmt(s.mean, digits)) ± \(fmt(s.sd, digits))"
}

private func fmt(_ x: Double, _ digits: Int = 4) -> String { format(x, digits: digits) }
