// `cm inspect scalings`: the boundary scalings at one noise level
// (`skip_scaling` and `output_scaling` in the seed pseudocode).

import ArgumentParser
import ConsistencyModels

struct InspectScalings: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scalings",
    abstract: "c_skip, c_out, c_in, c_noise of f_θ(x, t) at one noise level (CM Eq. 5, App. C).",
    discussion: """
      c_skip(t)  = σ_data² / ((t − ε)² + σ_data²)
      c_out(t)   = σ_data · (t − ε) / √(σ_data² + t²)
      c_in(t)    = 1 / √(t² + σ_data²)
      c_noise(t) = ¼ · ln t

      At t = ε, c_skip = 1 and c_out = 0, so f_θ(x, ε) = x. Any t > 0 is accepted; below ε \
      the formulas give c_out < 0, outside the consistency function's domain [ε, T].

      Example: cm inspect scalings --sigma 0.002
               {"c_skip":1.0,"c_out":0.0,"c_in":1.9999840001919975,
                "c_noise":-1.5536520246055479}
      """)

  @Option(parsing: .unconditional, help: "t, the noise level (> 0).")
  var sigma: String

  @Option(parsing: .unconditional, help: "σ_data, the data's standard deviation (> 0).")
  var sigmaData = "0.5"

  @Option(parsing: .unconditional, help: "ε, the smallest noise level, where f_θ(x, ε) = x (> 0).")
  var sigmaMin = "0.002"

  func run() throws {
    // Beyond 1e150 the squares t² and σ_data² overflow, and c_out, c_in would print as 0: refuse
    // a value that cannot be computed accurately rather than print a wrong one.
    let t = try real(sigma, flag: "--sigma", .positiveUpTo(1e150))
    let sigmaData = try real(self.sigmaData, flag: "--sigma-data", .positiveUpTo(1e150))
    let epsilon = try real(sigmaMin, flag: "--sigma-min", .positiveUpTo(1e150))
    let scalings = BoundaryScalings(t: t, sigmaData: sigmaData, sigmaMin: epsilon)
    try printJSON([
      "c_skip": .number(scalings.cSkip),
      "c_out": .number(scalings.cOut),
      "c_in": .number(scalings.cIn),
      "c_noise": .number(scalings.cNoise),
    ])
  }
}
