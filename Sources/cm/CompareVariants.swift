// Writing `cm compare --variants` / `--ablation`: the summary and the bar chart of SW1.

import ConsistencyModels
import Foundation
import Plotting

extension Compare {
  /// --variants / --ablation: parse, run `runVariants`, write the table and the bar chart.
  func runVariantComparison() throws {
    let (budget, seed, timeLimit) = try settings()
    let seedCount = try seeds.map { try integer($0, flag: "--seeds", atLeast: 1, atMost: 10) } ?? 3
    guard seed <= UInt64.max - UInt64(seedCount) else {
      throw usageError(
        "--seed", mustBe: "at most \(UInt64.max - UInt64(seedCount)) with --seeds \(seedCount)",
        got: self.seed)
    }
    let chosen = try (ablation ? ComparisonVariant.ablation : []) + parseVariants(variants)
    guard Set(chosen.map(\.key)).count == chosen.count else {
      throw usageError(
        "--variants", mustBe: "a list without repeats (--ablation already trains ct-cm, …, ict)",
        got: variants ?? "")
    }
    let staging = try StagingFolder(replacing: output, flag: "--output", force: force)
    defer { staging.discard() }
    let seeds = (0..<UInt64(seedCount)).map { seed + $0 }
    var command =
      "cm compare --dataset \(dataset.name) --budget \(budget.name) --seed \(seed) --seeds \(seedCount)"
    if ablation { command += " --ablation" }
    if let variants { command += " --variants \(shellQuoted(variants))" }
    command += " --output \(shellQuoted(output))"
    let comparison = try observed(steps: budget.steps) { observer throws(ComparisonError) in
      try runVariants(
        dataset: dataset, budget: budget, variants: chosen, seeds: seeds,
        ladderLength: ablation ? ComparisonVariant.ablation.count : 0,
        command: command, observer: observer)
    }
    let written = try writeVariantComparison(comparison, to: staging, gnuplotTimeLimit: timeLimit)
    try staging.commitOrFail()
    say(comparison.table())
    if let line = comparison.ictAgainstCM() { say(line) }
    say("wrote \(output): \(written.joined(separator: ", "))")
    if let problem = written.renderProblem { try reportRenderProblem(problem, folder: output) }
  }

  /// The variants named by --variants (none when it is not given).
  private func parseVariants(_ text: String?) throws -> [ComparisonVariant] {
    guard let text else { return [] }
    let keys = text.split(separator: ",", omittingEmptySubsequences: false).map {
      String($0).trimmingCharacters(in: .whitespaces)
    }
    return try keys.map { key in
      guard let variant = ComparisonVariant.named(key) else {
        throw usageError(
          "--variants", mustBe: "a comma-separated list of \(ComparisonVariant.examples)", got: text)
      }
      return variant
    }
  }
}

/// Writes summary.json, summary.md and the bar chart sw1.gp (and sw1.png when gnuplot renders it)
/// into `staging`. The summary lists only what was written.
func writeVariantComparison(_ comparison: VariantComparison, to staging: StagingFolder, gnuplotTimeLimit: Int)
  throws -> ComparisonFiles
{
  let folder = staging.url
  var names: [String] = []
  var renderProblem: PlotError? = nil
  let url = folder.appendingPathComponent("sw1.gp")
  do {
    try sw1BarChart(comparison).write(to: url)
  } catch {
    throw IOFailure(description: "--output: \(error)")
  }
  names.append("sw1.gp")
  do {
    try Gnuplot.render(scriptURL: url, timeLimit: gnuplotTimeLimit)
    names.append("sw1.png")
  } catch let error as PlotError {
    renderProblem = error
  }
  names += ["summary.md", "summary.json"]
  do {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try writeAtomically(try encoder.encode(comparison), to: folder.appendingPathComponent("summary.json"))
    try writeAtomically(Data(comparison.markdown().utf8), to: folder.appendingPathComponent("summary.md"))
  } catch {
    throw IOFailure(description: "--output: \(error)")
  }
  return ComparisonFiles(names: names, renderProblem: renderProblem)
}

/// 1- and 2-step SW1 of every variant as pairs of bars (mean over the seeds) with error bars (±
/// the standard deviation), each seed's value as a dot, and the noise floor as a dashed line.
func sw1BarChart(_ c: VariantComparison) -> PlotScript {
  let rows = c.rows
  var script = PlotScript(
    title: "cm compare: SW1 of each variant, \(c.dataset), budget \(c.budget.name)",
    width: max(900, 130 * rows.count + 200), height: 640)
  let bars = script.add(
    DataBlock(
      name: "bars",
      rows: rows.enumerated().map { i, row in
        [Double(i), row.sw1OneStep.mean, row.sw1OneStep.sd, row.sw1TwoStep.mean, row.sw1TwoStep.sd]
      }))
  let seeds = script.add(
    DataBlock(
      name: "seeds",
      rows: rows.enumerated().flatMap { i, row in
        row.perSeed.map { [Double(i), $0.sw1OneStep, $0.sw1TwoStep] }
      }))
  let ticks = rows.enumerated().map { i, row in "\(PlotScript.quoted(row.title)) \(i)" }
  script.add(
    "set title 'sliced Wasserstein-1 of 1- and 2-step samples: mean ± sd over \(c.seeds.count) seed(s), dots per seed'"
  )
  script.add("set ylabel 'SW1 (lower is better)'")
  script.add("set xtics (\(ticks.joined(separator: ", "))) rotate by -25 left font ',9'")
  script.add("set xrange [-0.6:\(Double(rows.count) - 0.4)]")
  script.add("set yrange [0:*]")
  script.add("set grid ytics")
  script.add("set key outside top center horizontal")
  script.add("set boxwidth 0.36")
  script.add("set style fill solid 0.75 border -1")
  script.add("set bmargin 9")
  script.add("floor = \(c.noiseFloor.mean)")
  script.add(
    "plot \(bars) using ($1-0.19):2 with boxes lc rgb '#d62728' title '1 step', "
      + "\(bars) using ($1-0.19):2:3 with yerrorbars lc rgb 'black' pt 0 notitle, "
      + "\(seeds) using ($1-0.19):2 with points pt 7 ps 0.5 lc rgb 'black' notitle, "
      + "\(bars) using ($1+0.19):4 with boxes lc rgb '#1f77b4' title '2 steps (τ = \(defaultSamplingTau))', "
      + "\(bars) using ($1+0.19):4:5 with yerrorbars lc rgb 'black' pt 0 notitle, "
      + "\(seeds) using ($1+0.19):3 with points pt 7 ps 0.5 lc rgb 'black' notitle, "
      + "floor with lines dt 2 lw 2 lc rgb '#7f7f7f' title 'noise floor (a second true sample)'")
  return script
}
