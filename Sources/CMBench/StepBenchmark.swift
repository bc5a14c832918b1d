// What `cm bench` measures: training steps per second, the FLOP rate of their matrix products
// against the measured single-core SGEMM peak, heap allocations per step, and peak memory.

import CMAllocationCounter
import CMCore
import CMData
import CMKernels
import CMNetwork
import CMTeacher
import CMTraining
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Which training step a benchmark times.
public enum BenchMethod: String, Sendable, CaseIterable {
  /// A CT step (CM Algorithm 3).
  case ct
  /// A CD step (Algorithm 2) with the exact denoiser of ring8 as teacher.
  case cdOracle = "cd-oracle"
  /// A CD step with an EDM teacher network of the same widths (untrained: it costs the same).
  case cdEDM = "cd-edm"
}

/// One benchmark's setting: the training steps of `method` at batch `batch` and hidden width
/// `width` (3 hidden layers, as F_θ), `runs` timed runs of `steps` steps after a warm-up.
public struct StepBenchmark: Sendable {
  /// CT, or CD with the oracle or an EDM teacher.
  public var method: BenchMethod
  /// B, the batch size.
  public var batch: Int
  /// The width of each of the 3 hidden layers.
  public var width: Int
  /// Steps per timed run.
  public var steps: Int
  /// Timed runs (after one warm-up run); the result reports their median.
  public var runs: Int

  /// A benchmark of `method` at batch B and hidden width `width`: `runs` runs of `steps` steps.
  public init(method: BenchMethod, batch: Int = 256, width: Int = 128, steps: Int = 1000, runs: Int = 5) {
    self.method = method
    self.batch = batch
    self.width = width
    self.steps = steps
    self.runs = runs
  }

  /// The FLOPs of one step's matrix products, counted as 2·m·n·k per product of an m × k by a
  /// k × n matrix (the bias, SiLU, distances, Adam and EMA are not counted):
  ///
  /// ```
  /// forward pass    2·B·Σ_l d_{l−1}·d_l                       every layer
  /// backward pass   2·B·Σ_l d_{l−1}·d_l  (∂L/∂W_l)  +  2·B·Σ_{l≥2} d_{l−1}·d_l  (∂L/∂h_{l−1})
  /// CT, CD-oracle   online forward + backward + target forward
  /// CD-EDM          the same + 2 teacher forward passes (Heun evaluates D_φ twice)
  /// ```
  ///
  /// Worked number: B = 256, d = [3, 128, 128, 128, 2] give a forward pass of 17.1 MFLOP, a
  /// backward pass of 34.0 MFLOP and a CT step of 68.2 MFLOP.
  public var matrixFLOPsPerStep: Double {
    let layout = ParameterLayout(inputDim: 3, hiddenWidths: [width, width, width], outputDim: 2)
    let products = (0..<layout.layerCount).map { Double(layout.fanIn(layer: $0) * layout.fanOut(layer: $0)) }
    let forward = 2 * Double(batch) * products.reduce(0, +)
    let backward = forward + 2 * Double(batch) * products.dropFirst().reduce(0, +)
    let ct = 2 * forward + backward
    return method == .cdEDM ? ct + 2 * forward : ct
  }

  /// A fresh training state for the benchmark (ring8, the default preset, Float).
  func makeState() -> TrainingState<Float> {
    var config = TrainingConfig.preset(.default, method: method == .ct ? .ct : .cd)
    config.batchSize = batch
    config.hiddenWidths = [width, width, width]
    config.totalSteps = steps * (runs + 1)
    var teacher: Teacher? = nil
    switch method {
    case .ct: break
    case .cdOracle: teacher = .oracle(config.dataset.mixture!)
    case .cdEDM:
      let model = DiffusionModel<Float>(hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData)
      teacher = .edm(EDMTeacher(model: model, parameters: model.network.initialParameters(seed: 1)))
    }
    return TrainingState<Float>(config: config, teacher: teacher)
  }

