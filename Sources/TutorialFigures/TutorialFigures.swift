// Where a numbered tutorial writes its figures, and how: a gnuplot script (data inline) with the
// PNG gnuplot renders beside it, in a folder relative to the current directory that the tutorial
// prints, so a learner finds them and the transcript holds no absolute path.
import Foundation
import Plotting

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The folder every tutorial writes its figures into, relative to the current directory:
/// `out/tutorials/NN-name.gp` and `.png`. `Tutorials/update-transcripts.sh` runs the tutorials
/// from the repository's root and copies this folder's files to `Tutorials/figures/`, the
/// committed copies the tutorial READMEs show.
public let tutorialFigureFolder = "out/tutorials"

/// Writes `script` as `out/tutorials/<name>.gp`, renders `<name>.png` beside it with gnuplot, and
/// returns the PNG's path relative to the current directory (what the tutorial prints).
///
/// ```
/// out/tutorials/.tmp-<uuid>/<name>.gp   written, rendered there (the PNG beside it)
/// out/tutorials/<name>.gp, <name>.png   each renamed into place (rename(2), atomic)
/// ```
///
/// Rendering in a private folder first means two runs of one tutorial at the same time (the
/// transcript tests do that) never see each other's half-made files, and a reader of
/// `out/tutorials` sees the old figure or the new one. When gnuplot is missing or fails, the
/// reason goes to standard error (the tutorial's printed text does not change) and the script is
/// still moved into place when it was written, so it can be rendered by hand.
@discardableResult
public func writeTutorialFigure(_ script: PlotScript, name: String) -> String {
  let folder = URL(fileURLWithPath: tutorialFigureFolder, isDirectory: true)
  let relative = "\(tutorialFigureFolder)/\(name).png"
  let scriptPath = "\(tutorialFigureFolder)/\(name).gp"
  let staging = folder.appendingPathComponent(".tmp-\(UUID().uuidString)", isDirectory: true)
  defer { try? FileManager.default.removeItem(at: staging) }
  let stagedScript = staging.appendingPathComponent("\(name).gp")
  let stagedImage = PlotScript.imageURL(forScript: stagedScript)
  var rendered = false
  var written = false
  do {
    try script.write(to: stagedScript)
    written = true
    try Gnuplot.render(scriptURL: stagedScript)
    rendered = true
  } catch PlotError.gnuplotNotFound {
    FileHandle.standardError.write(
      Data("figure \(relative): gnuplot not found on PATH; render with: gnuplot \(scriptPath)\n".utf8))
  } catch {
    // The message names the staging copy; the script itself is moved to scriptPath below.
    FileHandle.standardError.write(Data("figure \(relative) (script \(scriptPath)): \(error)\n".utf8))
  }
  func move(_ from: URL, _ to: String) {
    if rename(from.path, folder.appendingPathComponent(to).path) != 0 {
      let reason = String(cString: strerror(errno))
      FileHandle.standardError.write(
        Data("figure \(relative): cannot move \(to) into place: \(reason)\n".utf8))
    }
  }
  if written { move(stagedScript, "\(name).gp") }
  if rendered { move(stagedImage, "\(name).png") }
  return relative
}

extension PlotScript {
  /// Ends a figure of points in the plane: both axes over `points` with `margin` on every side
  /// and at one scale (a circle stays round), the key below the plot, and one `plot` command of
  /// `layers`.
  public mutating func plotFramed(_ layers: [String], around points: [[Double]], margin: Double = 0.15) {
    let (xLo, xHi) = (points.map { $0[0] }.min()! - margin, points.map { $0[0] }.max()! + margin)
    let (yLo, yHi) = (points.map { $0[1] }.min()! - margin, points.map { $0[1] }.max()! + margin)
    add("set xrange [\(xLo):\(xHi)]; set yrange [\(yLo):\(yHi)]")
    add("set size ratio -1")
    add("set key below")
    add("plot " + layers.joined(separator: ", \\\n     "))
  }
}
