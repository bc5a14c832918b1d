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
      consistency function (the probability-flow ODE solved to a tolerance of 1e-8). The final \
      2-step samples use each model's own τ, searched after training as `cm tune-tau --steps 2` \
      does (the learning curves keep τ = 0.8).

      Writes to DIR: samples, loss, quality, consistency-error, schedules and trajectories \
      (.gp scripts with their data inline, and .png when gnuplot is installed), summary.md, \
      summary.json, and the four checkpoints (teacher.cmck, ct.cmck, cd-oracle.cmck, \
      cd-edm.cmck). Everything is written into a new folder that replaces DIR only when \
      complete, so DIR never mixes two runs; a DIR holding anything but an earlier comparison \
      is refused unless --force, which moves it aside to DIR.replaced-N (never deletes it). \
      Ctrl-C stops it and leaves DIR as it was (exit 130).

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
  @Option(help: "Train these variants, comma-separated, instead of CT against CD (see above).")
  var variants: String?
  @Flag(help: "Train the ablation from CM's CT to iCT, one change at a time (see above).")
  var ablation = false
  @Option(help: "With --variants or --ablation: how many seeds each variant trains from, 1…10 (default 3).")
  var seeds: String?

  func run() throws {
    if variants != nil || ablation { return try runVariantComparison() }
    if seeds != nil { throw ValidationError("--seeds needs --variants or --ablation") }
    let (budget, seed, timeLimit) = try settings()
    let staging = try StagingFolder(replacing: output, flag: "--output", force: force)
    defer { staging.discard() }
    let comparison = try observed(steps: budget.steps) { observer throws(ComparisonError) in
      try runComparison(
        dataset: dataset, budget: budget, seed: seed,
        command:
          "cm compare --dataset \(dataset.name) --budget \(budget.name) --seed \(seed) --output \(shellQuoted(output))",
        observer: observer)
    }
    let written = try writeComparison(comparison, to: staging, gnuplotTimeLimit: timeLimit)
    try staging.commitOrFail()
    say(comparison.summary.table())
    say(tunedTauNote(comparison.summary))
    say("wrote \(output): \(written.joined(separator: ", "))")
    if let problem = written.renderProblem { try reportRenderProblem(problem, folder: output) }
  }
}
