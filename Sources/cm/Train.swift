// `cm train`: Consistency Training (CM Algorithm 3) on a built-in 2-D dataset, with checkpoints.

import ArgumentParser
import ConsistencyModels
import Foundation

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a consistency model and save a checkpoint (θ, θ⁻, Adam, RNG, config).",
    discussion: """
      --steps is how many steps this invocation trains. The curriculum N(k) and μ(k) run over \
      --total-steps (K; default: --steps), which a checkpoint remembers. So `--steps 1000 \
      --total-steps 2000`, then `--resume DIR/checkpoint.cmck --steps 1000`, gives bit for bit \
      the checkpoint of `--steps 2000`.

      Writes DIR/checkpoint.cmck and DIR/log.txt together (both or neither), at the end, every \
      --save-every steps (default: about once a minute), and on Ctrl-C or SIGTERM, which stop \
      after the current step and exit with 130, saying how to resume. A run resumed from any \
      save ends bit for bit where the run in one go ends. A folder that holds a different run, \
      or this run further on, is refused unless --force. Logs one line per interval:
        k 1200  N(k)=17  μ(k)=0.9712  loss 0.0831
      with the interval's mean loss (also kept in the checkpoint's history).
      """)

  @Option(
    help:
      "The training algorithm: ct (Algorithm 3) or cd (Algorithm 2, needs --teacher) (default: ct; from the checkpoint on resume).",
    transform: TrainingMethod.parser("--method"))
  var method: TrainingMethod?
  @Option(
    help:
      "CD's frozen teacher: oracle (the dataset's exact denoiser) or an EDM teacher checkpoint written by cm pretrain."
  )
  var teacher: String?
  @Option(
    help: "CD's one-step ODE solver: heun or euler (default heun).", transform: ODESolver.parser("--solver"))
  var solver: ODESolver?
  @Option(help: "CD's fixed grid size N, in 2…10000 (default 18).")
  var numTimesteps: String?
  @Option(help: "CD's fixed target decay μ, in [0, 1) (default 0.95; 0 makes θ⁻ = θ).")
  var mu: String?
  @Flag(
    help:
      "Start θ and θ⁻ from the EDM teacher's weights (needs --teacher FILE with the same hidden widths): CD as CM does; with --method ct, consistency tuning."
  )
  var initFromTeacher = false
  @Option(help: "The dataset: \(Dataset.names).", transform: Dataset.parser("--dataset"))
  var dataset: Dataset?
  @Option(help: "Training steps to run now (≥ 1; on --resume, default: the rest of the run, K − k).")
  var steps: String?
  @Option(help: "K, the horizon of N(k) and μ(k) (default: --steps; from the checkpoint on resume).")
  var totalSteps: String?
  @Option(help: "The batch size B (default: the preset's, 256).")
  var batch: String?
  @Option(help: "The seed of initialisation, data, pair indices and noise (default 0).")
  var seed: String?
  @Option(
    help: "The preset: \(TrainingConfig.Preset.names) (default: default; not with --resume).",
    transform: TrainingConfig.Preset.parser("--preset"))
  var preset: TrainingConfig.Preset?
  @Option(help: "Adam's learning rate (default: the preset's).")
  var learningRate: String?
  @Option(help: "A checkpoint to continue from.")
  var resume: String?
  @Option(
    help: "F_θ's hidden layer widths, comma-separated, each in 1…4096 (default: the preset's, 128,128,128).")
  var widths: String?
  @Option(
    help:
      "The distance d: l2, l1 or pseudo-huber (c = 0.00054·√2) (default: the preset's; l2 in cm, else pseudo-huber).",
    transform: MetricChoice.parser("--metric"))
  var metric: MetricChoice?
  @Option(
    help:
      "The loss weighting λ(t_n): uniform (λ ≡ 1, CM) or ict (1/(t_{n+1} − t_n), iCT §3.1) (default: the preset's; uniform in cm, else ict).",
    transform: LossWeighting.parser("--weighting"))
  var weighting: LossWeighting?
  @Option(
    help: "The pseudo-Huber c (> 0; default 0.00054·√2, iCT's c for 2-D data); needs --metric pseudo-huber.")
  var c: String?
  @Option(
    help:
      "The pair index n: uniform (n ~ U{0, …, N − 2}, CM) or lognormal (iCT §3.5, P_mean = −1.1, P_std = 2) (default: the preset's; uniform in cm and for CD, else lognormal).",
    transform: PairsChoice.parser("--pairs")
  )
  var pairs: PairsChoice?
  @Option(
    help:
      "CT's curriculum N(k): cm (√ growth, s₀ = 2, s₁ = 150, CM App. C) or ict (exponential, s₀ = 10, s₁ = 1280, iCT §3.4) (default: the preset's; cm in cm, else ict).",
    transform: ICTSetting.parser("--curriculum")
  )
  var curriculum: ICTSetting?
  @Option(
    help:
      "CT's target network θ⁻: ema (μ(k) from μ₀ = 0.9, CM) or stopgrad (μ = 0, iCT §3.2) (default: the preset's; ema in cm, else stopgrad).",
    transform: TargetChoice.parser("--target")
  )
  var target: TargetChoice?
  @OptionGroup var outputOptions: RunOutputOptions

  func run() throws {
    let givenMethod = self.method
    let givenSteps = try self.steps.map { try integer($0, flag: "--steps", atLeast: 1, atMost: 100_000_000) }
    guard givenSteps != nil || resume != nil else {
      throw ValidationError(
        "--steps is required (how many steps to train; on --resume it defaults to the rest of the run)")
    }
    var history: [StepRecord] = []
    var pending = IntervalAccumulator()
    var resumeLog = ""
    var state: TrainingState<Float>
    if let resume {
      let checkpoint = try readCheckpoint(resume, flag: "--resume")
      state = checkpoint.state
      history = checkpoint.history
      pending = checkpoint.pendingInterval ?? IntervalAccumulator()
      // The log goes on from the resumed run's log.txt, beside its checkpoint.
      resumeLog =
        (try? String(
          contentsOf: URL(fileURLWithPath: resume).deletingLastPathComponent().appendingPathComponent(
            "log.txt"),
          encoding: .utf8)) ?? ""
      try requireMatch(checkpoint, method: givenMethod)
      // The saved run's size, checked as a fresh run's flags are (the checkpoint may come from a
      // larger machine, or be edited).
      try requireFits(
        checkpoint.state.config.resourceEstimate(teacher: checkpoint.state.teacher),
        sizeFlags:
          "--resume \(resume) (batch \(checkpoint.state.config.batchSize) with widths \(checkpoint.state.config.hiddenWidths.map(String.init).joined(separator: ",")))"
      )
    } else {
      let method = givenMethod ?? .ct
      try requireCDOptionsOnlyWithCD(method)
      var config = TrainingConfig.preset(
        preset ?? .default, method: method)
      if let dataset { config.dataset = dataset }
      if let batch { config.batchSize = try integer(batch, flag: "--batch", atLeast: 1, atMost: 65_536) }
      if let seed { config.seed = try unsigned(seed, flag: "--seed") }
      if let learningRate { config.learningRate = try real(learningRate, flag: "--learning-rate", .positive) }
      config.totalSteps =
        try totalSteps.map {
          try integer($0, flag: "--total-steps", atLeast: 1, atMost: 100_000_000)
        } ?? givenSteps ?? 1  // a fresh run always has --steps (checked above)
      config.logEvery = max(1, min(config.logEvery, config.totalSteps / 10))
      if let metric { config.metric = metric.metric(dimension: 2) }
      if let c {
        guard case .pseudoHuber = config.metric else {
          throw ValidationError("--c is pseudo-Huber's constant: it needs --metric pseudo-huber")
        }
        config.metric = .pseudoHuber(c: try real(c, flag: "--c", .positive))
      }
      if let widths { config.hiddenWidths = try hiddenWidths(widths, flag: "--widths") }
      if let weighting { config.weighting = weighting }
      try applyICTOptions(&config)
      var teacher: Teacher? = nil
      if method == .cd {
        config.solver = solver ?? config.solver
        let N = try numTimesteps.map { try integer($0, flag: "--num-timesteps", atLeast: 2, atMost: 10_000) }
        let mu = try self.mu.map { try real($0, flag: "--mu", .unitIntervalFromZero) }
        if case .fixed(let presetN, let presetMu) = config.schedule {
          config.schedule = .fixed(N: N ?? presetN, mu: mu ?? presetMu)
        }
        config.initializeFromTeacher = initFromTeacher
        guard let teacherText = self.teacher else {
          throw ValidationError(
            "--teacher is required with --method cd (oracle, or a checkpoint from cm pretrain)")
        }
        teacher = try loadTeacher(teacherText, dataset: config.dataset)
      }
      var tunedFrom: EDMTeacher? = nil
      if method == .ct, initFromTeacher {
        config.initializeFromTeacher = true
        guard let teacherText = self.teacher, teacherText != "oracle" else {
          throw ValidationError(
            "--init-from-teacher with --method ct (consistency tuning) needs --teacher FILE, an EDM teacher checkpoint from cm pretrain (the oracle has no weights)"
          )
        }
        guard case .edm(let edm) = try loadTeacher(teacherText, dataset: config.dataset) else {
          preconditionFailure("loadTeacher returns an EDM teacher for a file")
        }
        tunedFrom = edm
      }
      // Refused from the flags alone, before θ (and the rest) is allocated.
      try requireFits(
        config.resourceEstimate(teacher: teacher),
        sizeFlags:
          "--batch \(config.batchSize) with --widths \(config.hiddenWidths.map(String.init).joined(separator: ","))"
      )
      state = try makeState(config: config, teacher: teacher, tunedFrom: tunedFrom)
    }
    try trainIntoFolder(
      RunDriver(run: state, history: history, pending: pending),
      steps: try stepsToRun(givenSteps, state: state), options: outputOptions,
      checkpointName: "checkpoint.cmck", estimate: state.config.resourceEstimate(teacher: state.teacher),
      resumeLog: resumeLog)
  }

  /// On resume, a flag that is given must agree with the checkpoint it continues.
  private func requireMatch(_ checkpoint: Checkpoint, method: TrainingMethod?) throws {
    let config = checkpoint.state.config
    func mismatch(_ flag: String, _ given: String, _ saved: String) -> ValidationError {
      ValidationError(
        "\(flag) \(given) does not match the checkpoint's \(saved) (--resume continues a run as it was)")
    }
    if let method, method.rawValue != checkpoint.kind {
      throw mismatch("--method", method.rawValue, checkpoint.kind)
    }
    for (flag, given) in [
      ("--teacher", teacher), ("--solver", solver?.rawValue), ("--num-timesteps", numTimesteps), ("--mu", mu),
    ] where given != nil {
      throw ValidationError(
        "\(flag) cannot be given with --resume (the checkpoint holds the CD setting and its teacher)")
    }
    if initFromTeacher { throw ValidationError("--init-from-teacher cannot be given with --resume") }
    if let dataset, dataset != config.dataset {
      throw mismatch("--dataset", dataset.name, config.dataset.name)
    }
    if let batch, try integer(batch, flag: "--batch", atLeast: 1) != config.batchSize {
      throw mismatch("--batch", batch, String(config.batchSize))
    }
    if let seed, try unsigned(seed, flag: "--seed") != config.seed {
      throw mismatch("--seed", seed, String(config.seed))
    }
    if let totalSteps, try integer(totalSteps, flag: "--total-steps", atLeast: 1) != config.totalSteps {
      throw mismatch("--total-steps", totalSteps, String(config.totalSteps))
    }
    if preset != nil {
      throw ValidationError("--preset cannot be given with --resume (the checkpoint holds the config)")
    }
    if c != nil { throw ValidationError("--c cannot change on --resume") }
    if learningRate != nil { throw ValidationError("--learning-rate cannot change on --resume") }
    if metric != nil { throw ValidationError("--metric cannot change on --resume") }
    if widths != nil { throw ValidationError("--widths cannot change on --resume") }
    if weighting != nil { throw ValidationError("--weighting cannot change on --resume") }
    if pairs != nil { throw ValidationError("--pairs cannot change on --resume") }
    if curriculum != nil { throw ValidationError("--curriculum cannot change on --resume") }
    if target != nil { throw ValidationError("--target cannot change on --resume") }
  }

  /// --pairs, --curriculum and --target over the preset's values (the distance and the weighting
  /// have their own flags above). The curriculum and the target are CT's.
  private func applyICTOptions(_ config: inout TrainingConfig) throws {
    if let pairs {
      switch pairs {
      case .uniform: config.set(.pairs, to: .cm)
      case .lognormal: config.set(.pairs, to: .ict)
      }
    }
    if config.method == .cd {
      for (flag, given) in [("--curriculum", curriculum?.rawValue), ("--target", target?.rawValue)]
      where given != nil {
        throw ValidationError("\(flag) is a CT option: CD keeps a fixed N and μ (--num-timesteps, --mu)")
      }
    }
    if let curriculum {
      config.set(.curriculum, to: curriculum)
    }
    if let target {
      switch target {
      case .ema: config.set(.target, to: .cm)
      case .stopgrad: config.set(.target, to: .ict)
      }
    }
  }
}

