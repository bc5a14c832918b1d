// The frame every numbered tutorial shares: its arguments, its "Step k of n" sections, the pause
// between them, and the three-column way of showing a value beside the seed pseudocode line and
// the paper's formula. No dependency on the library: a tutorial brings the math, this brings the
// page layout.

import Foundation

/// One run of a numbered tutorial: prints its title, then its steps in order, pausing between
/// steps when a person is reading along at a terminal.
///
/// A tutorial pauses ("press Return to continue") only when standard input *and* standard output
/// are both terminals and `--no-pause` was not given. Piped into a file, run by a test, or run by
/// CI with no standard input, it prints straight through, so the transcript is the same.
///
/// ```swift
/// var tutorial = Tutorial(number: 1, title: "The curriculum N(k)", steps: 4)
/// tutorial.step("N(k)")
/// tutorial.seed("num_timesteps = timestep_schedule(...)")
/// tutorial.paper("N(k) = ...", source: "CM App. C")
/// tutorial.value("N(0)", "2")
/// tutorial.finish()
/// ```
public struct Tutorial {
  /// The tutorial's number in the reading order.
  public let number: Int
  /// Its title, printed in the banner.
  public let title: String
  /// How many steps `step(_:)` will be called for.
  public let stepCount: Int
  /// Whether this run waits for Return between steps.
  public private(set) var pauses: Bool
  /// The step printed last (0 before the first).
  public private(set) var currentStep = 0

  /// Reads the options from `arguments` (the program name first, as in `CommandLine.arguments`)
  /// and prints the banner. Exits with status 2 and a usage line on an unknown argument, and
  /// with status 0 after the usage line for `--help`.
  public init(
    number: Int, title: String, steps: Int, arguments: [String] = CommandLine.arguments
  ) {
    self.number = number
    self.title = title
    self.stepCount = steps
    let options: TutorialOptions
    do {
      options = try TutorialOptions(arguments: Array(arguments.dropFirst()))
    } catch {
      FileHandle.standardError.write(Data("\(error)\n\(TutorialOptions.usage)\n".utf8))
      exit(2)
    }
    if options.help {
      print(TutorialOptions.usage)
      exit(0)
    }
    pauses = shouldPause(
      noPause: options.noPause,
      stdinIsTerminal: isatty(STDIN_FILENO) != 0,
      stdoutIsTerminal: isatty(STDOUT_FILENO) != 0)
    let banner = "Tutorial \(twoDigits(number)): \(title)"
    print(banner)
    print(String(repeating: "=", count: banner.count))
  }

  /// Starts the next step: pauses first (except before step 1), then prints its heading.
  public mutating func step(_ heading: String) {
    precondition(currentStep < stepCount, "Tutorial.step: more steps than announced")
    if currentStep > 0 { pause() }
    currentStep += 1
    let line = "Step \(currentStep) of \(stepCount): \(heading)"
    print("")
    print(line)
    print(String(repeating: "-", count: line.count))
  }

  /// A line of the seed pseudocode (the training loop), quoted as written.
  public func seed(_ line: String) {
    print("  seed   | \(line)")
  }

  /// A formula as the paper writes it, with where it comes from.
  public func paper(_ formula: String, source: String? = nil) {
    if let source {
      print("  paper  | \(formula)   (\(source))")
    } else {
      print("  paper  | \(formula)")
    }
  }

  /// The same step as another implementation writes it (the official code, a public repository).
  public func code(_ line: String, source: String? = nil) {
    if let source {
      print("  code   | \(line)   (\(source))")
    } else {
      print("  code   | \(line)")
    }
  }

  /// A computed value: its name (in the paper's symbols) and how it prints.
  public func value(_ name: String, _ shown: String) {
    print("  value  | \(name) = \(shown)")
  }

  /// Several computed values, their names padded to one width so that the values line up.
  public func values(_ rows: [(name: String, shown: String)]) {
    let width = rows.map(\.name.count).max() ?? 0
    for row in rows { value(padRight(row.name, to: width), row.shown) }
  }

  /// Where a figure was written (a path relative to the current directory, as the tutorial
  /// passes it), so that a learner can open it.
  public func figure(_ path: String) {
    print("  figure | \(path)")
  }

  /// A line of plain explanation, indented under the current step.
  public func note(_ text: String) {
    print("  \(text)")
  }

  /// An empty line.
  public func blank() {
    print("")
  }

