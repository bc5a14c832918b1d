// The figures of `cm compare`: one standalone gnuplot script per figure, data inline, PNG beside it.

import ConsistencyModels
import Foundation
import Plotting

/// The colours of the contestants, the same in every figure.
enum ContestantColor {
  static let data = "#7f7f7f"
  static let teacher = "#9467bd"
  static let ct = "#d62728"
  static let cdOracle = "#1f77b4"
  static let cdEDM = "#2ca02c"
}

/// Everything the figures draw, gathered by `Compare`.
struct ComparisonFigures {
  struct Panel {
    var title: String
    var points: [Double]  // n × 2, row-major
    var color: String
  }
  struct Curve {
    var title: String
    var x: [Double]
    var y: [Double]
    var color: String
    var dashed = false
  }
  struct Jumps {
    var title: String
    var from: [SIMD2<Double>]
    var to: [SIMD2<Double>]
    var color: String
  }

  var datasetName: String
  var budgetName: String

  /// Scatter panels on shared axes (the data's extent, padded), so outliers show as clipped
  /// points at the edge rather than shrinking every panel.
  func samples(_ panels: [Panel], columns: Int) -> PlotScript {
    let rows = (panels.count + columns - 1) / columns
    return PlotScript.scatterPanels(
      panels.map { Series($0.title, flatPoints: $0.points, color: $0.color) },
      title: "samples: \(datasetName), budget \(budgetName)", columns: columns, pointSize: 0.25,
      range: paddedRange(panels[0].points), width: 330 * columns, height: 330 * rows + 40)
  }

  /// Curves on one pair of axes, with a legend below.
  func lines(
    _ curves: [Curve], title: String, xLabel: String, yLabel: String, logX: Bool = false,
    logY: Bool = false
  ) -> PlotScript {
    PlotScript.linePlot(
      curves.map { Series($0.title, x: $0.x, y: $0.y, color: $0.color, dashed: $0.dashed) },
      title: title, xLabel: xLabel, yLabel: yLabel, logX: logX, logY: logY, withPoints: true,
      key: "below maxrows 4", width: 900, height: 600)
  }

  /// Two panels: N against k, μ against k.
  func schedules(n: [Curve], mu: [Curve]) -> PlotScript {
    var script = PlotScript(title: "cm compare: N and μ schedules", width: 1000, height: 450)
    let nNames = n.enumerated().map { i, c in script.add(DataBlock(name: "n\(i + 1)", columns: [c.x, c.y])) }
    let muNames = mu.enumerated().map { i, c in
      script.add(DataBlock(name: "mu\(i + 1)", columns: [c.x, c.y]))
    }
    script.add("set multiplot layout 1,2 title 'discretization N and target decay μ against training step k'")
    script.add("set grid")
    script.add("set key top left")
    script.add("set xlabel 'k'")
    script.add("set title 'N (grid points, log scale)'")
    script.add("set logscale y")
    script.add(
      "plot "
        + n.enumerated().map { i, c in
          "\(nNames[i]) using 1:2 with steps lw 2 \(c.dashed ? "dt 2 " : "")lc rgb '\(c.color)' title \(PlotScript.quoted(c.title))"
        }.joined(separator: ", "))
    script.add("unset logscale y")
    script.add("set key center right")
    script.add("set title 'μ (EMA decay of θ⁻)'")
    script.add("set yrange [-0.05:1.05]")
    script.add(
      "plot "
        + mu.enumerated().map { i, c in
          "\(muNames[i]) using 1:2 with steps lw 2 \(c.dashed ? "dt 2 " : "")lc rgb '\(c.color)' title \(PlotScript.quoted(c.title))"
        }.joined(separator: ", "))
    script.add("unset multiplot")
    return script
  }

