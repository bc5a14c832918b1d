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

      Writes DIR/checkpoint.cmck (atomically) and DIR/log.txt. Logs one line per interval:
        k 1200  N(k)=17  μ(k)=0.9712  loss 0.0831
      with the interval's mean loss (also kept in the checkpoint's history). A run resumed in the \
      middle of an interval averages that interval over the resumed steps only; the state itself \
      is bit for bit the same.
      """)

  @Option(
    help:
      "The training algorithm: ct (Algorithm 3) or cd (Algorithm 2, needs --teacher) (default: ct; from the checkpoint on resume)."
  )
  var method: String?
  @Option(
    help:
      "CD's frozen teacher: oracle (the dataset's exact denoiser) or an EDM teacher checkpoint written by cm pretrain."
  )
  var teacher: String?
  @Option(help: "CD's one-step ODE solver: heun or euler (default heun).")
  var solver: String?
  @Option(help: "CD's fixed grid size N, in 2…10000 (default 18).")
  var numTimesteps: String?
  @Option(help: "CD's fixed target decay μ, in [0, 1) (default 0.95; 0 makes θ⁻ = θ).")
  var mu: String?
  @Flag(help: "CD: start θ and θ⁻ from the EDM teacher's weights (needs the same hidden widths).")
  var initFromTeacher = false
  @Option(help: "The dataset: \(Dataset.allCases.map(\.name).joined(separator: ", ")).")
  var dataset: String?
  @Option(help: "Training steps to run now (≥ 1).")
  var steps: String
  @Option(help: "K, the horizon of N(k) and μ(k) (default: --steps; from the checkpoint on resume).")
  var totalSteps: String?
  @Option(help: "The batch size B (default: the preset's, 256).")
  var batch: String?
  @Option(help: "The seed of initialisation, data, pair indices and noise (default 0).")
  var seed: String?
  @Option(help: "The output folder (created if missing).")
  var output: String
  @Option(help: "The preset: \(TrainingConfig.Preset.allCases.map(\.rawValue).joined(separator: ", ")).")
  var preset: String = "default"
  @Option(help: "Adam's learning rate (default: the preset's).")
  var learningRate: String?
  @Option(help: "A checkpoint to continue from.")
  var resume: String?
  @Option(
    help: "F_θ's hidden layer widths, comma-separated, each in 1…4096 (default: the preset's, 128,128,128).")
  var widths: String?
  @Option(help: "The distance d: l2, l1 or pseudo-huber (c = 0.00054·√2) (default: pseudo-huber).")
  var metric: String?
  @Option(
    help: "The loss weighting λ(t_n): uniform (λ ≡ 1, CM) or ict (1/(t_{n+1} − t_n), iCT) (default: ict).")
  var weighting: String?

  func run() throws {
    let givenMethod = try self.method.map { try choice($0, flag: "--method", TrainingMethod.self) }
    let steps = try integer(self.steps, flag: "--steps", atLeast: 1, atMost: 100_000_000)
    var history: [StepRecord] = []
    var state: TrainingState<Float>
    if let resume {
      let checkpoint: Checkpoint
      do {
        checkpoint = try Checkpoint.read(from: URL(fileURLWithPath: resume))
      } catch {
        throw ValidationError("--resume: \(error.description)")
      }
      state = checkpoint.state
      history = checkpoint.history
      try requireMatch(checkpoint, method: givenMethod)
    } else {
      let method = givenMethod ?? .ct
      try requireCDOptionsOnlyWithCD(method)
      var config = TrainingConfig.preset(
        try choice(preset, flag: "--preset", TrainingConfig.Preset.self), method: method)
      if let dataset { config.dataset = try parseDataset(dataset) }
      if let batch { config.batchSize = try integer(batch, flag: "--batch", atLeast: 1, atMost: 65_536) }
      if let seed { config.seed = try unsigned(seed, flag: "--seed") }
      if let learningRate { config.learningRate = try real(learningRate, flag: "--learning-rate", .positive) }
      config.totalSteps =
        try totalSteps.map {
          try integer($0, flag: "--total-steps", atLeast: 1, atMost: 100_000_000)
        } ?? steps
      config.logEvery = max(1, min(config.logEvery, config.totalSteps / 10))
      if let metric {
        switch try choice(metric, flag: "--metric", InspectDistance.Metric.self) {
        case .l2: config.metric = .squaredL2
        case .l1: config.metric = .l1
        case .pseudoHuber: config.metric = .pseudoHuber(c: pseudoHuberC(dimension: 2))
        }
      }
      if let widths { config.hiddenWidths = try hiddenWidths(widths, flag: "--widths") }
      if let weighting { config.weighting = try choice(weighting, flag: "--weighting", LossWeighting.self) }
      var teacher: Teacher? = nil
      if method == .cd {
        config.solver = try solver.map { try choice($0, flag: "--solver", ODESolver.self) } ?? config.solver
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
      state = try makeState(config: config, teacher: teacher)
    }
    // Every flag is valid: only now is the output folder created.
    let outputFolder = try prepareOutputFolder(output, flag: "--output")
    let config = state.config
    let logURL = outputFolder.appendingPathComponent("log.txt")
    // A resumed run appends to the log of the run it continues.
    var logText = resume == nil ? "" : (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    var log = TrainingLog()
    var intervalLoss = 0.0
    var intervalSteps = 0
    var diverged: StepRecord? = nil
    let progress = ProgressBar(total: steps)
    let start = Date()
    let k0 = state.k
    // In chunks of one logging interval, so that a diverged run stops within one interval.
    while state.k < k0 + steps, diverged == nil {
      state.train(steps: min(config.logEvery, k0 + steps - state.k)) { record in
        if !record.loss.isFinite && diverged == nil { diverged = record }
        intervalLoss += record.loss
        intervalSteps += 1
        if let line = log.add(record, every: config.logEvery) {
          // The checkpoint keeps one record per logging interval: its mean loss.
          var mean = record
          mean.loss = intervalLoss / Double(intervalSteps)
          history.append(mean)
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
    let url = outputFolder.appendingPathComponent("checkpoint.cmck")
    do {
      try Checkpoint(kind: config.method.rawValue, state: state, history: history).write(to: url)
      try writeAtomically(Data(logText.utf8), to: logURL)
    } catch {
      throw ValidationError("--output: \(error)")
    }
    print("wrote \(url.path) (k = \(state.k), \(format(Double(steps) / seconds, digits: 0)) steps/s)")
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
      ("--teacher", teacher), ("--solver", solver), ("--num-timesteps", numTimesteps), ("--mu", mu),
    ] where given != nil {
      throw ValidationError(
        "\(flag) cannot be given with --resume (the checkpoint holds the CD setting and its teacher)")
    }
    if initFromTeacher { throw ValidationError("--init-from-teacher cannot be given with --resume") }
    if let dataset, try parseDataset(dataset) != config.dataset {
      throw mismatch("--dataset", dataset, config.dataset.name)
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
    if learningRate != nil { throw ValidationError("--learning-rate cannot change on --resume") }
    if metric != nil { throw ValidationError("--metric cannot change on --resume") }
    if widths != nil { throw ValidationError("--widths cannot change on --resume") }
    if weighting != nil { throw ValidationError("--weighting cannot change on --resume") }
  }
}

extension Train {
  /// CD's flags are errors with --method ct, rather than silently ignored.
  private func requireCDOptionsOnlyWithCD(_ method: TrainingMethod) throws {
    guard method == .ct else { return }
    for (flag, given) in [
      ("--teacher", teacher), ("--solver", solver), ("--num-timesteps", numTimesteps), ("--mu", mu),
    ] where given != nil {
      throw ValidationError("\(flag) is a CD option: it needs --method cd")
    }
    if initFromTeacher { throw ValidationError("--init-from-teacher is a CD option: it needs --method cd") }
  }

  /// The state of a fresh run, θ from the teacher's weights when --init-from-teacher asks.
  private func makeState(config: TrainingConfig, teacher: Teacher?) throws -> TrainingState<Float> {
    if config.initializeFromTeacher, teacher?.initialWeights(hiddenWidths: config.hiddenWidths) == nil {
      let teacherWidths = teacher?.hiddenWidths.map { "\($0)" } ?? "none (the oracle has no network)"
      throw ValidationError(
        "--init-from-teacher needs an EDM teacher with the student's hidden widths \(config.hiddenWidths); the teacher's are \(teacherWidths)"
      )
    }
    return TrainingState(config: config, teacher: teacher)
  }

}

/// Training produced a non-finite loss: nothing is saved (an earlier checkpoint stays as it was).
/// Not a usage error, so it exits with status 1.
struct TrainingDiverged: Error, CustomStringConvertible {
  var k: Int
  var loss: Double
  /// Which run diverged, when there are several.
  var run: String = "training"
  /// What to try instead.
  var hint = "Try a smaller --learning-rate"
  var description: String {
    "\(run) diverged at step k = \(k + 1) (loss \(loss)); nothing was saved. \(hint)"
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
  let saved: EDMCheckpoint
  do {
    saved = try EDMCheckpoint.read(from: URL(fileURLWithPath: text))
  } catch {
    throw ValidationError("\(flag): \(error.description) (give oracle, or a teacher.cmck from cm pretrain)")
  }
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

/// A dataset flag's value, or an error listing the allowed names.
func parseDataset(_ text: String, flag: String = "--dataset") throws -> Dataset {
  do {
    return try Dataset(named: text)
  } catch {
    throw usageError(
      flag, mustBe: "one of \(Dataset.allCases.map(\.name).joined(separator: ", "))", got: text)
  }
}

/// A non-negative integer seed.
func unsigned(_ text: String, flag: String) throws -> UInt64 {
  guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
    throw usageError(flag, mustBe: "an integer in 0…\(UInt64.max)", got: text)
  }
  return value
}

/// One of the raw values of a string enum, or an error listing them.
func choice<T: RawRepresentable & CaseIterable>(_ text: String, flag: String, _ type: T.Type) throws -> T
where T.RawValue == String {
  guard let value = T(rawValue: text) else {
    throw usageError(flag, mustBe: "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", got: text)
  }
  return value
}

/// Creates the output folder if needed and checks that it can be written.
func prepareOutputFolder(_ path: String, flag: String) throws -> URL {
  let url = URL(fileURLWithPath: path)
  var isFolder: ObjCBool = false
  if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
    guard isFolder.boolValue else { throw ValidationError("\(flag) \(path) exists and is not a folder") }
  } else {
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw ValidationError("\(flag) \(path) cannot be created: \((error as NSError).localizedDescription)")
    }
  }
  guard FileManager.default.isWritableFile(atPath: url.path) else {
    throw ValidationError("\(flag) \(path) is not writable")
  }
  return url
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar {
  private let total: Int
  private let enabled = isatty(2) != 0
  private var lastDrawn = -1

  init(total: Int) { self.total = total }

  func update(_ done: Int) {
    guard enabled else { return }
    let percent = done * 100 / max(total, 1)
    guard percent != lastDrawn else { return }
    lastDrawn = percent
    let width = 30
    let filled = percent * width / 100
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    FileHandle.standardError.write(Data("\r\(bar) \(percent)%  \(done)/\(total)".utf8))
  }

  func clear() {
    guard enabled, lastDrawn >= 0 else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    lastDrawn = -1
  }

  func finish() { clear() }
}
