// One training run into its folder, as `cm train` and `cm pretrain` do it: the driver, the
// log, periodic saves of the checkpoint and the log together, and what is refused up front.

import CMNetwork
import CMStorage
import CMTeacher
import Foundation

/// A checkpointable run: what `RunSession` needs to know about the state it saves.
public protocol SavableRun: DrivableRun {
  /// K, the run's planned length.
  var plannedSteps: Int { get }
  /// A one-line description for messages: "ct run at k = 200 (K = 2000, seed 0)".
  var summaryLine: String { get }
  /// Whether `other` is this same run at another k: the same config (and teacher), so that
  /// training one to the other's k gives the other bit for bit.
  func isSameRun(as other: Self) -> Bool
  /// The file bytes of a checkpoint holding the driver's state.
  static func checkpointData(_ driver: RunDriver<Self>) throws -> Data
  /// The state and driver bookkeeping of the checkpoint at `url` (for `--resume` and for
  /// checking what an output folder already holds).
  static func readCheckpoint(_ url: URL) throws(CheckpointError) -> RunDriver<Self>
}

/// A run's folder refused, or its save failed; says which and why, in plain words.
public enum RunSessionError: Error, CustomStringConvertible, Equatable {
  /// The output folder holds a checkpoint this run must not replace (without `--force`).
  case wouldReplace(String)
  /// Writing failed (disk full, permissions): nothing new was committed.
  case io(String)
  /// The state to save holds a non-finite number (θ or Adam's moments overflowed although the
  /// loss stayed finite): the run diverged, and nothing new was committed.
  case diverged(String)

  public var description: String {
    switch self {
    case .wouldReplace(let text), .io(let text), .diverged(let text): return text
    }
  }
}

/// A run being trained into its folder.
public struct RunSession<Run: SavableRun> {
  /// The driver, holding the run, its interval history and the unfinished interval.
  public var driver: RunDriver<Run>
  /// The folder its checkpoint and log go to.
  public let folder: RunFolder
  /// The log so far: the resumed run's lines, then one line per interval of this session.
  public private(set) var log: String

  /// A session for `driver` in `folder`, which must not hold a checkpoint of a different run, or
  /// of this run further on than the driver's k (rerunning a first command over an interrupted
  /// run would lose its steps), nor a log.txt without a checkpoint beside it, unless `force`. `log` is the log this run continues
  /// (empty for a fresh run). `estimate` says how much disk a save needs (a full disk is
  /// found before the work, not after it).
  public init(
    driver: RunDriver<Run>, folder: RunFolder, force: Bool, log: String,
    estimate: ResourceEstimate
  ) throws(RunSessionError) {
    if !force, folder.hasCheckpoint {
      let existing: RunDriver<Run>
      do {
        existing = try Run.readCheckpoint(folder.checkpointURL)
      } catch {
        throw .wouldReplace(
          "\(folder.checkpointURL.path) exists and is not a checkpoint this run can continue (\(error.description)); choose another --output, or give --force to replace it"
        )
      }
      if !existing.run.isSameRun(as: driver.run) {
        throw .wouldReplace(
          "\(folder.checkpointURL.path) holds a different run (\(existing.run.summaryLine)); choose another --output, --resume it, or give --force to replace it"
        )
      }
      // Starting again below the saved k would throw away the steps between (an interrupted
      // run rerun with its first command): the saved run is continued with --resume.
      if existing.run.k > driver.run.k {
        throw .wouldReplace(
          "\(folder.checkpointURL.path) holds this run further on (saved at k = \(existing.run.k), this run starts at k = \(driver.run.k)); add --resume \(folder.checkpointURL.path) to continue it, or give --force to start over"
        )
      }
    }
    if !force, !folder.hasCheckpoint, FileManager.default.fileExists(atPath: folder.logURL.path) {
      throw .wouldReplace(
        "\(folder.logURL.path) exists without the checkpoint \(folder.checkpointURL.lastPathComponent) beside it (a log of another run or command, or your own file); choose another --output, or give --force to replace it"
      )
    }
    do {
      try folder.requireFreeSpace(estimate.diskBytes)
    } catch {
      throw .io(error.description)
    }
    self.driver = driver
    self.folder = folder
    self.log = log
  }

