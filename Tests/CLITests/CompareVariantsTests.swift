// `cm compare --ablation` and `--variants` end to end on the tiny budget, and their bad inputs.

import Foundation
import Testing
import _TestSupport

@Suite(.serialized) struct CompareVariantsTests {
  @Test("compare --ablation --budget tiny: the ladder from CM's CT to iCT, over 2 seeds, table and bar chart")
  func tinyAblation() throws {
    let folder = try scratchFolder("cm-ablation")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("run")
    let result = try cm([
      "compare", "--ablation", "--variants", "cd-oracle", "--budget", "tiny", "--seeds", "2", "--seed", "4",
      "--output", out.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    // One announcement per run: 7 variants × 2 seeds, none of them needing the EDM teacher.
    #expect(result.stdout.components(separatedBy: ": 200 steps …").count - 1 == 14, "\(result.stdout)")
    #expect(!result.stdout.contains("EDM teacher: pre-training"))
    for title in [
      "CM's CT", "+ λ = 1/Δt (iCT §3.1)", "+ μ = 0 (iCT §3.2)", "+ pseudo-Huber (iCT §3.3)",
      "+ exp. curriculum (iCT §3.4)", "+ lognormal pairs (iCT §3.5) = iCT", "CD (oracle teacher)",
    ] {
      #expect(result.stdout.contains(title), "\(title)")
    }
    #expect(result.stdout.contains("iCT's 1-step SW1"))
    // summary.json: the rows in order, each number the mean of its per-seed values.
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
        as? [String: Any])
    #expect(summary["seeds"] as? [Int] == [4, 5])
    #expect(summary["ladderLength"] as? Int == 6)
    let rows = try #require(summary["rows"] as? [[String: Any]])
    #expect(
      rows.map { $0["key"] as? String } == [
        "ct-cm", "ct-cm+weighting", "ct-cm+weighting+target", "ct-cm+weighting+target+distance",
        "ct-cm+weighting+target+distance+curriculum", "ict", "cd-oracle",
      ])
    for row in rows {
      let oneStep = try #require(row["sw1OneStep"] as? [String: Any])
      let values = try #require(oneStep["values"] as? [Double])
      #expect(values.count == 2 && values.allSatisfy { $0.isFinite && $0 > 0 })
      let mean = try #require(oneStep["mean"] as? Double)
      #expect(abs(mean - (values[0] + values[1]) / 2) <= 1e-12 * mean)
    }
    let md = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
    #expect(
      md.contains("| Δ 1-step |")
        && md.contains("cm compare --dataset ring8 --budget tiny --seed 4 --seeds 2"))
    let script = try String(contentsOf: out.appendingPathComponent("sw1.gp"), encoding: .utf8)
    #expect(script.contains("with boxes") && script.contains("with yerrorbars") && script.contains("<< EOD"))
    let png = try Data(contentsOf: out.appendingPathComponent("sw1.png"))
    #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] && png.count > 1000)
  }

  @Test(
    "bad --variants, --seeds or --ablation input exits 64 with one line naming the flag",
    arguments: [
      (["--variants", "ct,ict2"], "--variants"),
      (["--variants", "ct-cm+weighting+weighting"], "--variants"),
      (["--variants", "ct-cm+dropout"], "--variants"),
      (["--variants", "ct,ct"], "--variants"),
      (["--ablation", "--variants", "ict"], "--variants"),
      (["--variants", ""], "--variants"),
      (["--variants", "ct", "--seeds", "0"], "--seeds"),
      (["--variants", "ct", "--seeds", "11"], "--seeds"),
      (["--seeds", "2"], "--seeds"),
      (["--ablation", "--budget", "huge"], "--budget"),
      (["--ablation", "--dataset", "moons"], "--dataset"),
      (["--ablation", "--seed", "18446744073709551614"], "--seed"),
    ])
  func badInput(arguments: [String], flag: String) throws {
    let folder = try scratchFolder("cm-ablation")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try cm(["compare", "--output", folder.path + "/run"] + arguments)
    #expect(result.status == 64, "\(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(flag), "\(result.stderr)")
    #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/run"), "nothing created")
  }
}
