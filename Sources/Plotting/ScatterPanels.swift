// Several 2-D point sets side by side on the same axes: data vs. one-step vs. multistep samples.
import Foundation

extension PlotScript {
  /// A grid of scatter plots, one titled panel per point set, all with the same x and y ranges
  /// and equal unit lengths, so that the panels compare by eye (gnuplot's `multiplot layout`).
  ///
  /// ```
  /// set multiplot layout rows,columns title 'title'
  /// set xrange [..]; set yrange [..]; set size ratio -1
  /// set title 'panel i'; plot $panel_i using 1:2 with points …     (for each panel)
  /// unset multiplot
  /// ```
  ///
  /// The shared ranges cover every finite point of every panel with 5% margin ([−1, 1] when
  /// there is none), or are `range` on both axes when given (so that a few far outliers do not
  /// shrink every panel); `columns` defaults to ⌈√(number of panels)⌉.
  public static func scatterPanels(
    _ panels: [Series], title: String = "", columns: Int? = nil, pointSize: Double = 0.4,
    range: ClosedRange<Double>? = nil, width: Int = 900, height: Int = 700
  ) -> PlotScript {
    precondition(!panels.isEmpty, "scatterPanels needs at least one panel")
    let columns = max(1, columns ?? Int(Double(panels.count).squareRoot().rounded(.up)))
    let rows = (panels.count + columns - 1) / columns
    var script = PlotScript(title: title, width: width, height: height)
    let references = panels.enumerated().map { i, panel in
      script.add(panel.dataBlock(name: "panel\(i + 1)"))
    }
    script.add("set multiplot layout \(rows),\(columns) title \(quoted(title))")
    if let range {
      script.add("set xrange [\(range.lowerBound):\(range.upperBound)]")
      script.add("set yrange [\(range.lowerBound):\(range.upperBound)]")
    } else {
      script.add("set xrange \(paddedRange(panels.flatMap(\.x)) ?? "[-1:1]")")
      script.add("set yrange \(paddedRange(panels.flatMap(\.y)) ?? "[-1:1]")")
    }
    script.add("set size ratio -1")
    script.add("set tics font ',8'")  // small panels: keep the tick labels apart
    for (i, panel) in panels.enumerated() {
      script.add("set title \(quoted(panel.title))")
      script.add(
        "plot \(references[i]) using 1:2 with points pt 7 ps \(pointSize) "
          + "lc rgb '\(panel.color(index: i))' notitle")
    }
    script.add("unset multiplot")
    return script
  }
}
