// `cm sample`: multistep consistency sampling (CM Algorithm 1) from a checkpoint, to CSV.

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
      """)

  @Option(help: "The checkpoint written by cm train.")
  var checkpoint: String
  @Option(help: "How many consistency-function evaluations (≥ 1).")
  var steps: String = "1"
  @Option(help: "The intermediate noise levels τ₁ > τ₂ > …, one fewer than --steps, each in (ε, T).")
  var tau: String?
  @Option(help: "How many samples (≥ 1).")
  var count: String
  @Option(help: "The seed of z and z′.")
  var seed: String = "0"
  @Option(help: "The parameters to sample with: target (θ⁻, the EMA) or online (θ).")
  var weights: String = "target"
  @Option(help: "The CSV file to write.")
  var output: String

  func run() throws {
    let steps = try integer(self.steps, flag: "--steps", atLeast: 1, atMost: 1000)
    let count = try integer(self.count, flag: "--count", atLeast: 1, atMost: 10_000_000)
    let seed = try unsigned(self.seed, flag: "--seed")
    guard weights == "target" || weights == "online" else {
      throw usageError("--weights", mustBe: "one of target, online", got: weights)
    }
    let saved: Checkpoint
    do {
      saved = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
    } catch {
      throw ValidationError("--checkpoint: \(error.description)")
    }
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
      throw ValidationError("--tau: \(error.description)")
    }
    var generator = SeededGenerator(seed: seed)
    let parameters = weights == "target" ? saved.state.thetaMinus : saved.state.theta
    let x = saved.state.model.sample(
      parameters: parameters, count: count, taus: taus, sigmaMax: config.sigmaMax,
      generator: &generator)
    var csv = "x,y\n"
    for i in 0..<count { csv += "\(x[2 * i]),\(x[2 * i + 1])\n" }
    let url = URL(fileURLWithPath: output)
    do {
      try writeAtomically(Data(csv.utf8), to: url)
    } catch {
      throw ValidationError("--output: \(error)")
    }
  }
}

/// τ₁ of the default multistep schedule (each later τ halves it).
let defaultTauStart = 0.8
