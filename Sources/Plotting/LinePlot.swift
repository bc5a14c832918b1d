// Several curves y(x) on one pair of axes: loss curves, metrics against training step.
import Foundation

extension PlotScript {
  /// One plot of several series as lines, with a legend of their titles; either axis may be
  /// logarithmic (points with a non-positive coordinate on a log axis are left out by gnuplot).
  ///
  /// ```
  /// set logscale y                                   (if logY)
  /// plot $series1 using 1:2 with lines lw 2 title 'CT', \
  ///      $series2 using 1:2 with lines lw 2 title 'CD'
  /// ```
  public static func linePlot(
    _ series: [Series], title: String = "", xLabel: String = "", yLabel: String = "",
    logX: Bool = false, logY: Bool = false, withPoints: Bool = false, key: String = "top right",
    width: Int = 900, height: Int = 700
  ) -> PlotScript {
    precondition(!series.isEmpty, "linePlot needs at least one series")
    var script = PlotScript(title: title, width: width, height: height)
    let references = series.enumerated().map { i, curve in
      script.add(curve.dataBlock(name: "series\(i + 1)"))
    }
    script.add("set title \(quoted(title))")
    script.add("set xlabel \(quoted(xLabel))")
    script.add("set ylabel \(quoted(yLabel))")
    if logX { script.add("set logscale x") }
    if logY { script.add("set logscale y") }
    script.add("set grid")
    script.add("set key \(key)")
    let curves = series.enumerated().map { i, curve in
      "\(references[i]) using 1:2 with \(withPoints ? "linespoints pt 7 ps 0.6" : "lines") lw 2 "
        + (curve.dashed ? "dt 2 " : "") + "lc rgb '\(curve.color(index: i))' title \(quoted(curve.title))"
    }
    script.add("plot " + curves.joined(separator: ", \\\n     "))
    return script
  }
}
