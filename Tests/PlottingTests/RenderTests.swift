// Tests of Render.swift and the figure builders: gnuplot really runs (CI installs gnuplot-nox).
import Foundation
import Plotting
import Testing

/// A small spiral of points, deterministic.
private func spiral(_ n: Int, turn: Double) -> [SIMD2<Double>] {
  (0..<n).map { i in
    let t = Double(i) / Double(n) * 4 * .pi
    return SIMD2(t * cos(t + turn), t * sin(t + turn)) / 10
  }
}

@Suite struct RenderTests {
  let gnuplot: URL

  init() throws {
    gnuplot = try #require(
      Gnuplot.executable(), "gnuplot must be on PATH (apt-get install gnuplot-nox)")
  }

  /// Writes `script` into a fresh folder, renders it, and checks the PNG.
  private func renderChecked(_ script: PlotScript, name: String) throws {
    let folder = try temporaryFolder(name)
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("\(name).gp")
    let result = try script.render(to: url, gnuplot: gnuplot)
    #expect(result.imageURL == url.deletingPathExtension().appendingPathExtension("png"))
    #expect(headerBytes(result.imageURL) == Gnuplot.pngSignature)
    #expect(result.byteCount > 1000)
    #expect(result.gnuplotOutput.isEmpty, "gnuplot said: \(result.gnuplotOutput)")
  }

  @Test func scatterPanelsRender() throws {
    let panels = [
      Series("data", points: spiral(300, turn: 0)),
      Series("one-step samples", points: spiral(300, turn: 0.3)),
      Series("two-step samples", points: spiral(300, turn: 0.1)),
    ]
    let script = PlotScript.scatterPanels(panels, title: "moons: CT vs data")
    #expect(script.commands.first == "set multiplot layout 2,2 title 'moons: CT vs data'")
    try renderChecked(script, name: "scatter")
  }

  @Test func linePlotRendersWithLogAxes() throws {
    let steps = (1...200).map(Double.init)
    let script = PlotScript.linePlot(
      [
        Series("CT loss", x: steps, y: steps.map { 1 / $0 }),
        Series("CD loss", x: steps, y: steps.map { 0.5 / $0.squareRoot() }),
      ], title: "loss", xLabel: "k", yLabel: "loss", logX: true, logY: true)
    #expect(script.commands.contains("set logscale x"))
    #expect(script.commands.contains("set logscale y"))
    try renderChecked(script, name: "lines")
  }

  @Test func trajectoryPlotRenders() throws {
    let paths = (0..<12).map { i -> [SIMD2<Double>] in
      let start = SIMD2(cos(Double(i)), sin(Double(i))) * 2
      return (0...4).map { s in start * (1 - Double(s) / 5) }
    }
    let script = PlotScript.trajectoryPlot(
      paths, background: Series("data", points: spiral(200, turn: 0)), title: "multistep")
    #expect(script.dataBlocks.map(\.name) == ["background", "steps", "starts", "ends"])
    #expect(script.dataBlocks[1].rowCount == 12 * 4)
    try renderChecked(script, name: "trajectories")
    try renderChecked(PlotScript.trajectoryPlot(paths, arrows: false), name: "segments")
  }

  @Test func gnuplotErrorIsAFailureWithItsMessage() throws {
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("broken.gp")
    let image = folder.appendingPathComponent("broken.png")
    try Data(Gnuplot.pngSignature).write(to: image)  // a stale PNG must not count as success
    var script = PlotScript()
    script.add("plot no_such_function(x)")
    #expect {
      try script.render(to: url, gnuplot: gnuplot)
    } throws: { error in
      guard case PlotError.gnuplotFailed(let script, let status, let output) = error else {
        return false
      }
      return script == url.standardizedFileURL && status == 1
        && output.contains("undefined function") && "\(error)".contains(url.path)
    }
    #expect(headerBytes(image) != Gnuplot.pngSignature)
  }

  @Test func outputThatIsNotAPNGIsAFailure() throws {
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("text.gp")
    var script = PlotScript()
    script.add("set terminal dumb")  // overrides pngcairo: text lands in the .png
    script.add("plot x")
    #expect {
      try script.render(to: url, gnuplot: gnuplot)
    } throws: { error in
      guard case PlotError.noImage = error else { return false }
      return "\(error)".contains("does not start with the PNG signature")
    }
  }

  @Test func missingGnuplotStillWritesTheScriptAndSaysHowToRender() throws {
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("later.gp")
    #expect(Gnuplot.executable(searchPath: "/nonexistent:") == nil)
    #expect {
      try PlotScript.linePlot([Series("y", x: [1, 2], y: [3, 4])])
        .render(to: url, gnuplot: nil)
    } throws: { error in
      "\(error)"
        == "gnuplot not found on PATH; render with: gnuplot \(url.standardizedFileURL.path)"
    }
    #expect(FileManager.default.fileExists(atPath: url.path))
    // ... and rendering it later works.
    let result = try Gnuplot.render(scriptURL: url, gnuplot: gnuplot)
    #expect(headerBytes(result.imageURL) == Gnuplot.pngSignature)
  }
}