  /// Exact probability-flow ODE paths (grey), their ends f*(x_t, t) (black), and each model's one
  /// jump f_θ(x_t, t) from points on the paths (arrows), over a faint sample of the data.
  func trajectories(data: [Double], paths: [[SIMD2<Double>]], jumps: [Jumps]) -> PlotScript {
    var script = PlotScript(
      title: "cm compare: exact PF-ODE paths and one-step jumps", width: 900, height: 800)
    let dataName = script.add(DataBlock(name: "data", columns: 2, values: data))
    let pathNames = paths.enumerated().map { i, path in
      script.add(DataBlock(name: "path\(i + 1)", rows: path.map { [$0.x, $0.y] }))
    }
    let ends = paths.compactMap(\.last)
    let endName = script.add(DataBlock(name: "ends", rows: ends.map { [$0.x, $0.y] }))
    let jumpNames = jumps.enumerated().map { i, j in
      script.add(
        DataBlock(
          name: "jumps\(i + 1)",
          rows: zip(j.from, j.to).map { [$0.x, $0.y, $1.x - $0.x, $1.y - $0.y] }))
    }
    let all = data + paths.flatMap { $0.flatMap { [$0.x, $0.y] } }
    let range = paddedRange(all)
    script.add(
      "set title 'exact PF-ODE paths from t = \(trajectoryStart) to ε (grey) and one-step jumps f(x_t, t)'")
    script.add("set xrange [\(range.lowerBound):\(range.upperBound)]")
    script.add("set yrange [\(range.lowerBound):\(range.upperBound)]")
    script.add("set size ratio -1")
    script.add("set key below")
    var plots = [
      "\(dataName) using 1:2 with points pt 7 ps 0.2 lc rgb '#dddddd' title 'data'",
      "\(endName) using 1:2 with points pt 6 ps 1.8 lw 2 lc rgb 'black' title 'exact end f*(x_t, t)'",
    ]
    for (i, name) in pathNames.enumerated() {
      plots.append(
        "\(name) using 1:2 with lines lw 1.5 lc rgb '#555555' "
          + (i == 0 ? "title 'exact PF-ODE path'" : "notitle"))
    }
    for (i, j) in jumps.enumerated() {
      plots.append(
        "\(jumpNames[i]) using 1:2:3:4 with vectors head filled size screen 0.012,20 lw 1.5 "
          + "lc rgb '\(j.color)' title \(PlotScript.quoted(j.title))")
    }
    script.add("plot " + plots.joined(separator: ", \\\n     "))
    return script
  }
}

/// [min − 10%, max + 10%] over both coordinates of finite points (a square window).
private func paddedRange(_ points: [Double]) -> ClosedRange<Double> {
  let finite = points.filter(\.isFinite)
  guard let low = finite.min(), let high = finite.max(), high > low else { return -1...1 }
  let pad = 0.1 * (high - low)
  return (low - pad)...(high + pad)
}