extension Train {
  /// CD's flags are errors with --method ct, rather than silently ignored.
  private func requireCDOptionsOnlyWithCD(_ method: TrainingMethod) throws {
    guard method == .ct else { return }
    for (flag, given) in [
      ("--solver", solver?.rawValue), ("--num-timesteps", numTimesteps), ("--mu", mu),
    ] where given != nil {
      throw ValidationError("\(flag) is a CD option: it needs --method cd")
    }
    if teacher != nil && !initFromTeacher {
      throw ValidationError(
        "--teacher needs --method cd, or with --method ct --init-from-teacher (consistency tuning: θ₀ from its weights)"
      )
    }
  }

  /// The state of a fresh run, θ from the teacher's weights when --init-from-teacher asks.
  private func makeState(config: TrainingConfig, teacher: Teacher?, tunedFrom: EDMTeacher?) throws
    -> TrainingState<Float>
  {
    if let tunedFrom {
      guard let state = TrainingState<Float>(config: config, tuningFrom: tunedFrom) else {
        throw ValidationError(
          "--init-from-teacher needs an EDM teacher with the student's hidden widths \(config.hiddenWidths); the teacher's are \(Teacher.edm(tunedFrom).hiddenWidths ?? [])"
        )
      }
      return state
    }
    if config.initializeFromTeacher, teacher?.initialWeights(hiddenWidths: config.hiddenWidths) == nil {
      let teacherWidths = teacher?.hiddenWidths.map { "\($0)" } ?? "none (the oracle has no network)"
      throw ValidationError(
        "--init-from-teacher needs an EDM teacher with the student's hidden widths \(config.hiddenWidths); the teacher's are \(teacherWidths)"
      )
    }
    return TrainingState(config: config, teacher: teacher)
  }

}

