// The `cm` command-line tool: the library's formulas and (later) its trainers, one subcommand
// per file. Each subcommand prints one line of JSON, so its numbers can be compared with a
// PyTorch or JAX implementation:
//
//   $ cm inspect curriculum --step 1000 --total-steps 800000
//   {"N":6}

import ArgumentParser
import Foundation

@main
struct CM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cm",
    abstract: "Consistency models, step by step: inspect, train, sample, compare.",
    discussion: """
      Defaults are those of Song et al. (2023), "Consistency Models" (CM), and of Song & \
      Dhariwal (2024), "Improved Techniques for Training Consistency Models" (iCT). Invalid \
      values exit with status 64 and one line on stderr naming the flag; a file that cannot be \
      read or written exits with 74, a diverged run with 1, and an interrupted run (Ctrl-C, \
      SIGTERM) with 130 after saving.
      """,
    // One file per subcommand; a new one (train, sample, evaluate, compare, bench) is added here.
    subcommands: [
      Inspect.self, Train.self, Pretrain.self, Sample.self, Evaluate.self, ConsistencyError.self,
      Compare.self, Bench.self, Edit.self, TuneTau.self,
    ])

  /// Replaces ArgumentParser's entry point so that every error is **one** line on stderr.
  ///
  /// ArgumentParser's own `main()` prints an error together with the usage text; scripts that
  /// call `cm` want a single line they can show or match. Help (`--help`, `cm help inspect`,
  /// a group called without a subcommand) still goes to stdout with status 0.
  static func main() {
    do {
      var command = try parseAsRoot(joiningNegativeNumbers(Array(CommandLine.arguments.dropFirst())))
      try command.run()
    } catch {
      let status = exitStatus(for: error)
      if status == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      // An interruption is not an error: it says where the run was saved and how to go on.
      let line = error is Interrupted ? "\(error)" : oneLineMessage(for: error)
      FileHandle.standardError.write(Data((line + "\n").utf8))
      Foundation.exit(status.rawValue)
    }
  }

  /// `error: <message>` with the message's lines joined, whatever error ArgumentParser or a
  /// subcommand threw (a missing option, an unknown flag, a value out of range).
  static func oneLineMessage(for error: Error) -> String {
    var message = message(for: error)
      .split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
      .joined(separator: " ")
    if message.lowercased().hasPrefix("error: ") { message.removeFirst("error: ".count) }
    // A typed option's parser throws our own message; ArgumentParser puts "The value 'x' is
    // invalid for '--flag <flag>': " before it, which would say the same thing twice.
    if let own = message.range(of: "^The value '.*' is invalid for '[^']*': ", options: .regularExpression) {
      message.removeSubrange(own)
    }
    if message.isEmpty { message = "\(error)" }
    return "error: " + message
  }

  /// ArgumentParser's status, except for the library's own failures: 74 for I/O, 130 for an
  /// interrupted run.
  static func exitStatus(for error: Error) -> ExitCode {
    switch error {
    case is IOFailure: return ExitCode(74)
    case is Interrupted: return ExitCode(130)
    default: return exitCode(for: error)
    }
  }
}

/// `--steps -1` as `--steps=-1`: ArgumentParser reads a word starting with "-" as a flag, so a
/// negative number after an option would be "a missing value"; joined, it reaches the option's
/// own check and gets its message ("--steps must be an integer ≥ 1 (got -1)").
///
/// Only an option that takes a value is joined: not a flag (`--force -1` stays two words, and
/// ArgumentParser names the stray -1), and nothing after `--`, which ends the options.
func joiningNegativeNumbers(
  _ arguments: [String], flagsWithoutValue: Set<String> = flagsWithoutValue
) -> [String] {
  var result: [String] = []
  var index = 0
  while index < arguments.count {
    let word = arguments[index]
    if word == "--" {
      result += arguments[index...]
      break
    }
    if word.hasPrefix("--"), !word.contains("="), !flagsWithoutValue.contains(word),
      index + 1 < arguments.count,
      arguments[index + 1].range(of: "^-[0-9.]", options: .regularExpression) != nil
    {
      result.append(word + "=" + arguments[index + 1])
      index += 2
    } else {
      result.append(word)
      index += 1
    }
  }
  return result
}

/// Every `cm` flag that takes no value (the @Flag properties, and ArgumentParser's own); a test
/// compares it with what `cm … --experimental-dump-help` lists.
let flagsWithoutValue: Set<String> = [
  "--ablation", "--exact-model", "--force", "--help", "--init-from-teacher", "--no-peak", "--version",
]