extension ComparisonFigures {
  /// The six figures of a comparison, by file name (without `.gp`).
  static func all(_ c: Comparison) -> [(name: String, script: PlotScript)] {
    let summary = c.summary
    let figures = ComparisonFigures(datasetName: summary.dataset, budgetName: summary.budget.name)
    let colors = [
      "ct": ContestantColor.ct, "cd-oracle": ContestantColor.cdOracle, "cd-edm": ContestantColor.cdEDM,
    ]
    let models = c.models.map { (model: $0, color: colors[$0.key] ?? "black") }
    let K = Double(summary.budget.steps)
    let samples = figures.samples(
      [
        Panel(
          title: "data (\(c.reference.count / 2) points)", points: c.reference, color: ContestantColor.data),
        Panel(title: "EDM teacher, 18-step Heun", points: c.teacherSamples, color: ContestantColor.teacher),
        Panel(title: "oracle teacher, 18-step Heun", points: c.oracleSamples, color: ContestantColor.teacher),
      ]
        + models.flatMap { m in
          [
            Panel(title: "\(m.model.title), 1 step", points: m.model.oneStep, color: m.color),
            Panel(
              title: "\(m.model.title), 2 steps (τ = \(format(m.model.tauSearch.taus[0], digits: 3)))",
              points: m.model.twoStep, color: m.color),
          ]
        }, columns: 3)
    let loss = figures.lines(
      models.map { m in
        Curve(
          title: m.model.title, x: m.model.curve.map { Double($0.k) }, y: m.model.curve.map(\.loss),
          color: m.color)
      }, title: "training loss (mean over each interval)", xLabel: "training step k", yLabel: "loss L(θ, θ⁻)",
      logY: true)
    let quality = figures.lines(
      models.flatMap { m in
        [
          Curve(
            title: "\(m.model.title), 1 step", x: m.model.curve.map { Double($0.k) },
            y: m.model.curve.map(\.sw1OneStep), color: m.color),
          Curve(
            title: "\(m.model.title), 2 steps (τ = 0.8)", x: m.model.curve.map { Double($0.k) },
            y: m.model.curve.map(\.sw1TwoStep), color: m.color, dashed: true),
        ]
      } + [
        Curve(
          title: "noise floor (true sample)", x: [0, K], y: [c.curveNoiseFloor, c.curveNoiseFloor],
          color: "black",
          dashed: true)
      ],
      title:
        "sample quality during training (sliced W1, \(summary.curveProbe.count) samples; lower is better)",
      xLabel: "training step k", yLabel: "SW1 to the data", logY: true)
    let consistency = figures.lines(
      zip(models, summary.models).map { m, scored in
        Curve(
          title: m.model.title, x: consistencySigmas, y: scored.consistencyError.meanError, color: m.color)
      }, title: "distance to the exact consistency function f* (PF-ODE solved to 1e-8)",
      xLabel: "noise level t",
      yLabel: "E ‖f_θ(x_t, t) − f*(x_t, t)‖", logX: true, logY: true)
    let ct = c.models[0].state.config.schedule
    let cd = c.models[1].state.config.schedule
    let k = Array(stride(from: 0, through: summary.budget.steps, by: max(1, summary.budget.steps / 200)))
    let Ki = summary.budget.steps
    let schedules = figures.schedules(
      n: [
        Curve(
          title: ctCurriculumTitle(ct), x: k.map(Double.init), y: k.map { Double(ct.N(k: $0, K: Ki)) },
          color: ContestantColor.ct),
        Curve(
          title: "CD: N = \(cd.N(k: 0, K: Ki)) fixed", x: [0, K],
          y: [Double(cd.N(k: 0, K: Ki)), Double(cd.N(k: Ki, K: Ki))],
          color: ContestantColor.cdOracle, dashed: true),
      ],
      mu: [
        Curve(
          title: ctDecayTitle(ct), x: k.map(Double.init), y: k.map { ct.mu(k: $0, K: Ki) },
          color: ContestantColor.ct),
        Curve(
          title: "CD: μ = \(cd.mu(k: 0, K: Ki)) fixed", x: [0, K],
          y: [cd.mu(k: 0, K: Ki), cd.mu(k: Ki, K: Ki)],
          color: ContestantColor.cdOracle, dashed: true),
      ])
    let trajectories = figures.trajectories(
      data: c.trajectories.data, paths: c.trajectories.paths,
      jumps: models.map { m in
        Jumps(
          title: "\(m.model.title): f_θ(x_t, t)", from: c.trajectories.marks.map(\.x), to: m.model.jumps,
          color: m.color)
      })
    return [
      ("samples", samples), ("loss", loss), ("quality", quality), ("consistency-error", consistency),
      ("schedules", schedules), ("trajectories", trajectories),
    ]
  }
}

/// The legend of CT's N(k) in the schedules figure, for the curriculum the run used.
func ctCurriculumTitle(_ schedule: DiscretizationSchedule) -> String {
  switch schedule {
  case .ctCurriculum: return "CT: N(k), √ growth (CM App. C)"
  case .ictCurriculum: return "CT: N(k), doubling (iCT §3.4)"
  case .fixed(let N, _): return "CT: N = \(N) fixed"
  }
}

/// The legend of CT's μ(k) in the schedules figure.
func ctDecayTitle(_ schedule: DiscretizationSchedule) -> String {
  switch schedule {
  case .ctCurriculum(_, _, let mu0, _), .ictCurriculum(_, _, let mu0):
    return mu0 == 0 ? "CT: μ = 0, θ⁻ = stopgrad θ (iCT §3.2)" : "CT: μ(k) = exp(s₀ ln μ₀ / N(k))"
  case .fixed(_, let mu): return "CT: μ = \(mu) fixed"
  }
}
