// `cm edit interpolate`: one-step samples along spherical interpolations between noise vectors
// (CM App. D), drawn as paths over the data.

import ArgumentParser
import ConsistencyModels
import Foundation
import Plotting

struct EditInterpolate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "interpolate",
    abstract: "One-step samples along the slerp between two noise vectors (CM App. D), as paths.",
    discussion: """
      For each pair z₁, z₂ ~ N(0, I) and α from 0 to 1: x(α) = f(T·slerp(z₁, z₂; α), T). \
      Writes interpolation.csv (pair, alpha, x, y) and interpolation.gp / .png into --output.
      """)

  @Option(help: "The checkpoint written by cm train.")
  var checkpoint: String
  @Option(help: "How many pairs of noise vectors (1…100).")
  var pairs: String = "4"
  @Option(help: "How many points α on each path (2…10000).")
  var points: String = "60"
  @Option(help: "The seed of the noise vectors.")
  var seed: String = "0"
  @Option(
    help: "The parameters to sample with: ema (θ_ema), target (θ⁻) or online (θ).",
    transform: WeightsChoice.parser("--weights"))
  var weights: WeightsChoice = .ema
  @Option(help: "The folder to write into (created if missing).")
  var output: String

  func run() throws {
    let pairs = try integer(self.pairs, flag: "--pairs", atLeast: 1, atMost: 100)
    let points = try integer(self.points, flag: "--points", atLeast: 2, atMost: 10_000)
    let seed = try unsigned(self.seed, flag: "--seed")
    let state = try readCheckpoint(checkpoint, flag: "--checkpoint").state
    let folder = try outputFolder(output)
    let interpolation = runNoiseInterpolation(
      model: state.model, parameters: parameters(of: state, weights: weights),
      sigmaMax: state.config.sigmaMax, pairs: pairs, points: points, seed: seed)
    var csv = "pair,alpha,x,y\n"
    for (p, path) in interpolation.paths.enumerated() {
      for (alpha, x) in zip(interpolation.alphas, path) { csv += "\(p),\(alpha),\(x.x),\(x.y)\n" }
    }
    try writeOutput(Data(csv.utf8), "interpolation.csv", in: folder)
    var generator = SeededGenerator(seed: 7000)
    let data = state.config.dataset.sample(count: 1500, using: &generator)
    say("\(pairs) paths of \(points) one-step samples, α from 0 to 1 (slerp of the noise)")
    let script = PlotScript.trajectoryPlot(
      interpolation.paths, background: Series("data", flatPoints: data),
      title: "cm edit interpolate: f(T·slerp(z₁, z₂; α), T), α = 0 … 1", arrows: false)
    try renderFigure(script, name: "interpolation", in: folder, alsoWrote: ["interpolation.csv"])
  }
}
