// `cm compare`: the main job. Parse, run the comparison (CMExperiments), write and plot it.

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
      cd-edm.cmck). Everything is written into a new folder that replaces DIR only when \
      complete, so DIR never mixes two runs; a DIR holding anything but an earlier comparison \
      is refused unless --force. Ctrl-C stops it and leaves DIR as it was (exit 130).

      Budgets: tiny (seconds; for tests), default (the README's main job), full (the README's \
      numbers), ablation (--ablation in a few minutes).

      --variants A,B,… trains the named variants instead (\(ComparisonVariant.examples)) \
      on the same budget from each of --seeds seeds (seed, seed + 1, …), and writes a table of \
      mean ± standard deviation over the seeds (summary.md, summary.json) and a bar chart \
      (sw1.gp, sw1.png). --ablation trains CM's CT, then adds iCT's changes one at a time in \
      the paper's order (ct-cm, ct-cm+weighting, …, ict), and says which change stands out of \
      the seed-to-seed noise; variants given with it are trained after the ladder.
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
  @Option(help: "The output folder (created, or replaced when it holds an earlier comparison).")
  var output: String = "compare"
  @Flag(help: "Replace --output even when it holds something other than an earlier comparison.")
  var force = false
  @Option(help: "Seconds gnuplot may take for one figure before it is stopped (1…3600).")
  var gnuplotTimeout: String = "60"
  @Option(help: "Train these variants, comma-separated, instead of CT against CD (see above).")
  var variants: String?
  @Flag(help: "Train the ablation from CM's CT to iCT, one change at a time (see above).")
  var ablation = false
  @Option(help: "With --variants or --ablation: how many seeds each variant trains from, 1…10 (default 3).")
  var seeds: String?

  func run() throws {
    if variants != nil || ablation { return try runVariantComparison() }
    if seeds != nil { throw ValidationError("--seeds needs --variants or --ablation") }
    let dataset = try parseDataset(self.dataset)
    guard datasetsWithExactDenoiser.contains(dataset) else {
      let allowed = datasetsWithExactDenoiser.map(\.name).joined(separator: ", ")
      throw usageError("--dataset", mustBe: "a dataset with an exact denoiser: \(allowed)", got: self.dataset)
    }
    let budget = ComparisonBudget.named(try choice(budget, flag: "--budget", ComparisonBudget.Name.self))
    let seed = try unsigned(self.seed, flag: "--seed")
    let timeLimit = try integer(gnuplotTimeout, flag: "--gnuplot-timeout", atLeast: 1, atMost: 3600)
    let staging = try StagingFolder(replacing: output, flag: "--output", force: force)
    defer { staging.discard() }
    Interruption.install()
    let progress = ProgressBar(total: budget.steps)
    var observer = ComparisonObserver()
    observer.announce = { line in
      progress.finish()
      say(line)
    }
    observer.progress = { done, total in progress.update(done, of: total) }
    observer.shouldStop = { Interruption.requested }
    let comparison: Comparison
    do {
      comparison = try runComparison(
        dataset: dataset, budget: budget, seed: seed,
        command:
          "cm compare --dataset \(dataset.name) --budget \(budget.name) --seed \(seed) --output \(shellQuoted(output))",
        observer: observer)
    } catch {
      progress.finish()
      if error == .interrupted { throw Interrupted(description: "interrupted: \(output) was left as it was") }
      throw RunFailed(description: error.description)
    }
    progress.finish()
    let written = try writeComparison(comparison, to: staging, gnuplotTimeLimit: timeLimit)
    try staging.commitOrFail()
    say(comparison.summary.table())
    say("wrote \(output): \(written.joined(separator: ", "))")
    if let problem = written.renderProblem { try reportRenderProblem(problem, folder: output) }
  }

  /// --variants / --ablation: parse, run `runVariants`, write the table and the bar chart.
  private func runVariantComparison() throws {
    let dataset = try parseDataset(self.dataset)
    guard datasetsWithExactDenoiser.contains(dataset) else {
      let allowed = datasetsWithExactDenoiser.map(\.name).joined(separator: ", ")
      throw usageError("--dataset", mustBe: "a dataset with an exact denoiser: \(allowed)", got: self.dataset)
    }
    let budget = ComparisonBudget.named(try choice(budget, flag: "--budget", ComparisonBudget.Name.self))
    let seed = try unsigned(self.seed, flag: "--seed")
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
    let timeLimit = try integer(gnuplotTimeout, flag: "--gnuplot-timeout", atLeast: 1, atMost: 3600)
    let staging = try StagingFolder(replacing: output, flag: "--output", force: force)
    defer { staging.discard() }
    Interruption.install()
    let progress = ProgressBar(total: budget.steps)
    var observer = ComparisonObserver()
    observer.announce = { line in
      progress.finish()
      say(line)
    }
    observer.progress = { done, total in progress.update(done, of: total) }
    observer.shouldStop = { Interruption.requested }
    let seeds = (0..<UInt64(seedCount)).map { seed + $0 }
    var command =
      "cm compare --dataset \(dataset.name) --budget \(budget.name) --seed \(seed) --seeds \(seedCount)"
    if ablation { command += " --ablation" }
    if let variants { command += " --variants \(shellQuoted(variants))" }
    command += " --output \(shellQuoted(output))"
    let comparison: VariantComparison
    do {
      comparison = try runVariants(
        dataset: dataset, budget: budget, variants: chosen, seeds: seeds,
        ladderLength: ablation ? ComparisonVariant.ablation.count : 0,
        command: command, observer: observer)
    } catch {
      progress.finish()
      if error == .interrupted { throw Interrupted(description: "interrupted: \(output) was left as it was") }
      throw RunFailed(description: error.description)
    }
    progress.finish()
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
