// `cm compare --budget tiny`: the main job end to end, every file it promises, and its bad inputs.

import Foundation
import Testing
import _TestSupport

private let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
private let figures = ["samples", "loss", "quality", "consistency-error", "schedules", "trajectories"]

@Suite(.serialized) struct CompareTests {
  @Test("compare --budget tiny writes every figure, summary and checkpoint, and they are usable")
  func tinyEndToEnd() throws {
    let folder = try scratchFolder("cm-compare")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("run")
    let result = try cm(["compare", "--budget", "tiny", "--seed", "3", "--output", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("CD (oracle teacher), 1 step"))
    #expect(result.stdout.contains("wrote \(out.path)"))
    // The final 2-step samples use each model's tuned τ, and the output says so.
    #expect(result.stdout.contains("2-step samples use each model's τ from cm tune-tau's search"))
    #expect(
      result.stdout.contains("CT, 2 steps (tuned τ = ")
        || result.stdout.contains("CT, 2 steps (τ = 0.800, kept by the τ search)"))

    // Figures: a standalone script with inline data, and the PNG gnuplot rendered from it.
    for name in figures {
      let script = try String(contentsOf: out.appendingPathComponent("\(name).gp"), encoding: .utf8)
      #expect(script.contains("<< EOD"), "\(name).gp has its data inline")
      #expect(script.contains("set terminal pngcairo"))
      let png = try Data(contentsOf: out.appendingPathComponent("\(name).png"))
      #expect(Array(png.prefix(8)) == pngSignature, "\(name).png is a PNG")
      #expect(png.count > 1000)
    }
    // A script re-renders on its own, from another directory, into the PNG beside it.
    let png = out.appendingPathComponent("loss.png")
    try FileManager.default.removeItem(at: png)
    let gnuplot = Process()
    gnuplot.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    gnuplot.arguments = ["gnuplot", out.appendingPathComponent("loss.gp").path]
    gnuplot.currentDirectoryURL = folder
    try gnuplot.run()
    gnuplot.waitUntilExit()
    #expect(gnuplot.terminationStatus == 0)
    #expect(Array(try Data(contentsOf: png).prefix(8)) == pngSignature)

    // summary.json: the command, the budget, every model's scores and curve.
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
        as? [String: Any])
    #expect(
      json["command"] as? String == "cm compare --dataset ring8 --budget tiny --seed 3 --output \(out.path)")
    let budget = try #require(json["budget"] as? [String: Any])
    #expect(budget["name"] as? String == "tiny")
    let models = try #require(json["models"] as? [[String: Any]])
    #expect(models.map { $0["key"] as? String } == ["ct", "cd-oracle", "cd-edm"])
    for model in models {
      #expect(model["steps"] as? Int == budget["steps"] as? Int, "equal step budgets")
      let one = try #require((model["oneStep"] as? [String: Any])?["slicedWasserstein1"] as? [String: Double])
      #expect(one["value"].map { $0.isFinite && $0 > 0 } == true)
      let error = try #require(model["consistencyError"] as? [String: Any])
      #expect((error["meanError"] as? [Double])?.count == 12)
      #expect((model["curve"] as? [Any])?.isEmpty == false)
      let search = try #require(model["tauSearch"] as? [String: Any])
      let taus = try #require(search["taus"] as? [Double])
      #expect(taus.count == 1 && taus[0] > 0.002 && taus[0] < 80)
    }
    let teacher = try #require(json["teacher"] as? [String: Any])
    #expect(teacher["heun18"] != nil && teacher["oracleHeun18"] != nil)

    // summary.md names the command and every figure.
    let md = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
    #expect(md.contains("cm compare --dataset ring8 --budget tiny --seed 3"))
    for name in figures { #expect(md.contains("`\(name).png`")) }

    // The checkpoints work with the other commands.
    for key in ["ct", "cd-oracle", "cd-edm"] {
      let csv = folder.appendingPathComponent("\(key).csv").path
      let sample = try cm([
        "sample", "--checkpoint", out.appendingPathComponent("\(key).cmck").path, "--count", "5", "--output",
        csv,
      ])
      #expect(sample.status == 0, "\(key): \(sample.stderr)")
    }
    let teacherSample = try cm([
      "sample", "--checkpoint", out.appendingPathComponent("teacher.cmck").path, "--count", "5", "--output",
      folder.appendingPathComponent("teacher.csv").path,
    ])
    #expect(teacherSample.status == 0, "\(teacherSample.stderr)")
  }

  @Test("without gnuplot on PATH, compare still writes every script and says how to render them")
  func withoutGnuplot() throws {
    let folder = try scratchFolder("cm-compare")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("run")
    let result = try runProduct(
      "cm", ["compare", "--budget", "tiny", "--output", out.path], environment: ["PATH": folder.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("plots not rendered (gnuplot is not installed)"), "\(result.stdout)")
    #expect(result.stdout.contains("render them with: cd \(out.path) && for f in *.gp; do gnuplot"))
    for name in figures {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name).gp").path))
      #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name).png").path))
    }
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("summary.md").path))
  }

  @Test(
    "bad compare input exits 64 with one line naming the flag",
    arguments: [
      (["--budget", "huge"], "--budget"),
      (["--dataset", "ring9"], "--dataset"),
      (["--dataset", "moons"], "--dataset"),
      (["--seed", "-1"], "--seed"),
    ])
  func badInput(arguments: [String], flag: String) throws {
    let folder = try scratchFolder("cm-compare")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try cm(["compare", "--output", folder.path + "/run"] + arguments)
    #expect(result.status == 64, "\(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(flag), "\(result.stderr)")
    #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/run"), "nothing created")
  }

  @Test("an output path that is a file, or cannot be created, is refused before any training")
  func unwritableOutput() throws {
    let folder = try scratchFolder("cm-compare")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("taken")
    try Data("keep me".utf8).write(to: file)
    for (path, status) in [(file.path, Int32(64)), (file.path + "/below", 74)] {
      let result = try cm(["compare", "--budget", "tiny", "--output", path])
      #expect(result.status == status, "\(path): \(result.stderr)")
      #expect(result.stderr.contains("--output"), "\(result.stderr)")
      #expect(!result.stdout.contains("[1/4]"), "refused before training")
    }
    #expect(try String(contentsOf: file, encoding: .utf8) == "keep me")
  }
}

