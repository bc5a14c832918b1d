// `cm sample`: multistep consistency sampling (CM Algorithm 1) from a checkpoint, to CSV; or, for an
// EDM teacher checkpoint, deterministic Heun sampling (EDM Algorithm 1).

import ArgumentParser
import ConsistencyModels
import Foundation

struct Sample: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Draw samples from a checkpoint with 1 or more steps (CM Algorithm 1), as CSV.",
    discussion: """
      x ← f(T·z, T); then for each τ: x ← f(x + √(τ² − ε²)·z′, τ).
      Without --tau, k steps use τ_i = \(defaultTauStart)·2^-(i−1), i = 1 … k−1, a toy default \
      measured on ring8 (tutorial 08 shows the trade-off). The CSV has an x,y header and is in \
      the training data's units.

      An EDM teacher checkpoint (cm pretrain) is sampled with EDM Algorithm 1 instead: --steps \
      Heun steps (default \(defaultHeunSteps)) on the Karras grid from T = 80 to ε = 0.002, then \
      t_N = 0, 2·steps − 1 denoiser evaluations; --weights ema (the default) is the teacher's EMA of θ.
      """)

  @Option(help: "The checkpoint written by cm train or cm pretrain.")
  var checkpoint: String
  @Option(
    help:
      "How many consistency-function evaluations, or Heun steps for an EDM teacher (1…1000; default 1, or \(defaultHeunSteps) for a teacher)."
  )
  var steps: String?
  @Option(help: "The intermediate noise levels τ₁ > τ₂ > …, one fewer than --steps, each in (ε, T).")
  var tau: String?
  @Option(help: "How many samples (≥ 1).")
  var count: String
  @Option(help: "The seed of z and z′.")
  var seed: String = "0"
  @Option(
    help:
      "The parameters to sample with: ema (θ_ema, the slow EMA; a teacher's EMA), target (θ⁻) or online (θ).",
    transform: WeightsChoice.parser("--weights"))
  var weights: WeightsChoice = .ema
  @Option(help: "The CSV file to write.")
  var output: String

  func run() throws {
    guard !output.isEmpty else {
      throw ValidationError("--output must name the CSV file to write (got an empty path)")
    }
    let givenSteps = try self.steps.map { try integer($0, flag: "--steps", atLeast: 1, atMost: 1000) }
    let count = try integer(self.count, flag: "--count", atLeast: 1, atMost: 10_000_000)
    let seed = try unsigned(self.seed, flag: "--seed")
    let kind: String
    do {
      kind = try CheckpointFile.kind(of: URL(fileURLWithPath: checkpoint))
    } catch {
      throw checkpointFailure(error, flag: "--checkpoint")
    }
    let x: [Double]
    if kind == EDMCheckpoint.kindName {
      x = try sampleTeacher(count: count, steps: givenSteps ?? defaultHeunSteps, seed: seed)
    } else {
      x = try sampleConsistencyModel(count: count, steps: givenSteps ?? 1, seed: seed)
    }
    var csv = "x,y\n"
    for i in 0..<count { csv += "\(x[2 * i]),\(x[2 * i + 1])\n" }
    let url = URL(fileURLWithPath: output)
    do {
      try writeAtomically(Data(csv.utf8), to: url)
    } catch {
      throw IOFailure(description: "--output: \(error)")
    }
  }

  /// CM Algorithm 1 from a ct or cd checkpoint.
  private func sampleConsistencyModel(count: Int, steps: Int, seed: UInt64) throws -> [Double] {
    let saved = try readCheckpoint(checkpoint, flag: "--checkpoint")
    let config = saved.state.config
    let taus: [Double]
    if let tau {
      taus = try vector(tau, flag: "--tau")
      guard taus.count == steps - 1 else {
        throw ValidationError("--tau must have --steps − 1 = \(steps - 1) values (got \(taus.count))")
      }
    } else {
      taus = (0..<(steps - 1)).map { defaultTauStart / Double(1 << min($0, 60)) }
    }
    do {
      try validateSamplingTaus(taus, sigmaMin: config.sigmaMin, sigmaMax: config.sigmaMax)
    } catch {
      // Without --tau the default τ_i halve from 0.8 and fall below ε after 9 of them.
      guard tau != nil else {
        throw ValidationError(
          "--steps must be at most \(maxDefaultSteps(sigmaMin: config.sigmaMin)) without --tau, so that the default τ_i = \(defaultTauStart)·2^-(i−1) stay above ε = \(config.sigmaMin) (got \(steps))"
        )
      }
      throw ValidationError("--tau: \(error.description)")
    }
    var generator = SeededGenerator(seed: seed)
    let parameters = parameters(of: saved.state, weights: weights)
    return saved.state.model.sample(
      parameters: parameters, count: count, taus: taus, sigmaMax: config.sigmaMax,
      generator: &generator)
  }

  /// EDM Algorithm 1 (deterministic Heun) from an edm teacher checkpoint.
  private func sampleTeacher(count: Int, steps: Int, seed: UInt64) throws -> [Double] {
    if tau != nil {
      throw ValidationError(
        "--tau applies to consistency-model checkpoints only; an edm teacher takes --steps Heun steps")
    }
    let saved = try readTeacherCheckpoint(checkpoint, flag: "--checkpoint")
    if weights == .target {
      throw ValidationError("--weights target: an edm teacher has no target network θ⁻ (use ema or online)")
    }
    let state = saved.state
    let teacher = EDMTeacher(
      model: state.model, parameters: weights == .ema ? state.thetaEMA : state.theta)
    var generator = SeededGenerator(seed: seed)
    return teacher.sample(count: count, steps: steps, generator: &generator)
  }
}

/// θ_ema, θ⁻ or θ of a consistency-model state, as `--weights ema|target|online` names them.
func parameters(of state: TrainingState<Float>, weights: WeightsChoice) -> [Float] {
  switch weights {
  case .target: return state.thetaMinus
  case .online: return state.theta
  case .ema: return state.thetaEMA
  }
}

/// The most steps whose default τ_i = 0.8·2^-(i−1) all stay above ε.
func maxDefaultSteps(sigmaMin: Double) -> Int {
  var steps = 1
  while steps < 62, defaultTauStart / Double(1 << (steps - 1)) > sigmaMin { steps += 1 }
  return steps
}

/// τ₁ of the default multistep schedule (each later τ halves it).
let defaultTauStart = 0.8

/// N of EDM Algorithm 1 when an edm teacher is sampled without --steps (EDM's CIFAR-10 setting).
let defaultHeunSteps = 18
