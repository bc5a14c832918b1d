// Paths of points through the plane: where multistep sampling moves each sample, step by step.
import Foundation

extension PlotScript {
  /// Trajectories x₀ → x₁ → … drawn as arrows (or plain segments) over an optional background
  /// point set (e.g. the data), with each start and end marked.
  ///
  /// Each step of each trajectory is one row (x, y, Δx, Δy) of the data block `$steps`, drawn
  /// with gnuplot's `vectors` style:
  ///
  /// ```
  /// row for step i:  xᵢ  yᵢ  xᵢ₊₁ − xᵢ  yᵢ₊₁ − yᵢ
  /// plot $steps using 1:2:3:4 with vectors head filled …
  /// ```
  ///
  /// so a trajectory of n points gives n − 1 rows, and the axes have equal unit lengths.
  public static func trajectoryPlot(
    _ trajectories: [[SIMD2<Double>]], background: Series? = nil, title: String = "",
    arrows: Bool = true, width: Int = 900, height: Int = 700
  ) -> PlotScript {
    var script = PlotScript(title: title, width: width, height: height)
    var steps: [[Double]] = []
    for path in trajectories where path.count > 1 {
      for (from, to) in zip(path, path.dropFirst()) {
        steps.append([from.x, from.y, to.x - from.x, to.y - from.y])
      }
    }
    let nonEmpty = trajectories.filter { !$0.isEmpty }
    var layers: [String] = []
    if let background {
      let reference = script.add(background.dataBlock(name: "background"))
      layers.append(
        "\(reference) using 1:2 with points pt 7 ps 0.3 lc rgb '#c0c0c0' "
          + "title \(quoted(background.title))")
    }
    if !steps.isEmpty {
      let reference = script.add(DataBlock(name: "steps", rows: steps))
      let head = arrows ? "head filled size screen 0.008,20" : "nohead"
      layers.append(
        "\(reference) using 1:2:3:4 with vectors \(head) lw 1 lc rgb '\(seriesColors[0])' "
          + "title 'steps'")
    }
    if !nonEmpty.isEmpty {
      let (first, last) = (nonEmpty.map { $0[0] }, nonEmpty.map { $0[$0.count - 1] })
      let starts = script.add(DataBlock(name: "starts", columns: [first.map(\.x), first.map(\.y)]))
      let ends = script.add(DataBlock(name: "ends", columns: [last.map(\.x), last.map(\.y)]))
      layers.append(
        "\(starts) using 1:2 with points pt 6 ps 1.2 lc rgb '\(seriesColors[3])' title 'start'")
      layers.append(
        "\(ends) using 1:2 with points pt 7 ps 0.8 lc rgb '\(seriesColors[2])' title 'end'")
    }
    precondition(!layers.isEmpty, "trajectoryPlot needs a trajectory or a background")
    script.add("set title \(quoted(title))")
    script.add("set size ratio -1")
    script.add("set key outside right")
    script.add("plot " + layers.joined(separator: ", \\\n     "))
    return script
  }
}