/// CD's teacher from the --teacher flag: `oracle` (the dataset's exact denoiser) or the path of a
/// checkpoint written by `cm pretrain`.
func loadTeacher(_ text: String, dataset: Dataset, flag: String = "--teacher") throws -> Teacher {
  if text == "oracle" {
    guard let mixture = dataset.mixture else {
      let allowed = Dataset.allCases.filter { $0.mixture != nil }.map(\.name).joined(separator: ", ")
      throw ValidationError(
        "\(flag) oracle needs a dataset with an exact denoiser (\(allowed)); \(dataset.name) has none: pre-train a teacher with cm pretrain"
      )
    }
    return .oracle(mixture)
  }
  let saved = try readTeacherCheckpoint(
    text, flag: flag, hint: " (give oracle, or a teacher.cmck from cm pretrain)")
  guard saved.state.config.dataset == dataset else {
    throw ValidationError(
      "\(flag) \(text) was trained on \(saved.state.config.dataset.name), not on --dataset \(dataset.name)")
  }
  return .edm(saved.teacher)
}

/// Hidden layer widths such as `128,128,128`: 1 to 8 layers, each 1…4096 wide.
func hiddenWidths(_ text: String, flag: String) throws -> [Int] {
  let entries = text.split(separator: ",", omittingEmptySubsequences: false).map {
    Int(String($0).trimmingSpaces)
  }
  guard (1...8).contains(entries.count), entries.allSatisfy({ $0 != nil && (1...4096).contains($0!) }) else {
    throw usageError(flag, mustBe: "1 to 8 comma-separated integers, each in 1…4096", got: text)
  }
  return entries.map { $0! }
}

/// A non-negative integer seed.
func unsigned(_ text: String, flag: String) throws -> UInt64 {
  guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
    throw usageError(flag, mustBe: "an integer in 0…\(UInt64.max)", got: text)
  }
  return value
}
