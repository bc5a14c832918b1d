// `cm edit conditional`: CM Algorithm 4 with one coordinate of the 2-D data fixed, scored against
// the exact conditional of the dataset's mixture.
//
//   $ cm edit conditional --checkpoint runs/cd/checkpoint.cmck --coordinate x --value 0 --output edit
//   x = 0: SW1 0.0123 against the exact conditional, noise floor 0.0101 (1.22×) …

import ArgumentParser
import ConsistencyModels
import Foundation
import Plotting

struct EditConditional: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conditional",
    abstract: "Sample with one coordinate fixed (CM Algorithm 4) and score against the exact conditional.",
    discussion: """
      y keeps the fixed coordinate; x ~ N(y, t₁²I); x ← f(x, t₁); the fixed coordinate is put \
      back; then for each t_n: x ← f(x + √(t_n² − ε²)·z, t_n) and it is put back again. The \
      times are the --steps largest points of the Karras grid of --steps + 1 points from ε to T. \
      Writes conditional.csv (x,y), conditional.json (the scores and the exact conditional) and \
      conditional.gp / .png into --output. Needs a dataset with an exact denoiser (a Gaussian \
      mixture): \(mixtureDatasets).
      """)

  @Option(help: "The checkpoint written by cm train.")
  var checkpoint: String
  @Option(help: "The coordinate to fix: x or y.")
  var coordinate: String
  @Option(help: "Its value (a number in [−1000, 1000]).")
  var value: String
  @Option(help: "N, the number of times t₁ > … > t_N of Algorithm 4 (1…1000).")
  var steps: String = "\(defaultEditingSteps)"
  @Option(help: "How many samples (2…1000000).")
  var count: String = "2000"
  @Option(help: "The seed of the noise (the exact reference uses seed + 1).")
  var seed: String = "0"
  @Option(
    help: "The parameters to edit with: ema (θ_ema), target (θ⁻) or online (θ).",
    transform: WeightsChoice.parser("--weights"))
  var weights: WeightsChoice = .ema
  @Option(help: "The folder to write into (created if missing).")
  var output: String
  @Flag(
    help:
      "Also run Algorithm 4 with the dataset's exact consistency function f* in place of f_θ (a perfect model; one ODE solve per point and step, slow)."
  )
  var exactModel = false

  func run() throws {
    guard let j = ["x": 0, "y": 1][coordinate] else {
      throw usageError("--coordinate", mustBe: "one of x, y", got: coordinate)
    }
    // The data lives within about ±1; beyond ±1000 the squared distances of Bayes' rule lose
    // all precision (and beyond ~1e154 they overflow).
    let value = try real(self.value, flag: "--value")
    guard abs(value) <= maxEditValue else {
      throw usageError(
        "--value", mustBe: "a number in [−\(Int(maxEditValue)), \(Int(maxEditValue))]", got: self.value)
    }
    let steps = try integer(self.steps, flag: "--steps", atLeast: 1, atMost: 1000)
    let count = try integer(self.count, flag: "--count", atLeast: 2, atMost: 1_000_000)
    let seed = try unsigned(self.seed, flag: "--seed")
    let state = try readCheckpoint(checkpoint, flag: "--checkpoint").state
    guard let mixture = state.config.dataset.mixture else {
      throw ValidationError(
        "--checkpoint: its dataset \(state.config.dataset.name) has no exact conditional (use one of \(mixtureDatasets))"
      )
    }
    let folder = try outputFolder(output)
    let times = editingTimes(count: steps, sigmaMin: state.config.sigmaMin, sigmaMax: state.config.sigmaMax)
    let edit = runConditionalEdit(
      model: state.model, parameters: parameters(of: state, weights: weights), mixture: mixture,
      fixedCoordinate: j, value: value, times: times, count: count, seed: seed)

    var csv = "x,y\n"
    for i in 0..<count { csv += "\(edit.samples[2 * i]),\(edit.samples[2 * i + 1])\n" }
    try writeOutput(Data(csv.utf8), "conditional.csv", in: folder)
    let record = ConditionalEditRecord(
      checkpoint: checkpoint, dataset: state.config.dataset.name, weights: weights.rawValue,
      fixedCoordinate: coordinate, value: value, times: times, count: count, seed: seed,
      exactConditional: edit.exactConditional, report: edit.report, ratioToFloor: edit.ratioToFloor)
    try writeOutput(try prettyJSON(record), "conditional.json", in: folder)
    let sw1 = edit.report.slicedWasserstein1
    say(
      "\(coordinate) = \(value), N = \(steps): SW1 \(format(sw1.value, digits: 4)) against the exact conditional, "
        + "noise floor \(format(sw1.noiseFloor, digits: 4)) (\(format(edit.ratioToFloor, digits: 2))×), "
        + "Gaussian \(format(sw1.gaussianBaseline, digits: 4)); n = \(count)")
    if exactModel {
      // The same noise, with f* (the PF ODE of the exact denoiser, tolerance 1e-8) as f.
      var failure: Error?
      let perfect = runConditionalEdit(
        mixture: mixture, fixedCoordinate: j, value: value, times: times, sigmaMin: state.config.sigmaMin,
        count: count, seed: seed
      ) { x, t in
        do {
          return try mixture.exactConsistencyFunction(
            batch: x, t: t, sigmaMin: state.config.sigmaMin, relativeTolerance: 1e-8, absoluteTolerance: 1e-8)
        } catch {
          failure = error
          return x
        }
      }
      if let failure { throw RunFailed(description: "the exact f* could not be computed: \(failure)") }
      let exact = perfect.report.slicedWasserstein1
      try writeOutput(try prettyJSON(perfect.report), "conditional-exact-model.json", in: folder)
      say(
        "the exact f* in place of f_θ: SW1 \(format(exact.value, digits: 4)), noise floor \(format(exact.noiseFloor, digits: 4)) "
          + "(\(format(perfect.ratioToFloor, digits: 2))×)")
    }
    let script = conditionalFigure(edit, coordinate: coordinate, data: dataSample(mixture))
    try renderFigure(
      script, name: "conditional", in: folder,
      alsoWrote: ["conditional.csv", "conditional.json"]
        + (exactModel ? ["conditional-exact-model.json"] : []))
  }
}

