// `cm consistency-error`: how far a checkpoint's f_θ is from the exact consistency function f*,
// noise level by noise level (issue 4, "Exact consistency function").
//
//   $ cm consistency-error --checkpoint run/checkpoint.cmck --count 1000
//   {"dataset":"ring8","weights":"ema","k":30000,"count":1000,"seed":0,"sigmaMin":0.002,
//    "sigmas":[0.01,…,80.0],"meanError":[…],"standardError":[…],"meanErrorOverall":…}

import ArgumentParser
import ConsistencyModels
import Foundation

struct ConsistencyError: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "consistency-error",
    abstract: "E‖f_θ(x_t, t) − f*(x_t, t)‖ against the exact consistency function, per t, as JSON.",
    discussion: """
      x_t = x₀ + t·z with x₀ drawn from the dataset and z ~ N(0, I) (one draw for every t, \
      seeded by --seed). f* is the probability-flow ODE from (x_t, t) down to ε, solved with the \
      dataset's exact denoiser (Dormand–Prince 5(4) in ln t, tolerance 1e-10), so only the \
      datasets that are Gaussian mixtures have it: \(exactDatasets). standardError is each \
      mean's Monte Carlo standard error; meanErrorOverall is the mean over the t grid.
      """)

  @Option(help: "The checkpoint written by cm train.")
  var checkpoint: String
  @Option(
    help: "The dataset, one with an exact denoiser: \(exactDatasets) (default: the checkpoint's).",
    transform: Dataset.parser("--dataset"))
  var dataset: Dataset?
  @Option(help: "How many points x_t per noise level (≥ 2).")
  var count: String = "1000"
  @Option(help: "The seed of x₀ and z.")
  var seed: String = "0"
  @Option(
    help: """
      The noise levels t, comma-separated, each in (ε, T] (default: \(defaultGridCount) values \
      log-spaced from \(defaultGridStart) to T).
      """)
  var sigmas: String?
  @Option(
    help: "The parameters to measure: ema (θ_ema, the slow EMA sampling uses), target (θ⁻) or online (θ).",
    transform: WeightsChoice.parser("--weights"))
  var weights: WeightsChoice = .ema

  func run() throws {
    let count = try integer(self.count, flag: "--count", atLeast: 2, atMost: 1_000_000)
    let seed = try unsigned(self.seed, flag: "--seed")
    let saved = try readCheckpoint(checkpoint, flag: "--checkpoint")
    let state = saved.state
    let (epsilon, T) = (state.config.sigmaMin, state.config.sigmaMax)
    let dataset = self.dataset ?? state.config.dataset
    guard let mixture = dataset.mixture else {
      let whose = self.dataset == nil ? ", the checkpoint's" : ""
      throw usageError(
        "--dataset", mustBe: "one with an exact denoiser: \(exactDatasets)", got: dataset.name + whose)
    }
    let sigmas =
      try self.sigmas.map { try noiseLevels($0, sigmaMin: epsilon, sigmaMax: T) }
      ?? logSpaced(from: defaultGridStart, to: T, count: defaultGridCount)

    // f_θ(x, t) = c_skip(t)·x + c_out(t)·F_θ(c_in(t)·x, c_noise(t)) with θ⁻ or θ.
    let theta = parameters(of: state, weights: weights)
    let fTheta: ([Double], [Double]) -> [Double] = { x, t in state.model(parameters: theta, x: x, t: t) }
    var generator = SeededGenerator(seed: seed)
    let report = try consistencyError(
      of: fTheta, mixture: mixture, sigmas: sigmas, count: count, sigmaMin: epsilon, using: &generator)

    let fields: [String] = [
      "\"dataset\":\"\(dataset.name)\"",
      "\"weights\":\"\(weights)\"",
      "\"k\":\(state.k)",
      "\"count\":\(count)",
      "\"seed\":\(seed)",
      "\"sigmaMin\":" + (try number(epsilon, key: "sigmaMin")),
      "\"sigmas\":" + (try numbers(report.sigmas, key: "sigmas")),
      "\"meanError\":" + (try numbers(report.meanError, key: "meanError")),
      "\"standardError\":" + (try numbers(report.standardError, key: "standardError")),
      "\"meanErrorOverall\":" + (try number(report.meanErrorOverall, key: "meanErrorOverall")),
    ]
    print("{" + fields.joined(separator: ",") + "}")
  }
}

/// The datasets whose exact denoiser, and hence f*, is known.
private let exactDatasets = Dataset.allCases.filter { $0.mixture != nil }.map(\.name)
  .joined(separator: ", ")
/// The default grid: this many noise levels, log-spaced from `defaultGridStart` to T.
private let defaultGridCount = 12
private let defaultGridStart = 0.01

/// `count` values log-spaced from `a` to `b`, both ends exact:
/// t_i = exp(ln a + i/(count − 1) · (ln b − ln a)).
private func logSpaced(from a: Double, to b: Double, count: Int) -> [Double] {
  guard b > a else { return [b] }
  let (logA, logB) = (log(a), log(b))
  return (0..<count).map { i -> Double in
    if i == 0 { return a }
    if i == count - 1 { return b }
    let fraction = Double(i) / Double(count - 1)
    return exp(logA + fraction * (logB - logA))
  }
}

/// A --sigmas list: finite numbers, each in (ε, T].
private func noiseLevels(_ text: String, sigmaMin epsilon: Double, sigmaMax T: Double) throws -> [Double] {
  let requirement = "a comma-separated list of numbers in (ε, T] = (\(epsilon), \(T)]"
  guard let values = try? vector(text, flag: "--sigmas"), values.allSatisfy({ $0 > epsilon && $0 <= T })
  else {
    throw usageError("--sigmas", mustBe: requirement, got: text)
  }
  return values
}

/// A finite number in Swift's shortest round-trip form, as printJSON writes it.
private func number(_ x: Double, key: String) throws -> String {
  guard x.isFinite else {
    throw NonFiniteResult(
      description:
        "the result \(key) is \(x.isNaN ? "NaN" : "infinite") (a diverged model?); JSON has no inf or nan")
  }
  return x.description
}

private func numbers(_ xs: [Double], key: String) throws -> String {
  "[" + (try xs.map { try number($0, key: key) }).joined(separator: ",") + "]"
}

/// A measurement that came out NaN or infinite: not a usage error, so it exits with status 1.
struct NonFiniteResult: Error, CustomStringConvertible {
  var description: String
}
