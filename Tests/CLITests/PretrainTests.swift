// `cm pretrain` and `cm sample` on an EDM teacher: a tiny run, Heun sampling, a bit-exact resume,
// the checkpoint kinds kept apart, and the bad inputs each command rejects.

import Foundation
import Testing
import _TestSupport

@Suite(.serialized) struct PretrainTests {
  let tiny = ["--preset", "tiny", "--batch", "32", "--seed", "5"]

  @Test("a tiny pretrain writes teacher.cmck (kind edm) and log.txt with one line per interval")
  func tinyRun() throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.appendingPathComponent("run").path
    let result = try cm(["pretrain", "--dataset", "ring8", "--steps", "40", "--output", run] + tiny)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let lines = result.stdout.split(separator: "\n")
    // K = 40: the tiny preset's interval 100 becomes K/10 = 4.
    #expect(lines.filter { $0.hasPrefix("k ") }.count == 10)
    #expect(lines.first?.hasPrefix("k 4  loss ") == true, "\(result.stdout)")
    #expect(lines.last?.hasPrefix("wrote \(run)/teacher.cmck (k = 40") == true, "\(result.stdout)")
    let header = try String(contentsOfFile: run + "/teacher.cmck", encoding: .utf8).split(separator: "\n")[0]
    #expect(header.contains("\"kind\":\"edm\"") && header.contains("\"format\":\"cm-checkpoint\""))
    let log = try String(contentsOfFile: run + "/log.txt", encoding: .utf8)
    #expect(log.split(separator: "\n").count == 10 && log.hasPrefix("k 4  loss "))
  }

  @Test("pretrain K steps, resume K more = pretrain 2K steps, bit for bit, through the binary")
  func resumeThroughTheBinary() throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = folder.appendingPathComponent("a").path
    let b = folder.appendingPathComponent("b").path
    let c = folder.appendingPathComponent("c").path
    let first = try cm(["pretrain", "--steps", "30", "--total-steps", "60", "--output", a] + tiny)
    #expect(first.status == 0, "\(first.stderr)")
    let resumed = try cm(["pretrain", "--resume", a + "/teacher.cmck", "--steps", "30", "--output", b])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let straight = try cm(["pretrain", "--steps", "60", "--output", c] + tiny)
    #expect(straight.status == 0, "\(straight.stderr)")
    let resumedState = try savedState(b + "/teacher.cmck")
    #expect(resumedState == (try savedState(c + "/teacher.cmck")))
    #expect(resumedState != (try savedState(a + "/teacher.cmck")))
    #expect(straight.stdout.contains("k 60  loss "))
    // The resumed run keeps the first run's history.
    let history = try #require(try checkpointPayload(b + "/teacher.cmck")["history"] as? [Any])
    #expect(history.count == 10)
  }

  @Test("sample draws from a teacher with 18 Heun steps by default; deterministic; evaluate reads it")
  func sampleTeacher() throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.appendingPathComponent("run").path
    #expect(try cm(["pretrain", "--steps", "20", "--output", run] + tiny).status == 0)
    let teacher = run + "/teacher.cmck"
    func sample(_ extra: [String], _ name: String) throws -> String {
      let csv = folder.appendingPathComponent(name).path
      let result = try cm(
        ["sample", "--checkpoint", teacher, "--count", "40", "--seed", "3", "--output", csv] + extra)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.isEmpty && result.stderr.isEmpty)
      return try String(contentsOfFile: csv, encoding: .utf8)
    }
    let byDefault = try sample([], "default.csv")
    let lines = byDefault.split(separator: "\n")
    #expect(lines.first == "x,y" && lines.count == 41)
    #expect(try sample(["--steps", "18"], "18.csv") == byDefault)
    #expect(try sample(["--steps", "5"], "5.csv") != byDefault)
    #expect(try sample(["--weights", "online"], "online.csv") != byDefault)
    let evaluation = try cm(["evaluate", "--samples", folder.appendingPathComponent("default.csv").path])
    #expect(evaluation.status == 0, "\(evaluation.stderr)")
  }

  @Test("an edm teacher and a consistency-model checkpoint are not mistaken for each other")
  func kindsAreKeptApart() throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let teacherRun = folder.appendingPathComponent("teacher").path
    let ctRun = folder.appendingPathComponent("ct").path
    #expect(try cm(["pretrain", "--steps", "5", "--output", teacherRun] + tiny).status == 0)
    #expect(try cm(["train", "--steps", "5", "--output", ctRun] + tiny).status == 0)
    let teacher = teacherRun + "/teacher.cmck"
    let ct = ctRun + "/checkpoint.cmck"
    let wrongWay = try cm(["train", "--resume", teacher, "--steps", "5", "--output", ctRun])
    #expect(wrongWay.status == 64)
    #expect(
      wrongWay.stderr.contains("--resume")
        && wrongWay.stderr.contains("is an edm teacher checkpoint, not a consistency-model checkpoint"),
      "\(wrongWay.stderr)")
    let otherWay = try cm(["pretrain", "--resume", ct, "--steps", "5", "--output", teacherRun])
    #expect(otherWay.status == 64)
    #expect(
      otherWay.stderr.contains("--resume")
        && otherWay.stderr.contains("is a ct consistency-model checkpoint, not an edm teacher checkpoint"),
      "\(otherWay.stderr)")
    // A ct checkpoint still samples with CM Algorithm 1 (one step by default).
    let csv = folder.appendingPathComponent("ct.csv").path
    #expect(try cm(["sample", "--checkpoint", ct, "--count", "5", "--output", csv]).status == 0)
  }

  @Test(
    "bad values exit 64 (74 for files) with one line naming the flag",
    arguments: [
      BadInput(["pretrain", "--steps", "0", "--output", "OUT"], names: "--steps"),
      BadInput(["pretrain", "--steps", "abc", "--output", "OUT"], names: "--steps"),
      BadInput(
        ["pretrain", "--steps", "5", "--total-steps", "0", "--output", "OUT"], names: "--total-steps"),
      BadInput(["pretrain", "--steps", "5", "--batch", "0", "--output", "OUT"], names: "--batch"),
      BadInput(
        ["pretrain", "--steps", "5", "--dataset", "swissroll", "--output", "OUT"], names: "--dataset"),
      BadInput(["pretrain", "--steps", "5", "--preset", "huge", "--output", "OUT"], names: "--preset"),
      BadInput(["pretrain", "--steps", "5", "--seed", "-1", "--output", "OUT"], names: "--seed"),
      BadInput(
        ["pretrain", "--steps", "5", "--learning-rate", "0", "--output", "OUT"], names: "--learning-rate"),
      BadInput(
        ["pretrain", "--steps", "5", "--learning-rate", "nan", "--output", "OUT"], names: "--learning-rate"),
      BadInput(
        ["pretrain", "--steps", "5", "--output", "/proc/cm-cannot-write-here"], names: "--output", status: 74),
      BadInput(
        ["pretrain", "--steps", "5", "--resume", "MISSING", "--output", "OUT"], names: "--resume", status: 74),
      BadInput(
        ["pretrain", "--steps", "-1", "--output", "OUT"], names: "--steps must be an integer ≥ 1 (got -1)"),
      BadInput(["pretrain", "--steps", "5", "--output", ""], names: "--output: must name a folder"),
      BadInput(["pretrain", "--output", "OUT"], names: "--steps"),
    ])
  func badValues(input: BadInput) throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    var resolved = input
    resolved.arguments = input.arguments.map {
      $0.replacingOccurrences(of: "OUT", with: folder.appendingPathComponent("out").path)
        .replacingOccurrences(of: "MISSING", with: folder.appendingPathComponent("missing").path)
    }
    try expectUsageError(resolved)
  }

  @Test("sample and resume reject bad values for a teacher; a damaged teacher is named and left as it was")
  func badTeacherInputs() throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.appendingPathComponent("run").path
    #expect(try cm(["pretrain", "--steps", "5", "--output", run] + tiny).status == 0)
    let teacher = run + "/teacher.cmck"
    let out = folder.appendingPathComponent("s.csv").path
    let cases: [([String], String)] = [
      (["sample", "--checkpoint", teacher, "--output", out, "--count", "0"], "--count"),
      (["sample", "--checkpoint", teacher, "--output", out, "--count", "5", "--steps", "0"], "--steps"),
      (["sample", "--checkpoint", teacher, "--output", out, "--count", "5", "--steps", "1001"], "--steps"),
      (["sample", "--checkpoint", teacher, "--output", out, "--count", "5", "--tau", "0.8"], "--tau"),
      (
        ["sample", "--checkpoint", teacher, "--output", out, "--count", "5", "--weights", "both"], "--weights"
      ),
      (
        ["sample", "--checkpoint", teacher, "--output", out, "--count", "5", "--weights", "target"],
        "--weights"
      ),
      (
        ["pretrain", "--resume", teacher, "--steps", "5", "--dataset", "moons", "--output", run], "--dataset"
      ),
      (["pretrain", "--resume", teacher, "--steps", "5", "--batch", "64", "--output", run], "--batch"),
      (
        ["pretrain", "--resume", teacher, "--steps", "5", "--learning-rate", "0.1", "--output", run],
        "--learning-rate"
      ),
    ]
    for (arguments, flag) in cases {
      try expectUsageError(BadInput(arguments, names: flag))
      #expect(!FileManager.default.fileExists(atPath: out), "no file is written on error")
    }
    var bytes = try Data(contentsOf: URL(fileURLWithPath: teacher))
    bytes = bytes.prefix(bytes.count / 2)
    let damaged = folder.appendingPathComponent("damaged.cmck")
    try bytes.write(to: damaged)
    let result = try cm(["sample", "--checkpoint", damaged.path, "--count", "5", "--output", out])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--checkpoint") && result.stderr.contains("truncated"), "\(result.stderr)")
    #expect(try Data(contentsOf: damaged) == bytes)
  }
}
