// `cm inspect ema-decay`: μ(k), the decay rate of the target network's EMA
// (`ema_decay_schedule` in the seed pseudocode).

import ArgumentParser
import ConsistencyModels

struct InspectEMADecay: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ema-decay",
    abstract: "The target network's EMA decay μ(k) of CM Appendix C, and the N(k) it depends on.",
    discussion: """
      paper     μ(k) = exp( s₀ · ln μ₀ / N(k) )          μ(0) = μ₀
      official  μ(k) = exp( s₀ · ln μ₀ / (N(k) − 1) )    μ(0) = μ₀² for s₀ = 2
                (the official code's denominator)

      N(k) is the CT curriculum (see `cm inspect curriculum`): the step enters μ only through \
      it. Ranges: s₀ ≥ 2, s₀ ≤ s₁ ≤ 1000000, μ₀ in (0, 1).

      Example: cm inspect ema-decay --step 1 --total-steps 800000
               {"mu":0.9321697517861577,"N":3}
      """)

  @Option(parsing: .unconditional, help: "k, the training step (0 … K).")
  var step: String

  @Option(parsing: .unconditional, help: "K, the total number of training steps (≥ 1).")
  var totalSteps: String

  @Option(parsing: .unconditional, help: "s₀, the curriculum's initial number of grid points.")
  var s0 = "2"

  @Option(parsing: .unconditional, help: "s₁, the curriculum's final number of grid intervals.")
  var s1 = "150"

  @Option(parsing: .unconditional, help: "μ₀, the decay rate at the start of training.")
  var mu0 = "0.9"

  @Option(
    parsing: .unconditional, help: "paper or official (the denominator N(k) or N(k) − 1).",
    transform: EMADecayVariant.parser("--variant"))
  var variant: EMADecayVariant = .paper

  func run() throws {
    let K = try integer(totalSteps, flag: "--total-steps", atLeast: 1, atMost: Int.max)
    let k = try integer(step, flag: "--step", atLeast: 0, atMost: K, highLabel: "--total-steps = \(K)")
    let s0 = try integer(self.s0, flag: "--s0", atLeast: 2)
    let s1 = try integer(self.s1, flag: "--s1", atLeast: s0, lowLabel: "--s0 = \(s0)")
    let mu0 = try real(self.mu0, flag: "--mu0", .openUnitInterval)
    let N = ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
    let mu = emaDecayRate(N: N, s0: s0, mu0: mu0, variant: variant)
    try printJSON(["mu": .number(mu), "N": .integer(N)])
  }
}