  /// A table: a header row, then rows; every column padded to its widest cell, numbers
  /// right-aligned, the columns listed in `leftAligned` (names, labels) left-aligned.
  public func table(_ header: [String], _ rows: [[String]], leftAligned: Set<Int> = []) {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    func render(_ cells: [String]) -> String {
      let padded = cells.indices.map { column in
        leftAligned.contains(column)
          ? padRight(cells[column], to: widths[column]) : pad(cells[column], to: widths[column])
      }
      let line = "    " + padded.joined(separator: "  ")
      // An empty last cell must not leave trailing spaces in the transcript.
      return String(line.reversed().drop { $0 == " " }.reversed())
    }
    print(render(header))
    print("    " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    for row in rows { print(render(row)) }
  }

  /// Prints the closing line. Call once, after the last step.
  public mutating func finish() {
    precondition(
      currentStep == stepCount, "Tutorial.finish: announced \(stepCount) steps, ran \(currentStep)")
    print("")
    print("End of tutorial \(twoDigits(number)).")
  }

  /// Waits for Return when this run pauses; stops pausing for good once standard input ends.
  private mutating func pause() {
    guard pauses else { return }
    print("")
    print("  (press Return to continue)", terminator: "")
    fflush(nil)  // every C stream: the prompt has no newline, so it would sit in the buffer
    if readLine() == nil { pauses = false }
  }
}

/// The decision behind `Tutorial.pauses`, separate so that it can be read (and tested) on its own:
/// pause only for a person at a terminal who did not ask for `--no-pause`.
public func shouldPause(noPause: Bool, stdinIsTerminal: Bool, stdoutIsTerminal: Bool) -> Bool {
  !noPause && stdinIsTerminal && stdoutIsTerminal
}

/// The command-line options every tutorial accepts.
public struct TutorialOptions: Equatable, Sendable {
  /// `--no-pause`: run straight through even at a terminal.
  public var noPause = false
  /// `--help` or `-h`: print the usage line and exit.
  public var help = false

  /// The usage line.
  public static let usage = "usage: <tutorial> [--no-pause] [--help]"

  /// An argument the tutorials do not know.
  public struct UnknownArgument: Error, CustomStringConvertible {
    public var argument: String
    public var description: String { "unknown argument '\(argument)'" }
  }

  /// Parses the arguments that follow the program name.
  public init(arguments: [String]) throws {
    for argument in arguments {
      switch argument {
      case "--no-pause": noPause = true
      case "--help", "-h": help = true
      default: throw UnknownArgument(argument: argument)
      }
    }
  }
}

// MARK: - Number formatting
//
// Transcripts are compared byte for byte on every platform, so numbers are printed with a fixed
// number of significant digits: 10 at most, well inside the 15–17 digits a Double carries, so a
// last-place difference between two platforms' `exp`, `log` or `pow` cannot show.

/// x with `digits` significant digits (printf's `%g`: no trailing zeros, exponent when needed).
/// Negative zero prints as 0.
public func sig(_ x: Double, _ digits: Int = 10) -> String {
  precondition((1...15).contains(digits), "sig: between 1 and 15 significant digits")
  if x == 0 { return "0" }
  return String(format: "%.\(digits)g", x)
}

/// x with exactly `decimals` digits after the point (printf's `%f`). Negative zero prints as 0.
public func fixed(_ x: Double, _ decimals: Int) -> String {
  let shown = String(format: "%.\(decimals)f", x)
  return shown.hasPrefix("-") && Double(shown) == 0 ? String(shown.dropFirst()) : shown
}

/// x in scientific notation with `digits` significant digits (printf's `%e`).
public func sci(_ x: Double, _ digits: Int = 4) -> String {
  if x == 0 { return "0" }
  return String(format: "%.\(digits - 1)e", x)
}

/// A vector as (x₁, x₂, …), each entry with `digits` significant digits.
public func vec(_ v: [Double], _ digits: Int = 10) -> String {
  "(" + v.map { sig($0, digits) }.joined(separator: ", ") + ")"
}

/// `text` right-aligned in a field of `width` characters (left as is when longer).
public func pad(_ text: String, to width: Int) -> String {
  String(repeating: " ", count: max(0, width - text.count)) + text
}

/// `text` left-aligned in a field of `width` characters (left as is when longer).
public func padRight(_ text: String, to width: Int) -> String {
  text + String(repeating: " ", count: max(0, width - text.count))
}

private func twoDigits(_ n: Int) -> String {
  n < 10 ? "0\(n)" : "\(n)"
}
