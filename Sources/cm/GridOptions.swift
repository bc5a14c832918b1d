// The flags of the Karras noise grid, shared by `inspect karras`, `lognormal` and `pair`.

import ArgumentParser
import ConsistencyModels

/// --count, --sigma-min, --sigma-max, --rho: the grid t₁ < … < t_N (CM §4's numbering) of EDM Eq. 5.
///
/// Options are read as text and checked in `sigmas()` (see Validation.swift); `.unconditional`
/// lets a value start with a minus sign.
struct GridOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: "N, the number of grid points (an integer ≥ 2).")
  var count: String

  @Option(parsing: .unconditional, help: "ε, the smallest noise level (> 0).")
  var sigmaMin = "0.002"

  @Option(parsing: .unconditional, help: "T, the largest noise level (> ε).")
  var sigmaMax = "80"

  @Option(parsing: .unconditional, help: "ρ, the grid's curvature (> 0).")
  var rho = "7"

  /// The checked grid, t₁ < … < t_N (CMCore.karrasSigmas), ascending and 0-based.
  func sigmas() throws -> [Double] {
    let N = try integer(count, flag: "--count", atLeast: 2)
    let epsilon = try real(sigmaMin, flag: "--sigma-min", .positive)
    let T = try real(sigmaMax, flag: "--sigma-max", .positive)
    guard epsilon < T else {
      throw ValidationError("--sigma-min must be less than --sigma-max (got \(sigmaMin) ≥ \(sigmaMax))")
    }
    let rho = try real(self.rho, flag: "--rho", .positive)
    return karrasSigmas(count: N, sigmaMin: epsilon, sigmaMax: T, rho: rho)
  }
}
