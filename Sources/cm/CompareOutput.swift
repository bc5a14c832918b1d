// Writing a comparison: its checkpoints, its figures (scripts and PNGs) and its summary.

import ArgumentParser
import ConsistencyModels
import Foundation
import Plotting

/// What `writeComparison` wrote, and why the figures were not rendered, if they were not.
struct ComparisonFiles {
  var names: [String]
  var renderProblem: PlotError?
  func joined(separator: String) -> String { names.joined(separator: separator) }
}

/// Writes the four checkpoints, the six figures (each `.gp`, and its `.png` when gnuplot
/// renders it) and summary.json / summary.md into `staging`. The summary lists only what was
/// written.
func writeComparison(_ comparison: Comparison, to staging: StagingFolder, gnuplotTimeLimit: Int) throws
  -> ComparisonFiles
{
  let folder = staging.url
  var names: [String] = []
  do {
    try writeAtomically(
      EDMPretrainingState<Float>.checkpointData(comparison.teacher),
      to: folder.appendingPathComponent("teacher.cmck"))
    names.append("teacher.cmck")
    for model in comparison.models {
      try writeAtomically(
        TrainingState<Float>.checkpointData(model.driver),
        to: folder.appendingPathComponent("\(model.key).cmck"))
      names.append("\(model.key).cmck")
    }
  } catch {
    throw IOFailure(description: "--output: \(error)")
  }
  var renderProblem: PlotError? = nil
  var scripts: [String] = []
  var images: [String] = []
  for (name, script) in ComparisonFigures.all(comparison) {
    let url = folder.appendingPathComponent("\(name).gp")
    do {
      try script.write(to: url)
    } catch {
      throw IOFailure(description: "--output: \(error)")
    }
    scripts.append("\(name).gp")
    guard renderProblem == nil else { continue }
    do {
      try Gnuplot.render(scriptURL: url, timeLimit: gnuplotTimeLimit)
      images.append("\(name).png")
    } catch let error as PlotError {
      renderProblem = error
    }
  }
  var summary = comparison.summary
  summary.files = scripts + images + names + ["summary.md", "summary.json"]
  do {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try writeAtomically(try encoder.encode(summary), to: folder.appendingPathComponent("summary.json"))
    try writeAtomically(Data(summary.markdown().utf8), to: folder.appendingPathComponent("summary.md"))
  } catch {
    throw IOFailure(description: "--output: \(error)")
  }
  return ComparisonFiles(names: summary.files, renderProblem: renderProblem)
}

/// Without gnuplot the figures stay as scripts (exit 0, with how to render them); a gnuplot that
/// fails or hangs is an error (exit 1), after everything else was written.
func reportRenderProblem(_ problem: PlotError, folder: String) throws {
  let howTo = "render them with: cd \(shellQuoted(folder)) && for f in *.gp; do gnuplot \"$f\"; done"
  if case .gnuplotNotFound = problem {
    say("plots not rendered (gnuplot is not installed); \(howTo)")
    return
  }
  throw RenderFailed(description: "plots not rendered: \(problem); the scripts are written, \(howTo)")
}

/// gnuplot failed or hung: exit 1.
struct RenderFailed: Error, CustomStringConvertible {
  var description: String
}

extension StagingFolder {
  /// A staging folder for `cm compare --output PATH`: an earlier comparison (a folder with
  /// summary.json) may be replaced; other contents need --force.
  convenience init(replacing path: String, flag: String, force: Bool) throws {
    do {
      try self.init(destination: path, force: force) { folder in
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("summary.json").path)
      }
    } catch {
      if error.isUsage { throw ValidationError("\(flag): \(error.description)") }
      throw IOFailure(description: "\(flag): \(error.description)")
    }
  }

  /// `commit()`, reported as an I/O failure; says where files it did not write were moved.
  func commitOrFail() throws {
    do {
      if let aside = try commit() {
        say("moved the earlier contents of \(destination.path), not written by cm compare, to \(aside.path)")
      }
    } catch {
      throw IOFailure(description: "--output: \(error.description)")
    }
  }
}

/// One line on standard output, written at once (unbuffered), so that progress shows as it happens
/// even when the output goes to a file or a pipe.
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A path as a shell word: unchanged when it is plain, else in single quotes.
func shellQuoted(_ text: String) -> String {
  let plain =
    !text.isEmpty
    && text.unicodeScalars.allSatisfy {
      CharacterSet.alphanumerics.contains($0) || "/._-+=:,@".unicodeScalars.contains($0)
    }
  return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The line that says 2-step samples use each model's tuned τ, with its held-out SW1 against the
/// default τ's.
func tunedTauNote(_ summary: ComparisonSummary) -> String {
  "2-step samples use each model's τ from cm tune-tau's search (held-out SW1, chosen τ against τ = \(defaultSamplingTau)): "
    + summary.models.map { model in
      let search = model.tauSearch
      return
        "\(model.key) \(search.label) (\(format(search.heldOutTunedSW1, digits: 4)) vs \(format(search.heldOutDefaultSW1, digits: 4)))"
    }.joined(separator: ", ")
}

extension Compare {
  /// The flags every comparison reads: the budget, the seed and gnuplot's time limit.
  func settings() throws -> (ComparisonBudget, UInt64, Int) {
    guard datasetsWithExactDenoiser.contains(dataset) else {
      let allowed = datasetsWithExactDenoiser.map(\.name).joined(separator: ", ")
      throw usageError("--dataset", mustBe: "a dataset with an exact denoiser: \(allowed)", got: dataset.name)
    }
    let seed = try unsigned(self.seed, flag: "--seed")
    let timeLimit = try integer(gnuplotTimeout, flag: "--gnuplot-timeout", atLeast: 1, atMost: 3600)
    return (ComparisonBudget.named(budget), seed, timeLimit)
  }

  /// Runs `body` with an observer that draws the progress bar, prints each announcement and stops
  /// on Ctrl-C; a failure becomes cm's error (exit 130 when interrupted).
  func observed<Result>(
    steps: Int, _ body: (ComparisonObserver) throws(ComparisonError) -> Result
  ) throws -> Result {
    Interruption.install()
    let progress = ProgressBar(total: steps)
    defer { progress.finish() }
    var observer = ComparisonObserver()
    observer.announce = { line in
      progress.finish()
      say(line)
    }
    observer.progress = { done, total in progress.update(done, of: total) }
    observer.shouldStop = { Interruption.requested }
    do {
      return try body(observer)
    } catch {
      progress.finish()
      if error == .interrupted { throw Interrupted(description: "interrupted: \(output) was left as it was") }
      throw RunFailed(description: error.description)
    }
  }
}
