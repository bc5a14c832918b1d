// The one training loop: it changes nothing about the steps, keeps one record per interval,
// saves where asked, stops cleanly, and a run saved anywhere resumes to the same bits.

import CMCore
import CMData
import CMTeacher
import Testing

@testable import CMTraining

@Suite struct RunDriverTests {
  func tinyConfig(method: TrainingMethod = .ct) -> TrainingConfig {
    var config = TrainingConfig.preset(.tiny, method: method)
    config.batchSize = 16
    config.hiddenWidths = [8, 8]
    config.totalSteps = 50
    config.logEvery = 7  // not a divisor of the run, so intervals and ends do not line up
    return config
  }

  /// The driven run is the plain run, and each history record holds its interval's mean loss.
  @Test(arguments: [TrainingMethod.ct, .cd])
  func drivenRunIsThePlainRun(method: TrainingMethod) throws {
    let teacher: Teacher? = method == .cd ? .oracle(Dataset.ring8.mixture!) : nil
    var plain = TrainingState<Float>(config: tinyConfig(method: method), teacher: teacher)
    var losses: [Double] = []
    plain.train(steps: 50) { losses.append($0.loss) }
    var driver = RunDriver(run: TrainingState<Float>(config: tinyConfig(method: method), teacher: teacher))
    var hooks = RunDriver<TrainingState<Float>>.Hooks()
    var intervals: [Int] = []
    hooks.onInterval = { run, record in intervals.append(run.k) }
    var saves: [Int] = []
    hooks.save = { saves.append($0.run.k) }
    hooks.savePolicy = .steps(20)
    #expect(try driver.run(steps: 50, hooks: hooks) == .finished)
    #expect(driver.run == plain)
    #expect(intervals == [7, 14, 21, 28, 35, 42, 49])
    #expect(driver.history.map(\.k) == [6, 13, 20, 27, 34, 41, 48])
    for (i, record) in driver.history.enumerated() {
      let mean = losses[(7 * i)..<(7 * i + 7)].reduce(0, +) / 7
      #expect(record.loss == mean, "interval \(i)")
    }
    #expect(driver.pending.steps == 1 && driver.pending.lossSum == losses[49])
    #expect(saves == [20, 40, 50])
  }

  /// Stopped after any step and resumed from what it saved, the run ends with the same state,
  /// history and unfinished interval as the run in one go.
  @Test(arguments: [1, 9, 23, 49])
  func interruptedAndResumedIsTheRunInOneGo(stopAfter: Int) throws {
    var straight = RunDriver(run: TrainingState<Float>(config: tinyConfig()))
    #expect(try straight.run(steps: 50) == .finished)

    var first = RunDriver(run: TrainingState<Float>(config: tinyConfig()))
    var hooks = RunDriver<TrainingState<Float>>.Hooks()
    var stepsSeen = 0
    hooks.onProgress = { stepsSeen = $0 }
    hooks.shouldStop = { stepsSeen >= stopAfter }
    var saved: RunDriver<TrainingState<Float>>? = nil
    hooks.save = { saved = $0 }
    #expect(try first.run(steps: 50, hooks: hooks) == .interrupted)
    let checkpoint = try #require(saved)
    #expect(checkpoint.run.k == stopAfter, "stops after the step at which the stop was asked")
    var resumed = checkpoint
    #expect(try resumed.run(steps: 50 - stopAfter) == .finished)
    #expect(resumed.run == straight.run)
    #expect(resumed.history == straight.history)
    #expect(resumed.pending == straight.pending)
  }

  /// A stop asked after the last step (Ctrl-C during it) finds the run complete: it ends as
  /// finished, saved once, with the state of the run that was never stopped.
  @Test func aStopAfterTheLastStepFinishesTheRun() throws {
    var straight = RunDriver(run: TrainingState<Float>(config: tinyConfig()))
    #expect(try straight.run(steps: 50) == .finished)

    var stopped = RunDriver(run: TrainingState<Float>(config: tinyConfig()))
    var hooks = RunDriver<TrainingState<Float>>.Hooks()
    var stepsSeen = 0
    hooks.onProgress = { stepsSeen = $0 }
    hooks.shouldStop = { stepsSeen >= 50 }
    var saves: [Int] = []
    hooks.save = { saves.append($0.run.k) }
    #expect(try stopped.run(steps: 50, hooks: hooks) == .finished)
    #expect(saves == [50])
    #expect(stopped.run == straight.run)
    #expect(stopped.history == straight.history)
  }

  /// A non-finite loss stops the run at that step and saves nothing after the last save.
  @Test func divergenceStopsWithoutSaving() throws {
    var config = tinyConfig()
    config.learningRate = 1e30
    var driver = RunDriver(run: TrainingState<Float>(config: config))
    var hooks = RunDriver<TrainingState<Float>>.Hooks()
    var saves = 0
    hooks.save = { _ in saves += 1 }
    let outcome = try driver.run(steps: 50, hooks: hooks)
    guard case .diverged(let k, let loss) = outcome else {
      Issue.record("expected a divergence, got \(outcome)")
      return
    }
    #expect(!loss.isFinite)
    #expect(driver.run.k == k + 1, "stops right after the step that diverged")
    #expect(saves == 0)
  }

  /// The EDM teacher's pre-training goes through the same driver, to the same bits.
  @Test func pretrainingIsDrivenToo() throws {
    var config = EDMPretrainingConfig.preset(.tiny)
    config.batchSize = 16
    config.hiddenWidths = [8, 8]
    config.logEvery = 5
    var plain = EDMPretrainingState<Float>(config: config)
    plain.trainEDM(steps: 12)
    var driver = RunDriver(run: EDMPretrainingState<Float>(config: config))
    #expect(try driver.run(steps: 12) == .finished)
    #expect(driver.run == plain)
    #expect(driver.history.map(\.k) == [4, 9])
    #expect(driver.history[0].logLine.hasPrefix("k 5  loss "))
  }
}
