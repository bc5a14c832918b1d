// `cm inspect lognormal`: iCT's distribution of the pair index n and its loss weighting.

import ArgumentParser
import ConsistencyModels

struct InspectLognormal: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lognormal",
    abstract: "iCT's discretised-lognormal pair probabilities and weights λ (iCT §3.5, §3.1).",
    discussion: """
      p(n) ∝ erf((ln t_{n+1} − P_mean) / (√2 P_std))
           − erf((ln t_n − P_mean) / (√2 P_std))
      λ(t_n) = 1 / (t_{n+1} − t_n)

      One entry per pair (t_n, t_{n+1}) of the N-point grid, n = 0 … N−2; the probabilities \
      sum to 1. (One public README prints P_mean = 1.1; the paper's value is −1.1.)

      Example: cm inspect lognormal --count 3
               {"probabilities":[0.8458118992313371,0.15418810076866296],
                "weights":[0.39789608843915,0.012905760160723187]}
      """)

  @OptionGroup var grid: GridOptions

  @Option(parsing: .unconditional, help: "P_mean, the mean of ln σ.")
  var pMean = "-1.1"

  @Option(parsing: .unconditional, help: "P_std, the standard deviation of ln σ (> 0).")
  var pStd = "2"

  func run() throws {
    let sigmas = try grid.sigmas()
    let pMean = try real(self.pMean, flag: "--p-mean")
    let pStd = try real(self.pStd, flag: "--p-std", .positive)
    try printJSON([
      "probabilities": .numbers(lognormalPairProbabilities(sigmas: sigmas, pMean: pMean, pStd: pStd)),
      "weights": .numbers(ictPairWeights(sigmas: sigmas)),
    ])
  }
}
