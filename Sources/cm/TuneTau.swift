// `cm tune-tau`: choose the intermediate noise levels τ of 2- or 3-step sampling by SW1, and
// check the choice against the default on held-out seeds.
//
//   $ cm tune-tau --checkpoint out/compare/ct.cmck --steps 2
//   tuned τ = 3.7977 (27 schedules scored on sampling seeds 1, 7, mean SW1 0.0231; validation: searched 0.0215, default 0.0241)
//   held-out sampling seeds 3, 9, 15, n = 2000 each: tuned τ mean SW1 0.0204, default τ = 0.8000 mean SW1 0.0247, noise floor 0.0160

import ArgumentParser
import ConsistencyModels
import Foundation

struct TuneTau: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune-tau",
    abstract:
      "Search the τ of 2- or 3-step sampling by SW1, and score it against the default on held-out seeds.",
    discussion: """
      Each schedule is scored by the mean SW1 of --count samples (θ_ema unless --weights) \
      against a data sample, over two seed pairs: data --seed and --seed + 4, noise one above \
      each. τ₁ is searched over ln τ in [ln 2ε, ln T): a scan of 9 points, then 16 \
      golden-section steps. For 3 steps τ₂ is then searched below τ₁ (CM's greedy order) and τ₁ \
      once more above τ₂. The default (τ_i = 0.8·2^-(i−1)) is scored too and kept unless a \
      searched τ scored lower. The chosen τ and the default are then scored on three held-out \
      pairs the search never saw (data --seed + 2, + 6, + 10, noise one above each), averaged.
      """)

  @Option(help: "The checkpoint written by cm train.")
  var checkpoint: String
  @Option(help: "The number of sampling steps: 2 or 3.")
  var steps: String
  @Option(help: "Samples per score (100…100000).")
  var count: String = "2000"
  @Option(help: "The search's seed (see above for the seeds it derives).")
  var seed: String = "0"
  @Option(
    help: "The parameters to sample with: ema (θ_ema), target (θ⁻) or online (θ).",
    transform: WeightsChoice.parser("--weights"))
  var weights: WeightsChoice = .ema
  @Option(help: "A JSON file to write the search into (optional).")
  var output: String?

  func run() throws {
    let steps = try integer(self.steps, flag: "--steps", atLeast: 2, atMost: 3)
    let count = try integer(self.count, flag: "--count", atLeast: 100, atMost: 100_000)
    let seed = try unsigned(self.seed, flag: "--seed")
    if let output, output.trimmingSpaces.isEmpty {
      throw usageError("--output", mustBe: "a file path", got: output)
    }
    // A folder where the JSON file should go fails now, not after the search.
    var isDirectory: ObjCBool = false
    if let output, FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      throw IOFailure(description: "--output: \(output) is a folder, not a file")
    }
    let state = try readCheckpoint(checkpoint, flag: "--checkpoint").state
    let search = tuneSamplingTaus(
      model: state.model, parameters: parameters(of: state, weights: weights),
      sigmaMax: state.config.sigmaMax, dataset: state.config.dataset, steps: steps, count: count,
      seed: seed)
    if let output {
      do {
        try writeAtomically(try prettyJSON(search), to: URL(fileURLWithPath: output))
      } catch {
        throw IOFailure(description: "--output: \(error)")
      }
    }
    say(search.summary)
  }
}
