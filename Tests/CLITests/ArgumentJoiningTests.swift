// The pre-processing that lets `--steps -1` reach the option's own check.

import Foundation
import Testing
import _TestSupport

@testable import cm

@Suite struct ArgumentJoiningTests {
  @Test func joinsOnlyOptionsThatTakeAValueAndStopsAtDoubleDash() {
    #expect(joiningNegativeNumbers(["train", "--steps", "-1"]) == ["train", "--steps=-1"])
    #expect(joiningNegativeNumbers(["train", "--force", "-1"]) == ["train", "--force", "-1"])
    #expect(
      joiningNegativeNumbers(["train", "--init-from-teacher", "-0.5", "--seed", "-2"])
        == ["train", "--init-from-teacher", "-0.5", "--seed=-2"])
    #expect(
      joiningNegativeNumbers(["train", "--", "--seed", "-1", "--steps", "-2"])
        == ["train", "--", "--seed", "-1", "--steps", "-2"])
    #expect(joiningNegativeNumbers(["--steps=-1", "--seed", "x"]) == ["--steps=-1", "--seed", "x"])
  }

  /// The list of value-less flags matches what ArgumentParser reports for every subcommand.
  @Test func theListOfFlagsMatchesTheCommands() throws {
    let result = try runProduct("cm", ["--experimental-dump-help"])
    #expect(result.status == 0, "\(result.stderr)")
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    var found: Set<String> = []
    func walk(_ command: [String: Any]) {
      for argument in command["arguments"] as? [[String: Any]] ?? []
      where argument["kind"] as? String == "flag" {
        for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
          if let text = name["name"] as? String { found.insert("--" + text) }
        }
      }
      for sub in command["subcommands"] as? [[String: Any]] ?? [] { walk(sub) }
    }
    walk(try #require(root["command"] as? [String: Any]))
    #expect(found.contains("--force") && found.contains("--init-from-teacher"))
    #expect(
      found.isSubset(of: flagsWithoutValue),
      "missing from flagsWithoutValue: \(found.subtracting(flagsWithoutValue))")
  }
}