  /// Runs `steps` steps with `hooks` (whose `save` and `onInterval` it sets: it saves to the
  /// folder, and appends each interval's line to the log before calling `onLogLine`).
  public mutating func run(
    steps: Int, savePolicy: SavePolicy, shouldStop: @escaping () -> Bool,
    onProgress: @escaping (Int) -> Void, onLogLine: @escaping (String) -> Void
  ) throws(RunSessionError) -> RunOutcome {
    var hooks = RunDriver<Run>.Hooks()
    hooks.shouldStop = shouldStop
    hooks.onProgress = onProgress
    hooks.savePolicy = savePolicy
    // The hooks run inside `driver.run`, so the log they extend is a box, not `self.log`.
    let box = LogBox()
    box.text = log
    hooks.onInterval = { _, record in
      box.text += record.logLine + "\n"
      onLogLine(record.logLine)
    }
    let folder = self.folder
    hooks.save = { driver in
      let data = try Run.checkpointData(driver)
      try folder.commit(checkpoint: data, log: box.text)
    }
    do {
      let outcome = try driver.run(steps: steps, hooks: hooks)
      log = box.text
      return outcome
    } catch let error as FileWriteError {
      log = box.text
      throw .io(error.description)
    } catch let EncodingError.invalidValue(value, context) {
      // JSON has no inf or nan: the only value the encoder refuses is a non-finite number.
      log = box.text
      let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      throw .diverged(
        "the run's state became non-finite at k = \(driver.run.k) (\(field.drop { $0 == "." }) = \(value)) although the loss stayed finite"
      )
    } catch {
      log = box.text
      throw .io("\(error)")
    }
  }
}

extension TrainingState: SavableRun where Scalar == Float {
  public var plannedSteps: Int { config.totalSteps }

  public var summaryLine: String {
    "\(config.method.rawValue) run on \(config.dataset.name) at k = \(k) (K = \(config.totalSteps), seed \(config.seed))"
  }

  public func isSameRun(as other: TrainingState<Float>) -> Bool {
    config == other.config && teacher == other.teacher
  }

  public static func checkpointData(_ driver: RunDriver<TrainingState<Float>>) throws -> Data {
    try Checkpoint(
      kind: driver.run.config.method.rawValue, state: driver.run, history: driver.history,
      pendingInterval: driver.pending
    ).encoded()
  }

  public static func readCheckpoint(_ url: URL) throws(CheckpointError) -> RunDriver<TrainingState<Float>> {
    let checkpoint = try Checkpoint.read(from: url)
    return RunDriver(
      run: checkpoint.state, history: checkpoint.history,
      pending: checkpoint.pendingInterval ?? IntervalAccumulator())
  }
}

extension EDMPretrainingState: SavableRun where Scalar == Float {
  public var plannedSteps: Int { config.totalSteps }

  public var summaryLine: String {
    "edm teacher run on \(config.dataset.name) at k = \(k) (K = \(config.totalSteps), seed \(config.seed))"
  }

  public func isSameRun(as other: EDMPretrainingState<Float>) -> Bool { config == other.config }

  public static func checkpointData(_ driver: RunDriver<EDMPretrainingState<Float>>) throws -> Data {
    try EDMCheckpoint(
      state: driver.run, history: driver.history, pendingLossSum: driver.pending.lossSum,
      pendingSteps: driver.pending.steps
    ).encoded()
  }

  public static func readCheckpoint(_ url: URL) throws(CheckpointError) -> RunDriver<
    EDMPretrainingState<Float>
  > {
    let checkpoint = try EDMCheckpoint.read(from: url)
    var pending = IntervalAccumulator()
    pending.lossSum = checkpoint.pendingLossSum ?? 0
    pending.steps = checkpoint.pendingSteps ?? 0
    return RunDriver(run: checkpoint.state, history: checkpoint.history, pending: pending)
  }
}

/// The log text the save hook and the interval hook share while the driver runs.
private final class LogBox {
  var text = ""
}