  /// Runs the benchmark: a warm-up of max(steps/10, 10) steps, then `runs` timed runs through the
  /// trainer (`TrainingState.train(steps:)`: data, step, θ_ema), counting allocations in the
  /// steady state (from the end of each run's first step to the end of its last: the trainer
  /// makes its buffers once per call, and the first step sizes them); then the step alone.
  public func run(peak: SGEMMPeak?) -> StepBenchmarkResult {
    var state = makeState()
    state.train(steps: max(steps / 10, 10))  // warm-up: caches warm
    var rates: [Double] = []
    rates.reserveCapacity(runs)
    var allocations: UInt64 = 0
    var countedSteps = 0
    for _ in 0..<runs {
      var stepsDone = 0
      var firstStepEnd: UInt64 = 0
      var lastStepEnd: UInt64 = 0
      let start = DispatchTime.now().uptimeNanoseconds
      state.train(steps: steps) { _ in
        stepsDone += 1
        if stepsDone == 1 { firstStepEnd = cm_allocation_count() }
        if stepsDone == steps { lastStepEnd = cm_allocation_count() }
      }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      allocations += lastStepEnd - firstStepEnd
      countedSteps += steps - 1
      rates.append(Double(steps) / seconds)
    }
    let counting = cm_allocation_counting_available() != 0 && countedSteps > 0
    return StepBenchmarkResult(
      benchmark: self, rates: rates.sorted(),
      allocationsPerStep: counting ? Double(allocations) / Double(countedSteps) : nil,
      stepAllocationsPerStep: counting ? stepAllocations(state: &state) : nil,
      peakMemoryMiB: peakMemoryMiB(), peak: peak)
  }

  /// Allocations per step of the CT or CD step alone (`ctStep` / `cdStep`), with the data drawn
  /// into a kept batch array (`Dataset.sample(count:using:into:)`), after one step that sizes the
  /// buffers: what the trainer's loop costs without its per-step data array.
  func stepAllocations(state: inout TrainingState<Float>) -> Double {
    var buffers = state.makeBuffers()
    var generator = SeededGenerator(seed: 7)
    var x: [Double] = []
    let probeSteps = max(min(steps, 200), 2)
    var before: UInt64 = 0
    for i in 0..<probeSteps {
      if i == 1 { before = cm_allocation_count() }
      state.config.dataset.sample(count: batch, using: &generator, into: &x)
      if let teacher = state.teacher {
        _ = state.cdStep(data: x, teacher: teacher, buffers: &buffers)
      } else {
        _ = state.ctStep(data: x, buffers: &buffers)
      }
    }
    return Double(cm_allocation_count() - before) / Double(probeSteps - 1)
  }
}

/// What `StepBenchmark.run` measured.
public struct StepBenchmarkResult: Sendable {
  /// The setting that was measured.
  public let benchmark: StepBenchmark
  /// Steps per second of each run, ascending.
  public let rates: [Double]
  /// Heap allocations per step of the trainer's loop in the steady state (nil where they cannot
  /// be counted).
  public let allocationsPerStep: Double?
  /// Heap allocations per step of `ctStep` / `cdStep` alone, the data drawn into a kept array.
  public let stepAllocationsPerStep: Double?
  /// The process's peak resident memory.
  public let peakMemoryMiB: Double
  /// The single-core SGEMM peak the FLOP rate is compared with.
  public let peak: SGEMMPeak?

  /// The median run's steps per second.
  public var median: Double { rates[rates.count / 2] }

  /// The FLOP rate of the step's matrix products at the median speed, in GFLOP/s.
  public var gflops: Double { benchmark.matrixFLOPsPerStep * median / 1e9 }

