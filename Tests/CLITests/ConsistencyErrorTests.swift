// `cm consistency-error`: E‖f_θ − f*‖ of a freshly trained checkpoint, through the binary, and the
// bad inputs it rejects.

import Foundation
import Testing
import _TestSupport

/// The one line `cm consistency-error` prints.
private struct ConsistencyErrorOutput: Decodable {
  var dataset: String
  var weights: String
  var k: Int
  var count: Int
  var seed: UInt64
  var sigmaMin: Double
  var sigmas: [Double]
  var meanError: [Double]
  var standardError: [Double]
  var meanErrorOverall: Double
}

private let keys = [
  "dataset", "weights", "k", "count", "seed", "sigmaMin", "sigmas", "meanError", "standardError",
  "meanErrorOverall",
]

@Suite(.serialized) struct ConsistencyErrorTests {
  @Test("the default grid, finite positive errors, deterministic, and the options change what they should")
  func measuresATrainedCheckpoint() throws {
    let folder = try scratchFolder("cm-ce")
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = try trainTiny(in: folder)
    let arguments = ["consistency-error", "--checkpoint", checkpoint, "--count", "40"]
    let output = try inspect(arguments, as: ConsistencyErrorOutput.self, keys: keys)
    #expect(output.dataset == "ring8" && output.weights == "ema" && output.k == 200)
    #expect(output.count == 40 && output.seed == 0 && output.sigmaMin == 0.002)
    // 12 log-spaced levels from 0.01 to T = 80, both ends exact.
    #expect(output.sigmas.count == 12 && output.sigmas.first == 0.01 && output.sigmas.last == 80)
    let ratios = zip(output.sigmas.dropFirst(), output.sigmas).map { $0 / $1 }
    #expect(ratios.allSatisfy { abs($0 - pow(8000, 1.0 / 11)) < 1e-12 }, "\(ratios)")
    #expect(output.meanError.count == 12 && output.standardError.count == 12)
    #expect(output.meanError.allSatisfy { $0 > 0 && $0.isFinite }, "\(output.meanError)")
    #expect(output.standardError.allSatisfy { $0 > 0 && $0.isFinite })
    #expect(abs(output.meanErrorOverall - output.meanError.reduce(0, +) / 12) < 1e-12)
    // A 200-step model is near the boundary condition at small t and far from f* at large t.
    #expect(output.meanError.first! < 0.05 && output.meanError.first! < output.meanError.last!)
    // Same inputs, same line.
    #expect(try cm(arguments).stdout == (try cm(arguments).stdout))

    let custom = try inspect(
      arguments + ["--sigmas", "0.5, 80", "--weights", "online", "--seed", "3", "--dataset", "gaussian"],
      as: ConsistencyErrorOutput.self, keys: keys)
    #expect(custom.sigmas == [0.5, 80] && custom.weights == "online" && custom.seed == 3)
    #expect(custom.dataset == "gaussian" && custom.meanError.count == 2)
    #expect(custom.meanError.allSatisfy { $0 > 0 && $0.isFinite })
  }

  @Test("bad values exit 64 with one line naming the flag")
  func badValues() throws {
    let folder = try scratchFolder("cm-ce")
    defer { try? FileManager.default.removeItem(at: folder) }
    let checkpoint = try trainTiny(in: folder, steps: 5)
    let base = ["consistency-error", "--checkpoint", checkpoint]
    let cases: [BadInput] = [
      BadInput(
        ["consistency-error", "--checkpoint", folder.appendingPathComponent("missing").path],
        names: "--checkpoint", status: 74),
      BadInput(["consistency-error", "--checkpoint", folder.path], names: "is a folder", status: 74),
      BadInput(base + ["--dataset", "moons"], names: "--dataset"),
      BadInput(base + ["--dataset", "checkerboard"], names: "ring8, gaussian"),
      BadInput(base + ["--dataset", "swissroll"], names: "--dataset"),
      BadInput(base + ["--count", "0"], names: "--count"),
      BadInput(base + ["--count", "1"], names: "--count"),
      BadInput(base + ["--count", "abc"], names: "--count"),
      BadInput(base + ["--sigmas", "0.002"], names: "--sigmas"),
      BadInput(base + ["--sigmas", "0.5,80.5"], names: "--sigmas"),
      BadInput(base + ["--sigmas", "1,x"], names: "--sigmas"),
      BadInput(base + ["--sigmas", ""], names: "--sigmas"),
      BadInput(base + ["--weights", "both"], names: "--weights"),
      BadInput(base + ["--seed", "-1"], names: "--seed"),
    ]
    for input in cases { try expectUsageError(input) }
    // A checkpoint trained on a dataset without an exact denoiser needs --dataset.
    let moons = try trainTiny(in: folder, steps: 5, dataset: "moons")
    try expectUsageError(BadInput(["consistency-error", "--checkpoint", moons], names: "--dataset"))
  }
}