/// The largest |--value| accepted.
let maxEditValue = 1000.0

/// N of `cm edit conditional` without --steps.
let defaultEditingSteps = 20

/// The datasets that are Gaussian mixtures (an exact conditional, an exact denoiser).
let mixtureDatasets = Dataset.allCases.filter { $0.mixture != nil }.map(\.name).joined(separator: ", ")

/// conditional.json.
struct ConditionalEditRecord: Encodable {
  var checkpoint: String
  var dataset: String
  var weights: String
  var fixedCoordinate: String
  var value: Double
  var times: [Double]
  var count: Int
  var seed: UInt64
  var exactConditional: GaussianMixture
  var report: EvaluationReport
  var ratioToFloor: Double
}

/// 1500 points of the data, drawn the same way every time, to draw under a figure.
func dataSample(_ mixture: GaussianMixture) -> [Double] {
  var generator = SeededGenerator(seed: 7000)
  return mixture.sample(count: 1500, using: &generator)
}

/// Writes `name.gp` and renders `name.png` beside it; without gnuplot the script stays, with a note.
func renderFigure(_ script: PlotScript, name: String, in folder: URL, alsoWrote: [String]) throws {
  let url = folder.appendingPathComponent("\(name).gp")
  do {
    try script.write(to: url)
  } catch {
    throw IOFailure(description: "--output: \(error)")
  }
  do {
    try Gnuplot.render(scriptURL: url)
    say("wrote \(folder.path): " + (alsoWrote + ["\(name).gp", "\(name).png"]).joined(separator: ", "))
  } catch let error as PlotError {
    try reportRenderProblem(error, folder: folder.path)
  }
}

/// Two panels: the edited points over the data, and the free coordinate's histogram against the
/// exact conditional density.
func conditionalFigure(_ edit: ConditionalEdit, coordinate: String, data: [Double]) -> PlotScript {
  let free = 1 - edit.fixedCoordinate
  let freeName = free == 0 ? "x" : "y"
  var script = PlotScript(
    title: "cm edit conditional: \(coordinate) = \(edit.value)", width: 1100, height: 520)
  let dataBlock = script.add(DataBlock(name: "data", columns: 2, values: data))
  let samplesBlock = script.add(DataBlock(name: "edited", columns: 2, values: edit.samples))
  // The free coordinate: a histogram of the edited samples and the exact density on a fine grid.
  let values = (0..<edit.samples.count / 2).map { edit.samples[2 * $0 + free] }
  let lo = min(values.min()!, -1.2)
  let hi = max(values.max()!, 1.2)
  let binCount = 240
  let width = (hi - lo) / Double(binCount)
  var counts = [Double](repeating: 0, count: binCount)
  for v in values { counts[min(binCount - 1, max(0, Int((v - lo) / width)))] += 1 }
  let centres = (0..<binCount).map { lo + (Double($0) + 0.5) * width }
  let histogram = script.add(
    DataBlock(name: "histogram", columns: [centres, counts.map { $0 / (Double(values.count) * width) }]))
  let grid = (0..<2000).map { lo + Double($0) * (hi - lo) / 1999 }
  let density = grid.map { exp(edit.exactConditional.logDensity(x: [$0], t: 0)) }
  let exact = script.add(DataBlock(name: "exact", columns: [grid, density]))
  let ratio = format(edit.ratioToFloor, digits: 2)
  script.add("set multiplot layout 1,2 title \(PlotScript.quoted(script.title))")
  script.add("set grid")
  script.add("set size ratio -1")
  script.add("set title 'edited points over the data'")
  script.add("set key below")
  script.add(
    "plot \(dataBlock) using 1:2 with points pt 7 ps 0.3 lc rgb '#c0c0c0' title 'data', "
      + "\(samplesBlock) using 1:2 with points pt 7 ps 0.4 lc rgb '#d62728' title 'Algorithm 4'")
  script.add("set size noratio")
  script.add(
    "set title \(PlotScript.quoted("\(freeName) given \(coordinate) = \(edit.value): SW1 \(ratio)× the noise floor"))"
  )
  script.add("set xlabel '\(freeName)'")
  script.add("set ylabel 'density'")
  script.add(
    "plot \(histogram) using 1:2 with steps lw 1 lc rgb '#d62728' title 'Algorithm 4 (histogram)', "
      + "\(exact) using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'exact conditional'")
  script.add("unset multiplot")
  return script
}
