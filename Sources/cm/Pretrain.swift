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

      Writes DIR/teacher.cmck (atomically, kind "edm") and DIR/log.txt; sample it with \
      `cm sample --checkpoint DIR/teacher.cmck` (EDM's Heun sampler, 18 steps). Logs one line \
      per interval:
        k 1200  loss 0.0831
      """)

  @Option(help: "The dataset: \(Dataset.allCases.map(\.name).joined(separator: ", ")).")
  var dataset: String?
  @Option(help: "Training steps to run now (≥ 1).")
  var steps: String
  @Option(help: "K, the run's planned length (default: --steps; from the checkpoint on resume).")
  var totalSteps: String?
  @Option(help: "The batch size B (default: the preset's, 256).")
  var batch: String?
  @Option(help: "The seed of initialisation, data, σ and noise (default 0).")
  var seed: String?
  @Option(help: "The output folder (created if missing).")
  var output: String
  @Option(
    help: "The preset: \(EDMPretrainingConfig.Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
  var preset: String = "default"
  @Option(help: "Adam's learning rate (default: the preset's).")
  var learningRate: String?
  @Option(help: "A teacher checkpoint (teacher.cmck) to continue from.")
  var resume: String?

  func run() throws {
    let steps = try integer(self.steps, flag: "--steps", atLeast: 1, atMost: 100_000_000)
    var history: [EDMStepRecord] = []
    var state: EDMPretrainingState<Float>
    if let resume {
      let checkpoint: EDMCheckpoint
      do {
        checkpoint = try EDMCheckpoint.read(from: URL(fileURLWithPath: resume))
      } catch {
        throw ValidationError("--resume: \(error.description)")
      }
      state = checkpoint.state
      history = checkpoint.history
      try requireMatch(checkpoint.state.config)
    } else {
      var config = EDMPretrainingConfig.preset(
        try choice(preset, flag: "--preset", EDMPretrainingConfig.Preset.self))
      if let dataset { config.dataset = try parseDataset(dataset) }
      if let batch { config.batchSize = try integer(batch, flag: "--batch", atLeast: 1, atMost: 65_536) }
      if let seed { config.seed = try unsigned(seed, flag: "--seed") }
      if let learningRate { config.learningRate = try real(learningRate, flag: "--learning-rate", .positive) }
      config.totalSteps =
        try totalSteps.map {
          try integer($0, flag: "--total-steps", atLeast: 1, atMost: 100_000_000)
        } ?? steps
      config.logEvery = max(1, min(config.logEvery, config.totalSteps / 10))
      state = EDMPretrainingState(config: config)
    }
    // Every flag is valid: only now is the output folder created.
    let outputFolder = try prepareOutputFolder(output, flag: "--output")
    let config = state.config
    let logURL = outputFolder.appendingPathComponent("log.txt")
    // A resumed run appends to the log of the run it continues.
    var logText = resume == nil ? "" : (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    var log = EDMPretrainingLog()
    var intervalLoss = 0.0
    var intervalSteps = 0
    var diverged: EDMStepRecord? = nil
    let progress = ProgressBar(total: steps)
    let start = Date()
    let k0 = state.k
    // In chunks of one logging interval, so that a diverged run stops within one interval.
    while state.k < k0 + steps, diverged == nil {
      state.trainEDM(steps: min(config.logEvery, k0 + steps - state.k)) { record in
        if !record.loss.isFinite && diverged == nil { diverged = record }
        intervalLoss += record.loss
        intervalSteps += 1
        if let line = log.add(record, every: config.logEvery) {
          // The checkpoint keeps one record per logging interval: its mean loss.
          history.append(EDMStepRecord(k: record.k, loss: intervalLoss / Double(intervalSteps)))
          intervalLoss = 0
          intervalSteps = 0
          progress.clear()
          print(line)
          logText += line + "\n"
        }
        progress.update(record.k + 1 - k0)
      }
    }
    progress.finish()
    if let diverged { throw TrainingDiverged(k: diverged.k, loss: diverged.loss) }
    let seconds = Date().timeIntervalSince(start)
    let url = outputFolder.appendingPathComponent("teacher.cmck")
    do {
      try EDMCheckpoint(state: state, history: history).write(to: url)
      try writeAtomically(Data(logText.utf8), to: logURL)
    } catch {
      throw ValidationError("--output: \(error)")
    }
    print("wrote \(url.path) (k = \(state.k), \(format(Double(steps) / seconds, digits: 0)) steps/s)")
  }

  /// On resume, a flag that is given must agree with the checkpoint it continues.
  private func requireMatch(_ config: EDMPretrainingConfig) throws {
    func mismatch(_ flag: String, _ given: String, _ saved: String) -> ValidationError {
      ValidationError(
        "\(flag) \(given) does not match the checkpoint's \(saved) (--resume continues a run as it was)")
    }
    if let dataset, try parseDataset(dataset) != config.dataset {
      throw mismatch("--dataset", dataset, config.dataset.name)
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
    if learningRate != nil { throw ValidationError("--learning-rate cannot change on --resume") }
  }
}
