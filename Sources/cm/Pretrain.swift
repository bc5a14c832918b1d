// `cm pretrain`: pre-train the EDM diffusion teacher D_φ that Consistency Distillation distils.

import ArgumentParser
import ConsistencyModels
import Foundation

struct Pretrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Pre-train an EDM diffusion teacher D_φ for consistency distillation (Karras et al. 2022).",
    discussion: """
      Trains D_θ(x, σ) = c_skip(σ)·x + c_out(σ)·F_θ(c_in(σ)·x, c_noise(σ)) with EDM's loss: \
      ln σ ~ N(P_mean, P_std²), loss λ(σ)·‖D_θ(y + σz, σ) − y‖². The teacher is the EMA of θ.

      --steps is how many steps this invocation trains; --total-steps (K; default: --steps) is \
      the run's planned length, which sets the logging interval and which a checkpoint \
      remembers. `--steps 1000 --total-steps 2000`, then `--resume DIR/teacher.cmck --steps \
      1000`, gives bit for bit the checkpoint of `--steps 2000`.

      Writes DIR/teacher.cmck (kind "edm") and DIR/log.txt together, at the end, every \
      --save-every steps (default: about once a minute) and on Ctrl-C or SIGTERM (exit 130), as \
      cm train does; sample it with `cm sample --checkpoint DIR/teacher.cmck` (EDM's Heun \
      sampler, 18 steps). Logs one line per interval:
        k 1200  loss 0.0831
      """)

  @Option(help: "The dataset: \(Dataset.names).", transform: Dataset.parser("--dataset"))
  var dataset: Dataset?
  @Option(help: "Training steps to run now (≥ 1; on --resume, default: the rest of the run, K − k).")
  var steps: String?
  @Option(help: "K, the run's planned length (default: --steps; from the checkpoint on resume).")
  var totalSteps: String?
  @Option(help: "The batch size B (default: the preset's, 256).")
  var batch: String?
  @Option(help: "The seed of initialisation, data, σ and noise (default 0).")
  var seed: String?
  @Option(
    help: "The preset: \(EDMPretrainingConfig.Preset.names) (default: default; not with --resume).",
    transform: EDMPretrainingConfig.Preset.parser("--preset"))
  var preset: EDMPretrainingConfig.Preset?
  @Option(help: "Adam's learning rate (default: the preset's).")
  var learningRate: String?
  @Option(help: "A teacher checkpoint (teacher.cmck) to continue from.")
  var resume: String?
  @OptionGroup var outputOptions: RunOutputOptions

  func run() throws {
    let givenSteps = try self.steps.map { try integer($0, flag: "--steps", atLeast: 1, atMost: 100_000_000) }
    guard givenSteps != nil || resume != nil else {
      throw ValidationError(
        "--steps is required (how many steps to train; on --resume it defaults to the rest of the run)")
    }
    var history: [EDMStepRecord] = []
    var pending = IntervalAccumulator()
    var resumeLog = ""
    var state: EDMPretrainingState<Float>
    if let resume {
      let checkpoint = try readTeacherCheckpoint(resume, flag: "--resume")
      state = checkpoint.state
      history = checkpoint.history
      pending.lossSum = checkpoint.pendingLossSum ?? 0
      pending.steps = checkpoint.pendingSteps ?? 0
      resumeLog =
        (try? String(
          contentsOf: URL(fileURLWithPath: resume).deletingLastPathComponent().appendingPathComponent(
            "log.txt"),
          encoding: .utf8)) ?? ""
      try requireMatch(checkpoint.state.config)
      // The saved run's size, checked as a fresh run's flags are (the checkpoint may come from a
      // larger machine, or be edited).
      try requireFits(
        checkpoint.state.config.resourceEstimate,
        sizeFlags:
          "--resume \(resume) (batch \(checkpoint.state.config.batchSize) with widths \(checkpoint.state.config.hiddenWidths.map(String.init).joined(separator: ",")))"
      )
    } else {
      var config = EDMPretrainingConfig.preset(
        preset ?? .default)
      if let dataset { config.dataset = dataset }
      if let batch { config.batchSize = try integer(batch, flag: "--batch", atLeast: 1, atMost: 65_536) }
      if let seed { config.seed = try unsigned(seed, flag: "--seed") }
      if let learningRate { config.learningRate = try real(learningRate, flag: "--learning-rate", .positive) }
      config.totalSteps =
        try totalSteps.map {
          try integer($0, flag: "--total-steps", atLeast: 1, atMost: 100_000_000)
        } ?? givenSteps ?? 1  // a fresh run always has --steps (checked above)
      config.logEvery = max(1, min(config.logEvery, config.totalSteps / 10))
      try requireFits(
        config.resourceEstimate,
        sizeFlags:
          "--batch \(config.batchSize) with widths \(config.hiddenWidths.map(String.init).joined(separator: ","))"
      )
      state = EDMPretrainingState(config: config)
    }
    try trainIntoFolder(
      RunDriver(run: state, history: history, pending: pending),
      steps: try stepsToRun(givenSteps, state: state), options: outputOptions,
      checkpointName: "teacher.cmck", estimate: state.config.resourceEstimate, resumeLog: resumeLog)
  }

  /// On resume, a flag that is given must agree with the checkpoint it continues.
  private func requireMatch(_ config: EDMPretrainingConfig) throws {
    func mismatch(_ flag: String, _ given: String, _ saved: String) -> ValidationError {
      ValidationError(
        "\(flag) \(given) does not match the checkpoint's \(saved) (--resume continues a run as it was)")
    }
    if let dataset, dataset != config.dataset {
      throw mismatch("--dataset", dataset.name, config.dataset.name)
    }
    if let batch, try integer(batch, flag: "--batch", atLeast: 1, atMost: 65_536) != config.batchSize {
      throw mismatch("--batch", batch, String(config.batchSize))
    }
    if let seed, try unsigned(seed, flag: "--seed") != config.seed {
      throw mismatch("--seed", seed, String(config.seed))
    }
    if let totalSteps,
      try integer(totalSteps, flag: "--total-steps", atLeast: 1, atMost: 100_000_000) != config.totalSteps
    {
      throw mismatch("--total-steps", totalSteps, String(config.totalSteps))
    }
    if preset != nil {
      throw ValidationError("--preset cannot be given with --resume (the checkpoint holds the config)")
    }
    if learningRate != nil { throw ValidationError("--learning-rate cannot change on --resume") }
  }
}
