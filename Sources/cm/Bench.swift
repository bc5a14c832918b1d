// `cm bench`: how fast CT and CD training steps run, how close to the machine's SGEMM peak, how
// many heap allocations a step makes, and how much memory training takes. The measuring lives in
// CMBench (StepBenchmark.swift); this file reads the flags and prints.

import ArgumentParser
import CMBench
import Foundation

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure CT or CD training steps per second, GFLOP/s, allocations and peak memory.",
    discussion: """
      Times full training steps through the trainer (data, pair indices, noise, online forward \
      and backward, target forward, Adam, the EMAs) on ring8 in Float, one thread, after a \
      warm-up, and prints one line of JSON: steps/s (median, min, max and spread of the runs), \
      the GFLOP/s of the step's matrix products and their share of the single-core SGEMM peak \
      measured at startup with the same kernels (n × n × n, n = 256 and 512, the faster), heap \
      allocations per step, peak memory, and which kernel path ran and why (CM_KERNELS=reference \
      selects the OpenBLAS path). --method cd-oracle and cd-edm time CD steps (N = 18, Heun: two \
      teacher evaluations per step); the EDM teacher is an untrained network of the same widths, \
      which costs the same as a trained one. A benchmark, not a test: these machines are noisy, \
      so compare runs made in the same session, interleaved.
      """)

  @Option(help: "The batch size B.")
  var batch: String = "256"
  @Option(help: "The hidden width of each of the 3 hidden layers.")
  var width: String = "128"
  @Option(help: "Timed steps per run.")
  var steps: String = "1000"
  @Option(help: "How many timed runs (the median is reported).")
  var runs: String = "5"
  @Option(help: "What to time: \(BenchMethod.names).", transform: BenchMethod.parser("--method"))
  var method: BenchMethod = .ct
  @Flag(help: "Skip measuring the SGEMM peak (no share_of_peak in the output).")
  var noPeak = false

  func run() throws {
    let batch = try integer(self.batch, flag: "--batch", atLeast: 1, atMost: 65_536)
    let width = try integer(self.width, flag: "--width", atLeast: 1, atMost: 4096)
    let steps = try integer(self.steps, flag: "--steps", atLeast: 1, atMost: 1_000_000)
    let runs = try integer(self.runs, flag: "--runs", atLeast: 1, atMost: 100)
    let peak = noPeak ? nil : SGEMMPeak.measure()
    let benchmark = StepBenchmark(method: method, batch: batch, width: width, steps: steps, runs: runs)
    print(benchmark.run(peak: peak).json)
  }
}

extension BenchMethod: NamedChoice {}