@Suite("cm compare never leaves stale results")
struct CompareStalenessTests {
  /// A folder with an earlier comparison's PNGs, and a PATH whose gnuplot is `script` (or none).
  func rerun(gnuplot script: String?, timeout: String = "60") throws -> (ProcessResult, URL, URL) {
    let folder = try scratchFolder("cm-compare")
    let out = folder.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try Data("old".utf8).write(to: out.appendingPathComponent("samples.png"))
    try Data("{}".utf8).write(to: out.appendingPathComponent("summary.json"))
    let bin = folder.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    if let script {
      let gnuplot = bin.appendingPathComponent("gnuplot")
      try Data(("#!/bin/sh\n" + script + "\n").utf8).write(to: gnuplot)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: gnuplot.path)
    }
    let result = try runProduct(
      "cm", ["compare", "--budget", "tiny", "--output", out.path, "--gnuplot-timeout", timeout],
      environment: ["PATH": bin.path + ":/usr/bin:/bin"].filter { _ in script != nil }.merging(
        script == nil ? ["PATH": bin.path] : [:], uniquingKeysWith: { a, _ in a }))
    return (result, folder, out)
  }

  @Test("a rerun without gnuplot replaces the earlier folder whole: no old PNG survives or is listed")
  func noGnuplotLeavesNoStalePNG() throws {
    let (result, folder, out) = try rerun(gnuplot: nil)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("samples.png").path))
    let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(summary.contains("samples.gp") && !summary.contains(".png"))
  }

  @Test("a gnuplot that fails exits 1 with the scripts written and no PNG listed")
  func failingGnuplot() throws {
    let (result, folder, out) = try rerun(gnuplot: "cat >/dev/null; echo 'broken' >&2; exit 3")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("plots not rendered"), "\(result.stderr)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("samples.gp").path))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("samples.png").path))
  }

  @Test("a gnuplot that hangs is stopped after --gnuplot-timeout")
  func hangingGnuplot() throws {
    let start = Date()
    let (result, folder, _) = try rerun(gnuplot: "sleep 600", timeout: "2")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("did not finish within 2 s"), "\(result.stderr)")
    #expect(Date().timeIntervalSince(start) < 120)
  }
}
