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
      is refused unless --force, which moves it aside to DIR.replaced-N (never deletes it). \
      Ctrl-C stops it and leaves DIR as it was (exit 130).

      Budgets: tiny (seconds; for tests), default (the README's main job), full (the README's \
      numbers).
      """)

  @Option(
    help:
      "The dataset, one with an exact denoiser: \(datasetsWithExactDenoiser.map(\.name).joined(separator: ", ")).",
    transform: Dataset.parser("--dataset"))
  var dataset: Dataset = .ring8
  @Option(
    help: "The budget: \(ComparisonBudget.Name.names).", transform: ComparisonBudget.Name.parser("--budget"))
  var budget: ComparisonBudget.Name = .default
  @Option(help: "The seed of every run (initialisation, data, indices, noise) and of the scores.")
  var seed: String = "0"
  @Option(help: "The output folder (created, or replaced when it holds an earlier comparison).")
  var output: String = "compare"
  @Flag(
    help:
      "Write --output even when it holds something other than an earlier comparison (which is moved aside to DIR.replaced-N, not deleted)."
  )
  var force = false
  @Option(help: "Seconds gnuplot may take for one figure before it is stopped (1…3600).")
  var gnuplotTimeout: String = "60"

  func run() throws {
    guard datasetsWithExactDenoiser.contains(dataset) else {
      let allowed = datasetsWithExactDenoiser.map(\.name).joined(separator: ", ")
      throw usageError("--dataset", mustBe: "a dataset with an exact denoiser: \(allowed)", got: dataset.name)
    }
    let budget = ComparisonBudget.named(self.budget)
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
}
