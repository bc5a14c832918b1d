// `cm bench`: how fast one CT or CD training step runs, and how much memory training takes.

import ArgumentParser
import ConsistencyModels
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure CT or CD training steps per second and peak memory (a benchmark, not a test).",
    discussion: """
      Times full CT steps (data, pair indices, noise, online forward and backward, target \
      forward, Adam, EMA) on ring8 in Float, single-threaded BLAS, after a warm-up, and reports \
      the median of several timed runs and the process's peak resident memory. --method cd-oracle \
      and cd-edm time CD steps instead (N = 18, Heun: two teacher evaluations per step); the EDM \
      teacher is an untrained network of the same widths, which costs the same as a trained one.
      Reference points measured on the machine this was written on, same model, batch and 1 \
      thread: PyTorch eager CPU about 390–450 steps/s, NumPy with a hand-written backward about \
      610, JAX with jit about 900.
      """)

  @Option(help: "The batch size B.")
  var batch: String = "256"
  @Option(help: "The hidden width of each of the 3 hidden layers.")
  var width: String = "128"
  @Option(help: "Timed steps per run.")
  var steps: String = "1000"
  @Option(help: "How many timed runs (the median is reported).")
  var runs: String = "5"
  @Option(help: "What to time: ct, cd-oracle or cd-edm.")
  var method: String = "ct"

  func run() throws {
    let batch = try integer(self.batch, flag: "--batch", atLeast: 1, atMost: 65_536)
    let width = try integer(self.width, flag: "--width", atLeast: 1, atMost: 4096)
    let steps = try integer(self.steps, flag: "--steps", atLeast: 1, atMost: 1_000_000)
    let runs = try integer(self.runs, flag: "--runs", atLeast: 1, atMost: 100)
    guard ["ct", "cd-oracle", "cd-edm"].contains(method) else {
      throw usageError("--method", mustBe: "one of ct, cd-oracle, cd-edm", got: method)
    }
    var config = TrainingConfig.preset(.default, method: method == "ct" ? .ct : .cd)
    config.batchSize = batch
    config.hiddenWidths = [width, width, width]
    config.totalSteps = steps * (runs + 1)
    var teacher: Teacher? = nil
    if method == "cd-oracle" { teacher = .oracle(config.dataset.mixture!) }
    if method == "cd-edm" {
      let model = DiffusionModel<Float>(hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData)
      teacher = .edm(EDMTeacher(model: model, parameters: model.network.initialParameters(seed: 1)))
    }
    var state = TrainingState<Float>(config: config, teacher: teacher)
    state.train(steps: max(steps / 10, 10))  // warm-up
    var rates: [Double] = []
    for _ in 0..<runs {
      let start = DispatchTime.now().uptimeNanoseconds
      state.train(steps: steps)
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      rates.append(Double(steps) / seconds)
    }
    rates.sort()
    let median = rates[rates.count / 2]
    print(
      "{\"benchmark\":\"\(method == "ct" ? "ct-step" : "cd-step")\",\"teacher\":\(teacher.map { "\"\($0.name)\"" } ?? "null"),\"batch\":\(batch),\"hidden\":[\(width),\(width),\(width)],"
        + "\"precision\":\"float32\",\"threads\":1,\"steps_per_second_median\":\(format(median, digits: 1)),"
        + "\"steps_per_second_min\":\(format(rates.first!, digits: 1)),\"steps_per_second_max\":\(format(rates.last!, digits: 1)),"
        + "\"peak_memory_mib\":\(format(peakMemoryMiB(), digits: 1))}")
  }
}

/// The process's peak resident set size in MiB (getrusage's ru_maxrss, in KiB on Linux).
func peakMemoryMiB() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_maxrss) / 1024
}
