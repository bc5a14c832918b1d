// What `cm train` and `cm pretrain` share after parsing: the output folder, the session, the
// progress bar, Ctrl-C, and the messages. The loop itself is the library's `RunDriver`.

import ArgumentParser
import ConsistencyModels
import Foundation

/// The options of every training command for where and how often it saves.
struct RunOutputOptions: ParsableArguments {
  @Option(help: "The output folder (created if missing).")
  var output: String
  @Option(
    help: """
      Save the checkpoint and the log every this many steps (≥ 1), as well as at the end and \
      on Ctrl-C or SIGTERM (default: after about a minute of work).
      """)
  var saveEvery: String?
  @Flag(
    help:
      "Replace what --output holds: a checkpoint of a different run, this run further on (start over), or a log.txt without a checkpoint (refused otherwise)."
  )
  var force = false

  /// The save policy from --save-every.
  func savePolicy() throws -> SavePolicy {
    guard let saveEvery else { return .seconds(60) }
    return .steps(try integer(saveEvery, flag: "--save-every", atLeast: 1, atMost: 100_000_000))
  }

  /// The output folder, checked and created (only once every flag is valid).
  func folder(checkpointName: String) throws -> RunFolder {
    do {
      return try RunFolder.prepare(path: output, checkpointName: checkpointName)
    } catch {
      if error.isUsage { throw ValidationError("--output: \(error.description)") }
      throw IOFailure(description: "--output: \(error.description)")
    }
  }
}

/// Trains `driver` for `steps` steps into `options`' folder: refuses a folder holding another
/// run (unless --force), a run too large for the machine or the disk; logs one line per
/// interval; saves by --save-every and at the end; on Ctrl-C or SIGTERM saves and throws
/// `Interrupted`. `resumeLog` is the log of the run being resumed ("" for a fresh run).
func trainIntoFolder<Run: SavableRun>(
  _ driver: RunDriver<Run>, steps: Int, options: RunOutputOptions, checkpointName: String,
  estimate: ResourceEstimate, resumeLog: String
) throws {
  let savePolicy = try options.savePolicy()
  let folder = try options.folder(checkpointName: checkpointName)
  let k0 = driver.run.k
  var session: RunSession<Run>
  do {
    session = try RunSession(
      driver: driver, folder: folder, force: options.force, log: resumeLog,
      estimate: estimate)
  } catch {
    if case .io = error { throw IOFailure(description: "--output: \(error.description)") }
    throw ValidationError("--output: \(error.description)")
  }
  Interruption.install()
  let progress = ProgressBar(total: steps)
  let start = Date()
  let outcome: RunOutcome
  do {
    outcome = try session.run(
      steps: steps, savePolicy: savePolicy, shouldStop: { Interruption.requested },
      onProgress: { progress.update($0) },
      onLogLine: { line in
        progress.clear()
        say(line)  // written at once, so a pipe or a file sees each line as it is logged
      })
  } catch {
    progress.finish()
    if case .diverged(let text) = error {
      throw RunFailed(
        description:
          "training diverged: \(text); nothing was saved after the last save. Try a smaller --learning-rate")
    }
    throw IOFailure(description: "--output: \(error.description) (the last saved checkpoint is kept)")
  }
  progress.finish()
  let k = session.driver.run.k
  let url = folder.checkpointURL.path
  switch outcome {
  case .diverged(let badK, let loss):
    throw TrainingDiverged(k: badK, loss: loss)
  case .interrupted:  // before the last step (RunDriver reports a stop after it as finished)
    throw Interrupted(
      description:
        "interrupted at k = \(k): saved \(url); continue with: cm \(Run.self == EDMPretrainingState<Float>.self ? "pretrain" : "train") --resume \(shellQuoted(url)) --steps \(k0 + steps - k) --output \(shellQuoted(options.output))"
    )
  case .finished:
    let seconds = Date().timeIntervalSince(start)
    say("wrote \(url) (k = \(k), \(format(Double(steps) / max(seconds, 1e-9), digits: 0)) steps/s)")
  }
}

/// A comparison diverged or its exact solve failed: exit 1.
struct RunFailed: Error, CustomStringConvertible {
  var description: String
}

/// Training produced a non-finite loss. Not a usage error, so it exits with status 1. The
/// folder keeps whatever was last saved before the divergence (if anything).
struct TrainingDiverged: Error, CustomStringConvertible {
  var k: Int
  var loss: Double
  /// Which run diverged, when there are several.
  var run: String = "training"
  /// What to try instead.
  var hint = "Try a smaller --learning-rate"
  var description: String {
    "\(run) diverged at step k = \(k + 1) (loss \(loss)); nothing was saved after the last save. \(hint)"
  }
}

/// The consistency-model checkpoint at `path`: a file that cannot be read is an I/O failure
/// (exit 74), one that is damaged or invalid a bad argument (exit 64); both name the flag.
func readCheckpoint(_ path: String, flag: String) throws -> Checkpoint {
  do {
    return try Checkpoint.read(from: URL(fileURLWithPath: path))
  } catch {
    throw checkpointFailure(error, flag: flag)
  }
}

/// The EDM teacher checkpoint at `path`, with `readCheckpoint`'s errors.
func readTeacherCheckpoint(_ path: String, flag: String, hint: String = "") throws -> EDMCheckpoint {
  do {
    return try EDMCheckpoint.read(from: URL(fileURLWithPath: path))
  } catch {
    throw checkpointFailure(error, flag: flag, hint: hint)
  }
}

/// A checkpoint error as `cm` reports it.
func checkpointFailure(_ error: CheckpointError, flag: String, hint: String = "") -> Error {
  let message = "\(flag): \(error.description)\(hint)"
  return error.cannotRead ? IOFailure(description: message) : ValidationError(message)
}

/// --steps, or on --resume without it the rest of the run (K − k). k + steps may not pass
/// 100 000 000, the largest k a checkpoint holds.
func stepsToRun<Run: SavableRun>(_ given: Int?, state: Run) throws -> Int {
  if let given {
    let most = SettingRange.steps.upperBound - state.k
    guard given <= most else {
      throw ValidationError(
        "--steps must be in 1…\(most) here: the resumed run is at k = \(state.k), and k + --steps may not exceed \(SettingRange.steps.upperBound) (got \(given))"
      )
    }
    return given
  }
  let remaining = state.plannedSteps - state.k
  guard remaining > 0 else {
    throw ValidationError(
      "--steps: the resumed run is complete (k = \(state.k), its K = \(state.plannedSteps)); give --steps to train beyond K"
    )
  }
  return remaining
}

/// Refuses a run whose estimated memory does not fit this machine, naming the flags that size it.
func requireFits(_ estimate: ResourceEstimate, sizeFlags: String) throws {
  guard estimate.fitsInMemory() else {
    throw ValidationError(
      "\(sizeFlags): the run needs about \(ResourceEstimate.gibibytes(estimate.memoryBytes)) of memory; this process may use \(ResourceEstimate.gibibytes(ResourceEstimate.usableMemory)) (the machine's memory, or ulimit -v if lower)"
    )
  }
}
