// `cm edit conditional`, `cm edit interpolate` and `cm tune-tau` through the binary: what they
// write and print, and the bad inputs they reject.

import Foundation
import Testing
import _TestSupport

@Suite(.serialized) struct EditTests {
  @Test("edit conditional writes the samples, the scores against the exact conditional and the figure")
  func conditional() throws {
    let folder = try scratchFolder("cm-edit")
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = try trainTiny(in: folder, steps: 20)
    let out = folder.appendingPathComponent("out").path
    let arguments = [
      "edit", "conditional", "--checkpoint", checkpoint, "--coordinate", "y", "--value", "0.5", "--steps",
      "3",
      "--count", "100", "--output", out,
    ]
    let result = try cm(arguments)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("y = 0.5, N = 3: SW1 "))
    #expect(result.stdout.contains("noise floor"))
    let csv = try String(contentsOfFile: out + "/conditional.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.first == "x,y" && csv.count == 101)
    #expect(csv.dropFirst().allSatisfy { $0.hasSuffix(",0.5") })
    let json = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: out + "/conditional.json")))
        as? [String: Any])
    #expect(json["fixedCoordinate"] as? String == "y")
    #expect((json["times"] as? [Double])?.count == 3)
    #expect(json["ratioToFloor"] as? Double != nil)
    #expect(FileManager.default.fileExists(atPath: out + "/conditional.gp"))
    // Same inputs, same samples.
    let again = try String(contentsOfFile: out + "/conditional.csv", encoding: .utf8)
    _ = try cm(arguments)
    #expect(try String(contentsOfFile: out + "/conditional.csv", encoding: .utf8) == again)
  }

  @Test("edit interpolate writes one path per pair")
  func interpolate() throws {
    let folder = try scratchFolder("cm-edit")
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = try trainTiny(in: folder, steps: 20)
    let out = folder.appendingPathComponent("out").path
    let result = try cm([
      "edit", "interpolate", "--checkpoint", checkpoint, "--pairs", "3", "--points", "7", "--output", out,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let csv = try String(contentsOfFile: out + "/interpolation.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.first == "pair,alpha,x,y" && csv.count == 1 + 3 * 7)
    #expect(csv[1].hasPrefix("0,0.0,") && csv[21].hasPrefix("2,1.0,"))
    #expect(FileManager.default.fileExists(atPath: out + "/interpolation.gp"))
  }

  @Test("tune-tau prints the tuned and the default τ on the held-out seed, and writes the search")
  func tuneTau() throws {
    let folder = try scratchFolder("cm-edit")
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = try trainTiny(in: folder, steps: 20)
    let json = folder.appendingPathComponent("tau.json").path
    let result = try cm([
      "tune-tau", "--checkpoint", checkpoint, "--steps", "3", "--count", "100", "--seed", "4", "--output",
      json,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("tuned τ = "))
    #expect(result.stdout.contains("held-out sampling seeds 7, 13, 19, n = 100 each: tuned τ mean SW1 "))
    #expect(result.stdout.contains("default τ = 0.8000, 0.4000 mean SW1 "))
    let search = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
    let taus = try #require(search["taus"] as? [Double])
    #expect(taus.count == 2 && taus[0] > taus[1] && taus[1] > 0.002 && taus[0] < 80)
  }

  @Test("bad values exit 64 (74 for files) with one line naming the flag")
  func badValues() throws {
    let folder = try scratchFolder("cm-edit")
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = try trainTiny(in: folder, steps: 5)
    let out = folder.appendingPathComponent("out").path
    let conditional = ["edit", "conditional", "--checkpoint", checkpoint, "--output", out]
    let fixed = conditional + ["--coordinate", "x", "--value", "0"]
    let interpolate = ["edit", "interpolate", "--checkpoint", checkpoint, "--output", out]
    let tune = ["tune-tau", "--checkpoint", checkpoint]
    let file = folder.appendingPathComponent("a-file").path
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    let cases: [BadInput] = [
      BadInput(conditional + ["--coordinate", "z", "--value", "0"], names: "--coordinate"),
      BadInput(conditional + ["--coordinate", "x", "--value", "nan"], names: "--value"),
      BadInput(conditional + ["--coordinate", "x", "--value", "abc"], names: "--value"),
      BadInput(conditional + ["--coordinate", "x", "--value", "1e200"], names: "--value"),
      BadInput(conditional + ["--coordinate", "y", "--value", "-1000.5"], names: "[−1000, 1000]"),
      BadInput(conditional + ["--value", "0"], names: "--coordinate"),
      BadInput(fixed + ["--steps", "0"], names: "--steps"),
      BadInput(fixed + ["--steps", "1001"], names: "--steps"),
      BadInput(fixed + ["--count", "1"], names: "--count"),
      BadInput(fixed + ["--seed", "-1"], names: "--seed"),
      BadInput(fixed + ["--weights", "both"], names: "--weights"),
      BadInput(
        [
          "edit", "conditional", "--checkpoint", folder.appendingPathComponent("missing").path, "--output",
          out,
          "--coordinate", "x", "--value", "0",
        ], names: "--checkpoint", status: 74),
      BadInput(
        [
          "edit", "conditional", "--checkpoint", checkpoint, "--output", file, "--coordinate", "x", "--value",
          "0",
        ],
        names: "--output", status: 74),
      BadInput(
        ["edit", "interpolate", "--checkpoint", checkpoint, "--output", ""], names: "--output", status: 64),
      BadInput(tune + ["--steps", "2", "--output", " "], names: "--output", status: 64),
      BadInput(interpolate + ["--pairs", "0"], names: "--pairs"),
      BadInput(interpolate + ["--pairs", "101"], names: "--pairs"),
      BadInput(interpolate + ["--points", "1"], names: "--points"),
      BadInput(tune + ["--steps", "1"], names: "--steps"),
      BadInput(tune + ["--steps", "4"], names: "--steps"),
      BadInput(tune, names: "--steps"),
      BadInput(tune + ["--steps", "2", "--count", "99"], names: "--count"),
      BadInput(tune + ["--steps", "2", "--weights", "x"], names: "--weights"),
      BadInput(tune + ["--steps", "2", "--output", folder.path], names: "--output", status: 74),
    ]
    for input in cases { try expectUsageError(input) }
    // A dataset without a mixture has no exact conditional.
    let moons = try trainTiny(in: folder, steps: 5, dataset: "moons")
    try expectUsageError(
      BadInput(
        ["edit", "conditional", "--checkpoint", moons, "--output", out, "--coordinate", "x", "--value", "0"],
        names: "--checkpoint"))
  }
}
