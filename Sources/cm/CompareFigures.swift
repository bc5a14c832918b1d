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
    script.add("set key bottom right")
    script.add("set xlabel 'k'")
    script.add("set title 'N (grid points)'")
    script.add(
      "plot "
        + n.enumerated().map { i, c in
          "\(nNames[i]) using 1:2 with steps lw 2 \(c.dashed ? "dt 2 " : "")lc rgb '\(c.color)' title \(PlotScript.quoted(c.title))"
        }.joined(separator: ", "))
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

/// The noise level the trajectory figure starts its exact paths from.
let trajectoryStart = 1.0

/// [min − 10%, max + 10%] over both coordinates of finite points (a square window).
private func paddedRange(_ points: [Double]) -> ClosedRange<Double> {
  let finite = points.filter(\.isFinite)
  guard let low = finite.min(), let high = finite.max(), high > low else { return -1...1 }
  let pad = 0.1 * (high - low)
  return (low - pad)...(high + pad)
}
