// `cm train --method cd`: Consistency Distillation through the binary, with the oracle teacher;
// its resume, and the CD flags it rejects.

import Foundation
import Testing
import _TestSupport

/// The checkpoint's header line (kind, sizes, checksum) and payload.
private func checkpointParts(_ path: String) throws -> (header: [String: Any], payload: [String: Any]) {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  let lines = text.split(separator: "\n", maxSplits: 1)
  let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
  let payload = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
  return (header, payload)
}

@Suite(.serialized) struct TrainCDTests {
  let tiny = ["--preset", "tiny", "--batch", "32", "--seed", "5"]

  @Test("CD with the oracle teacher: fixed N and μ in the log, a cd checkpoint that holds its teacher")
  func cdWithOracle() throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.appendingPathComponent("cd").path
    let result = try cm(
      [
        "train", "--method", "cd", "--teacher", "oracle", "--steps", "40", "--num-timesteps", "12", "--mu",
        "0",
        "--solver", "euler", "--output", run,
      ] + tiny)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("k 40  N(k)=12  μ(k)=0.0000  loss "))
    let (header, payload) = try checkpointParts(run + "/checkpoint.cmck")
    #expect(header["kind"] as? String == "cd")
    let state = try #require(payload["state"] as? [String: Any])
    let config = try #require(state["config"] as? [String: Any])
    #expect(config["method"] as? String == "cd")
    #expect(config["solver"] as? String == "euler")
    #expect(state["teacher"] != nil, "the checkpoint carries its teacher, so a resume needs nothing else")
    // With μ = 0 the target network is the online network after every step.
    #expect((state["theta"] as? [Double]) == (state["thetaMinus"] as? [Double]))
    // A CD checkpoint samples like a CT one.
    let csv = folder.appendingPathComponent("s.csv").path
    let sample = try cm([
      "sample", "--checkpoint", run + "/checkpoint.cmck", "--count", "10", "--output", csv,
    ])
    #expect(sample.status == 0, "\(sample.stderr)")
  }

  @Test("CD with a pre-trained EDM teacher (cm pretrain), and θ initialised from its weights")
  func cdWithEDMTeacher() throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    let teacherRun = folder.path + "/teacher"
    let pretrain = try cm([
      "pretrain", "--preset", "tiny", "--steps", "30", "--batch", "32", "--output", teacherRun,
    ])
    #expect(pretrain.status == 0, "\(pretrain.stderr)")
    let teacher = teacherRun + "/teacher.cmck"
    let cd = ["train", "--method", "cd", "--teacher", teacher, "--steps", "10"] + tiny
    let plain = try cm(cd + ["--output", folder.path + "/plain"])
    #expect(plain.status == 0, "\(plain.stderr)")
    let initialised = try cm(cd + ["--init-from-teacher", "--output", folder.path + "/init"])
    #expect(initialised.status == 0, "\(initialised.stderr)")
    let plainState = try #require(
      try checkpointParts(folder.path + "/plain/checkpoint.cmck").payload["state"] as? [String: Any])
    let initState = try #require(
      try checkpointParts(folder.path + "/init/checkpoint.cmck").payload["state"] as? [String: Any])
    #expect((plainState["config"] as? [String: Any])?["initializeFromTeacher"] as? Bool == false)
    #expect((initState["config"] as? [String: Any])?["initializeFromTeacher"] as? Bool == true)
    #expect((plainState["theta"] as? [Double]) != (initState["theta"] as? [Double]))
    let teacherField = try #require(initState["teacher"] as? [String: Any])
    #expect(teacherField["edm"] != nil, "the checkpoint carries the EDM teacher")
    // A student of another shape cannot start from the teacher's weights.
    let mismatch = try cm(
      cd + ["--init-from-teacher", "--widths", "32,32", "--output", folder.path + "/bad"])
    #expect(mismatch.status == 64 && mismatch.stderr.contains("--init-from-teacher"), "\(mismatch.stderr)")
  }

  @Test("the checkpoint's history holds one record per log line, with the interval's mean loss")
  func historyHoldsIntervalMeans() throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    let result = try cm(["train", "--steps", "40", "--output", run] + tiny)
    #expect(result.status == 0, "\(result.stderr)")
    let history = try #require(
      try checkpointParts(run + "/checkpoint.cmck").payload["history"] as? [[String: Any]])
    let logLosses = result.stdout.split(separator: "\n").filter { $0.hasPrefix("k ") }.compactMap {
      $0.components(separatedBy: "loss ").last.flatMap { Double($0) }
    }
    #expect(history.count == 10 && logLosses.count == 10, "\(result.stdout)")
    for (record, logged) in zip(history, logLosses) {
      let loss = try #require(record["loss"] as? Double)
      #expect(abs(loss - logged) <= 5e-5 * max(1, abs(logged)), "history \(loss) against log \(logged)")
    }
    #expect(history.map { $0["k"] as? Int } == (1...10).map { 4 * $0 - 1 })
  }

  @Test("cm train and cm pretrain check every flag before they create the output folder")
  func badFlagsCreateNoFolder() throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    for command in [["train", "--batch", "0"], ["pretrain", "--batch", "0"], ["train", "--widths", "0"]] {
      let result = try cm(command + ["--steps", "5", "--output", folder.path + "/run"])
      #expect(result.status == 64, "\(command): \(result.stderr)")
      #expect(
        !FileManager.default.fileExists(atPath: folder.path + "/run"), "\(command) created its output folder")
    }
  }

  @Test("a teacher trained on another dataset is refused, naming --teacher")
  func teacherOfAnotherDataset() throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(
      try cm(["pretrain", "--preset", "tiny", "--steps", "5", "--output", folder.path + "/t"]).status == 0)
    let result = try cm(
      [
        "train", "--method", "cd", "--teacher", folder.path + "/t/teacher.cmck", "--dataset", "moons",
        "--steps", "5",
        "--output", folder.path + "/run",
      ] + tiny)
    #expect(result.status == 64)
    #expect(
      result.stderr.contains("--teacher") && result.stderr.contains("ring8")
        && result.stderr.contains("moons"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/run"))
  }

  @Test("a teacher file that does not exist is an I/O failure: exit 74, one line naming --teacher")
  func missingTeacher() throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try cm(
      [
        "train", "--steps", "5", "--output", folder.path + "/run", "--method", "cd", "--teacher",
        "/no/such/teacher.cmck",
      ]
        + tiny)
    #expect(result.status == 74, "\(result.stderr)")
    #expect(
      result.stderr.hasPrefix("error: --teacher: /no/such/teacher.cmck does not exist"), "\(result.stderr)")
    #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/run"))
  }

  @Test("a diverging run stops with exit 1, saves nothing, and leaves an earlier checkpoint as it was")
  func divergenceSavesNothing() throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    #expect(try cm(["train", "--steps", "5", "--output", run] + tiny).status == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck"))
    for method in [["--method", "ct"], ["--method", "cd", "--teacher", "oracle"]] {
      let result = try cm(
        ["train", "--steps", "300", "--learning-rate", "1e30", "--output", run, "--force"] + method + tiny)
      #expect(result.status == 1, "\(method): \(result.stderr)")
      #expect(
        result.stderr.contains("diverged") && result.stderr.contains("--learning-rate"), "\(result.stderr)")
      #expect(try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck")) == before)
    }
  }

  @Test("CD: train K steps, resume K more = train 2K steps, bit for bit")
  func cdResume() throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    let (a, b, c) = (folder.path + "/a", folder.path + "/b", folder.path + "/c")
    let cd = ["--method", "cd", "--teacher", "oracle"]
    #expect(try cm(["train", "--steps", "20", "--total-steps", "40", "--output", a] + cd + tiny).status == 0)
    // --method is taken from the checkpoint when not given.
    let resumed = try cm(["train", "--resume", a + "/checkpoint.cmck", "--steps", "20", "--output", b])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try cm(["train", "--steps", "40", "--output", c] + cd + tiny).status == 0)
    #expect(try savedState(b + "/checkpoint.cmck") == savedState(c + "/checkpoint.cmck"))
  }

  @Test(
    "bad CD (and model) values exit 64 with one line naming the flag",
    arguments: [
      (["--method", "dc"], "--method"),
      (["--method", "cd"], "--teacher"),
      (["--method", "cd", "--teacher", "oracle", "--dataset", "moons"], "--teacher"),
      (["--method", "cd", "--teacher", "Package.swift"], "--teacher"),
      (["--method", "cd", "--teacher", "oracle", "--solver", "rk4"], "--solver"),
      (["--method", "cd", "--teacher", "oracle", "--num-timesteps", "1"], "--num-timesteps"),
      (["--method", "cd", "--teacher", "oracle", "--mu", "1"], "--mu"),
      (["--method", "cd", "--teacher", "oracle", "--mu", "-0.1"], "--mu"),
      (["--method", "cd", "--teacher", "oracle", "--init-from-teacher"], "--init-from-teacher"),
      (["--teacher", "oracle"], "--teacher"),
      (["--mu", "0.5"], "--mu"),
      (["--solver", "heun"], "--solver"),
      (["--widths", "0"], "--widths"),
      (["--widths", "64,x"], "--widths"),
      (["--metric", "l3"], "--metric"),
      (["--weighting", "lognormal"], "--weighting"),
    ])
  func badCDInput(arguments: [String], flag: String) throws {
    let folder = try scratchFolder("cm-cd")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try cm(["train", "--steps", "5", "--output", folder.path + "/run"] + tiny + arguments)
    #expect(result.status == 64, "\(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("error: "), "\(arguments)")
    #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line: \(result.stderr)")
    #expect(result.stderr.contains(flag), "\(arguments) → \(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/run"), "nothing created")
  }
}
