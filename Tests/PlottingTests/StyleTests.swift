// The style options of the figure builders: a series' own colour and dash, fixed scatter ranges,
// points on lines, and series from flat point arrays.
import Foundation
import Testing

@testable import Plotting

@Suite struct StyleTests {
  @Test func seriesFromFlatPoints() {
    let series = Series("s", flatPoints: [1, 2, 3, 4, 5, 6], color: "#123456")
    #expect(series.x == [1, 3, 5] && series.y == [2, 4, 6])
    #expect(series.color(index: 3) == "#123456")
    #expect(Series("t", x: [0], y: [0]).color(index: 1) == seriesColors[1])
  }

  @Test func linePlotUsesEachSeriesStyle() {
    let script = PlotScript.linePlot(
      [
        Series("solid", x: [1, 2], y: [3, 4], color: "#d62728"),
        Series("dashed", x: [1, 2], y: [5, 6], color: "#1f77b4", dashed: true),
        Series("palette", x: [1, 2], y: [7, 8]),
      ], withPoints: true, key: "below")
    let plot = script.commands.first { $0.hasPrefix("plot ") } ?? ""
    #expect(script.commands.contains("set key below"))
    #expect(plot.contains("with linespoints pt 7 ps 0.6 lw 2 lc rgb '#d62728' title 'solid'"))
    #expect(plot.contains("with linespoints pt 7 ps 0.6 lw 2 dt 2 lc rgb '#1f77b4' title 'dashed'"))
    #expect(plot.contains("lc rgb '\(seriesColors[2])' title 'palette'"))
  }

  @Test func scatterPanelsTakeAFixedRange() {
    let panels = [Series("a", x: [0, 100], y: [0, -100]), Series("b", x: [1], y: [1], color: "#000000")]
    let fixed = PlotScript.scatterPanels(panels, range: -2...2)
    #expect(fixed.commands.contains("set xrange [-2.0:2.0]"))
    #expect(fixed.commands.contains("set yrange [-2.0:2.0]"))
    #expect(fixed.commands.contains { $0.contains("lc rgb '#000000'") })
    let automatic = PlotScript.scatterPanels(panels)
    #expect(automatic.commands.contains("set xrange [-5.0:105.0]"))
  }
}
