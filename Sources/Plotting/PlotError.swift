// What can go wrong between a PlotScript and its PNG, each case naming the file concerned.
import Foundation

/// A plot could not be written or rendered. The description names the file and what failed, in
/// a form a command-line tool can print as it is.
public enum PlotError: Error, Equatable, CustomStringConvertible {
  /// The `.gp` script (or its folder) could not be written.
  case cannotWrite(script: URL, reason: String)
  /// No `gnuplot` executable on PATH; the script is there to render by hand.
  case gnuplotNotFound(script: URL)
  /// gnuplot could not be run, or exited with an error; `output` is what it printed on stderr.
  case gnuplotFailed(script: URL?, exitStatus: Int?, output: String)
  /// gnuplot exited cleanly but the expected PNG is missing or is not a PNG.
  case noImage(script: URL, image: URL, reason: String)

  public var description: String {
    switch self {
    case .cannotWrite(let script, let reason):
      return "cannot write plot script \(script.path): \(reason)"
    case .gnuplotNotFound(let script):
      return "gnuplot not found on PATH; render with: gnuplot \(script.path)"
    case .gnuplotFailed(let script, let exitStatus, let output):
      let status = exitStatus.map { "exited with status \($0)" } ?? "failed"
      let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
      return "gnuplot \(status)\(script.map { " on \($0.path)" } ?? ""): \(trimmed)"
    case .noImage(let script, let image, let reason):
      return "gnuplot ran \(script.path) but \(image.path) \(reason)"
    }
  }
}
