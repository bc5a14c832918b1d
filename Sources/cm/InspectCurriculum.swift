// `cm inspect curriculum`: N(k), the number of grid points at training step k
// (`timestep_schedule` in the seed pseudocode).

import ArgumentParser
import ConsistencyModels

struct InspectCurriculum: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "curriculum",
    abstract: "The discretization curriculum N(k) of CM (ct) or iCT (ict).",
    discussion: """
      ct   CM Appendix C:  N(k) = ⌈√( k/K · ((s₁+1)² − s₀²) + s₀² ) − 1⌉ + 1
      ict  iCT §3.4:       K′   = ⌊K / (log₂⌊s₁/s₀⌋ + 1)⌋
                           N(k) = min(s₀ · 2^⌊k/K′⌋, s₁) + 1
           (K′ is taken as 1 when K is so small that the formula gives 0.)

      Ranges: ct needs s₀ ≥ 2, ict s₀ ≥ 1; both need s₀ ≤ s₁ ≤ 1000000.

      Example: cm inspect curriculum --step 1000 --total-steps 800000
               {"N":6}
      """)

  /// The two curricula and their papers' defaults (s₀, s₁).
  enum Schedule: String, NamedChoice {
    case ct, ict

    var defaultS0: Int { self == .ct ? 2 : 10 }
    var defaultS1: Int { self == .ct ? 150 : 1280 }
    /// ct's grid starts with s₀ points and needs two; ict's starts with s₀ + 1.
    var smallestS0: Int { self == .ct ? 2 : 1 }
  }

  @Option(parsing: .unconditional, help: "k, the training step (0 … K).")
  var step: String

  @Option(parsing: .unconditional, help: "K, the total number of training steps (≥ 1).")
  var totalSteps: String

  @Option(parsing: .unconditional, help: "s₀ (default: 2 for ct, 10 for ict).")
  var s0: String?

  @Option(parsing: .unconditional, help: "s₁ (default: 150 for ct, 1280 for ict).")
  var s1: String?

  @Option(parsing: .unconditional, help: "ct (CM) or ict (iCT).", transform: Schedule.parser("--schedule"))
  var schedule: Schedule = .ct

  func run() throws {
    let K = try integer(totalSteps, flag: "--total-steps", atLeast: 1, atMost: Int.max)
    let k = try integer(step, flag: "--step", atLeast: 0, atMost: K, highLabel: "--total-steps = \(K)")
    let s0 = try integer(
      self.s0 ?? String(schedule.defaultS0), flag: "--s0", atLeast: schedule.smallestS0,
      lowLabel: "\(schedule.smallestS0) for --schedule \(schedule.rawValue)")
    let s1 = try integer(
      self.s1 ?? String(schedule.defaultS1), flag: "--s1", atLeast: s0, lowLabel: "--s0 = \(s0)")
    let N: Int
    switch schedule {
    case .ct: N = ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
    case .ict: N = ictDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
    }
    try printJSON(["N": .integer(N)])
  }
}
