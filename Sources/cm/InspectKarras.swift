// `cm inspect karras`: the noise grid (`karras_schedule` in the seed pseudocode).

import ArgumentParser
import ConsistencyModels

struct InspectKarras: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "karras",
    abstract: "The noise grid of Karras et al. (2022), EDM Eq. 5, ascending.",
    discussion: """
      t_i = ( ε^(1/ρ) + (i−1)/(N−1) · (T^(1/ρ) − ε^(1/ρ)) )^ρ,  i = 1 … N

      The ends are not pinned to ε and T: t₁ may differ from ε by an ulp, as in a direct \
      evaluation of the formula.

      Example: cm inspect karras --count 3
               {"sigmas":[0.0020000000000000013,2.515218976147159,80.0]}
      """)

  @OptionGroup var grid: GridOptions

  func run() throws {
    let sigmas = try grid.sigmas()
    try printJSON(["sigmas": .numbers(sigmas)])
  }
}