  /// The result as one line of JSON.
  public var json: String {
    let b = benchmark
    var fields: [(String, String)] = [
      ("benchmark", b.method == .ct ? "\"ct-step\"" : "\"cd-step\""),
      ("method", "\"\(b.method.rawValue)\""),
      ("teacher", b.method == .ct ? "null" : (b.method == .cdOracle ? "\"oracle\"" : "\"edm\"")),
      ("batch", "\(b.batch)"), ("hidden", "[\(b.width),\(b.width),\(b.width)]"),
      ("precision", "\"float32\""), ("threads", "1"),
      ("steps_per_run", "\(b.steps)"), ("runs", "\(b.runs)"),
      ("steps_per_second_median", number(median, 1)),
      ("steps_per_second_min", number(rates.first!, 1)),
      ("steps_per_second_max", number(rates.last!, 1)),
      ("spread_percent", number(100 * (rates.last! - rates.first!) / median, 1)),
      ("matrix_mflop_per_step", number(b.matrixFLOPsPerStep / 1e6, 2)),
      ("gflops", String(format: "%.4g", gflops)),
    ]
    if let peak {
      fields.append(("sgemm_peak_gflops", number(peak.gflops, 1)))
      fields.append(("sgemm_peak_size", "\(peak.size)"))
      fields.append(("share_of_peak", number(gflops / peak.gflops, 3)))
    }
    fields.append(("allocations_per_step", allocationsPerStep.map { number($0, 2) } ?? "null"))
    fields.append(("step_allocations_per_step", stepAllocationsPerStep.map { number($0, 2) } ?? "null"))
    fields.append(("peak_memory_mib", number(peakMemoryMiB, 1)))
    fields.append(("kernels", "\"\(Kernels.active.rawValue)\""))
    fields.append(("kernels_reason", "\"\(Kernels.reason.replacingOccurrences(of: "\"", with: "'"))\""))
    return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
  }
}

/// The single-core SGEMM rate of the active kernel path on an n × n by n × n product (C = A·Bᵀ
/// through `cmk_linear_forward`, 2n³ FLOPs): the best of several timed products.
public struct SGEMMPeak: Sendable {
  /// n, the side of the square matrices of the best product.
  public let size: Int
  /// The best rate, in GFLOP/s.
  public let gflops: Double

  /// Measures the active path (the reference path measures OpenBLAS's `cblas_sgemm`) at each of
  /// `sizes` and keeps the fastest, each size timed for about `seconds`.
  public static func measure(sizes: [Int] = [256, 512], seconds: Double = 0.3) -> SGEMMPeak {
    var best = SGEMMPeak(size: 0, gflops: 0)
    for n in sizes {
      let rate = measure(size: n, seconds: seconds)
      if rate > best.gflops { best = SGEMMPeak(size: n, gflops: rate) }
    }
    return best
  }

  static func measure(size n: Int, seconds: Double) -> Double {
    let mlp = MLP<Float>(inputDim: n, hiddenWidths: [], outputDim: n)
    let theta = mlp.initialParameters(seed: 3)
    let x = (0..<(n * n)).map { Float(($0 % 17) - 8) / 8 }
    var y: [Float] = []
    var workspace = mlp.makeWorkspace(batchSize: n)
    mlp.forward(parameters: theta, input: x, output: &y, workspace: &workspace)  // warm-up
    var best = 0.0
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    repeat {
      let start = DispatchTime.now().uptimeNanoseconds
      mlp.forward(parameters: theta, input: x, output: &y, workspace: &workspace)
      let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      best = max(best, 2 * Double(n) * Double(n) * Double(n) / elapsed / 1e9)
    } while DispatchTime.now().uptimeNanoseconds < deadline
    return best
  }
}

/// The process's peak resident set size in MiB (getrusage's ru_maxrss, in KiB on Linux).
public func peakMemoryMiB() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_maxrss) / 1024
}

/// `value` with `digits` decimals, as JSON wants it.
private func number(_ value: Double, _ digits: Int) -> String {
  String(format: "%.\(digits)f", value)
}
