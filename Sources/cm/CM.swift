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
      values exit with status 64 and one line on stderr naming the flag.
      """,
    // One file per subcommand; a new one (train, sample, evaluate, compare, bench) is added here.
    subcommands: [
      Inspect.self, Train.self, Pretrain.self, Sample.self, Evaluate.self, ConsistencyError.self,
      Compare.self, Bench.self,
    ])

  /// Replaces ArgumentParser's entry point so that every error is **one** line on stderr.
  ///
  /// ArgumentParser's own `main()` prints an error together with the usage text; scripts that
  /// call `cm` want a single line they can show or match. Help (`--help`, `cm help inspect`,
  /// a group called without a subcommand) still goes to stdout with status 0.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let status = exitCode(for: error)
      if status == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((oneLineMessage(for: error) + "\n").utf8))
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
    if message.isEmpty { message = "\(error)" }
    return "error: " + message
  }
}
