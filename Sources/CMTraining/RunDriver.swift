// The one loop that runs every training in the library: CT, CD and the EDM teacher's
// pre-training, for `cm train`, `cm pretrain` and `cm compare` alike.
//
// Seed pseudocode: `for current_training_step in range(total_training_steps): …`, cut into
// logging intervals, with what a real run needs around it (logs, divergence, saving, Ctrl-C).

import CMCore
import CMTeacher
import Foundation

/// A training run the driver can advance a step at a time: a consistency model's
/// `TrainingState` (CT or CD) or the EDM teacher's `EDMPretrainingState`.
public protocol DrivableRun: Sendable {
  /// What one step reports.
  associatedtype Record: IntervalRecord
  /// k, the index of the next step.
  var k: Int { get }
  /// Steps per logging interval (the config's `logEvery`).
  var intervalLength: Int { get }
  /// Runs up to `steps` steps, calling `onStep` after each and stopping after a step for which
  /// `stop` returns true.
  mutating func advance(steps: Int, stoppingWhen stop: () -> Bool, onStep: (Record) -> Void)
}

/// A step's record, which the driver also uses for a whole interval (carrying its mean loss).
public protocol IntervalRecord: Codable, Sendable, Equatable {
  /// The step this record is of (0-based).
  var k: Int { get }
  /// The step's loss, or the interval's mean loss.
  var loss: Double { get }
  /// This record with `loss` in place of its own (the interval's mean).
  func replacingLoss(_ loss: Double) -> Self
  /// The one-line log of an interval that ends with this record.
  var logLine: String { get }
}

/// The loss sum of a logging interval that has not ended yet: saved in checkpoints, so that a
/// run resumed in the middle of an interval logs the same mean as the run in one go.
public struct IntervalAccumulator: Codable, Sendable, Equatable {
  /// Σ loss over the interval's steps so far.
  public var lossSum = 0.0
  /// How many steps of the interval have run.
  public var steps = 0
  /// An empty interval.
  public init() {}

  /// nil when the sum is finite and the count is within an interval's bounds.
  public var problem: String? {
    lossSum.isFinite && steps >= 0 && steps <= 100_000_000
      ? nil : "pendingInterval must hold a finite loss sum and 0…100000000 steps"
  }
}

/// When the driver saves during a run (it always saves at the end and when interrupted).
public enum SavePolicy: Sendable, Equatable {
  /// Every this many steps.
  case steps(Int)
  /// When this many seconds of work have passed since the last save (checked after each
  /// interval, or each chunk of at most `intervalLength` steps).
  case seconds(Double)
  /// Only at the end, and when interrupted.
  case atEnd
}

/// How a call to `RunDriver.run` ended.
public enum RunOutcome: Sendable, Equatable {
  /// Every requested step ran (and the end was saved).
  case finished
  /// `shouldStop` asked to stop before the last step: the run stopped after a whole step, with
  /// steps left to run, and was saved there. (A stop asked after the last step is `.finished`.)
  case interrupted
  /// Step k produced a non-finite loss: the run stopped there, and nothing was saved after the
  /// last save before it.
  case diverged(k: Int, loss: Double)
}

/// Runs a `DrivableRun` in logging intervals: keeps one record per interval (its mean loss),
/// stops at the first non-finite loss, reports progress, stops cleanly when asked, and saves by a
/// policy through a hook. Every training loop of the library goes through `run(steps:hooks:)`.
///
/// ```
/// while k < k₀ + steps:
///     advance to the next interval end, save point or k₀ + steps, whichever comes first
///     loss not finite?        → .diverged (nothing saved)
///     an interval ended?      → history += record with the interval's mean loss; onInterval
///     stop requested?         → save; .interrupted   (unless that was the last step)
///     a save is due?          → save
/// save; .finished
/// ```
///
/// The steps are exactly the run's own, in the same order, whatever the interval length, save
/// policy or interruptions: a run saved and resumed ends bit for bit where the run in one go ends.
public struct RunDriver<Run: DrivableRun>: Sendable {
  /// The run being trained.
  public var run: Run
  /// One record per finished logging interval, holding the interval's mean loss.
  public var history: [Run.Record]
  /// The unfinished interval's loss sum.
  public var pending: IntervalAccumulator

  /// A driver for `run`, continuing from `history` and the unfinished interval `pending` (a
  /// resumed run passes its checkpoint's).
  public init(run: Run, history: [Run.Record] = [], pending: IntervalAccumulator = IntervalAccumulator()) {
    self.run = run
    self.history = history
    self.pending = pending
  }

  /// What the caller watches and does along the way; every hook is optional.
  public struct Hooks {
    /// Asked after every step: true stops the run after that step (Ctrl-C, a time limit).
    public var shouldStop: () -> Bool = { false }
    /// Steps done so far in this call, after every step (a progress bar).
    public var onProgress: (Int) -> Void = { _ in }
    /// After each finished interval, with the run at its end and the interval's record.
    public var onInterval: (Run, Run.Record) throws -> Void = { _, _ in }
    /// Saves the driver's state (a checkpoint); nil saves nothing.
    public var save: ((RunDriver) throws -> Void)? = nil
    /// When to save during the run.
    public var savePolicy: SavePolicy = .atEnd

    /// Hooks that watch nothing, never stop, and never save.
    public init() {}
  }

  /// Runs `steps` more steps (fewer if stopped or diverged). Errors thrown by a hook stop the run
  /// and are rethrown; the state is then whatever the last whole step left.
  public mutating func run(steps: Int, hooks: Hooks = Hooks()) throws -> RunOutcome {
    precondition(steps >= 0, "RunDriver.run: steps must be non-negative")
    let L = max(1, run.intervalLength)
    let target = run.k + steps
    let k0 = run.k
    var lastSaveK = run.k
    var lastSave = Date()
    while run.k < target {
      // The chunk ends at the next interval end, save point or the target.
      var chunk = min(L - run.k % L, target - run.k)
      if case .steps(let every) = hooks.savePolicy, every > 0 {
        chunk = min(chunk, max(1, lastSaveK + every - run.k))
      }
      var sum = pending.lossSum
      var count = pending.steps
      var diverged: Run.Record? = nil
      var last: Run.Record? = nil
      var stopRequested = false
      run.advance(
        steps: chunk,
        stoppingWhen: {
          if diverged != nil { return true }
          stopRequested = hooks.shouldStop()
          return stopRequested
        },
        onStep: { record in
          if !record.loss.isFinite && diverged == nil { diverged = record }
          sum += record.loss
          count += 1
          last = record
          hooks.onProgress(record.k + 1 - k0)
        })
      if let diverged { return .diverged(k: diverged.k, loss: diverged.loss) }
      pending = IntervalAccumulator()
      pending.lossSum = sum
      pending.steps = count
      if run.k % L == 0, count > 0, let last {
        let record = last.replacingLoss(sum / Double(count))
        history.append(record)
        pending = IntervalAccumulator()
        try hooks.onInterval(run, record)
      }
      // A stop asked after the last step finds the run complete: it ends as finished below.
      if stopRequested && run.k < target {
        try hooks.save?(self)
        return .interrupted
      }
      let due: Bool
      switch hooks.savePolicy {
      case .steps(let every): due = every > 0 && run.k - lastSaveK >= every
      case .seconds(let seconds): due = Date().timeIntervalSince(lastSave) >= seconds
      case .atEnd: due = false
      }
      if due && run.k < target {
        try hooks.save?(self)
        lastSaveK = run.k
        lastSave = Date()
      }
    }
    try hooks.save?(self)
    return .finished
  }
}
