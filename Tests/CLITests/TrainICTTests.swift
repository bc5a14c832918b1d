// `cm train` with the iCT options: the presets cm and ict, --pairs, --curriculum, --target, and
// consistency tuning (--method ct --init-from-teacher --teacher FILE).

import Foundation
import Testing
import _TestSupport

/// The config of the state in a checkpoint.
private func savedConfig(_ path: String) throws -> [String: Any] {
  let state = try #require(try checkpointPayload(path)["state"] as? [String: Any])
  return try #require(state["config"] as? [String: Any])
}

@Suite(.serialized) struct TrainICTTests {
  let small = ["--batch", "16", "--widths", "16,16", "--seed", "3"]

  @Test("--preset ict trains iCT (lognormal pairs, exponential N(k), μ = 0); flags override a preset")
  func presets() throws {
    let folder = try scratchFolder("cm-ict")
    defer { try? FileManager.default.removeItem(at: folder) }
    let ict = try cm(["train", "--preset", "ict", "--steps", "16", "--output", folder.path + "/ict"] + small)
    #expect(ict.status == 0, "\(ict.stderr)")
    // K = 16: K′ = ⌊16/8⌋ = 2, so N(16) = min(10·2⁸, 1280) + 1 = 1281; μ = 0 throughout.
    #expect(ict.stdout.contains("k 16  N(k)=1281  μ(k)=0.0000"), "\(ict.stdout)")
    let config = try savedConfig(folder.path + "/ict/checkpoint.cmck")
    #expect(config["weighting"] as? String == "ict")
    let pairs = try #require((config["pairSampling"] as? [String: Any])?["lognormal"] as? [String: Any])
    #expect(pairs["pMean"] as? Double == -1.1 && pairs["pStd"] as? Double == 2.0)
    let state = try #require(
      try checkpointPayload(folder.path + "/ict/checkpoint.cmck")["state"] as? [String: Any])
    #expect((state["theta"] as? [Double]) == (state["thetaMinus"] as? [Double]), "θ⁻ = stopgrad θ")

    let cmRun = try cm(
      ["train", "--preset", "cm", "--steps", "16", "--output", folder.path + "/cm", "--pairs", "lognormal"]
        + small)
    #expect(cmRun.status == 0, "\(cmRun.stderr)")
    let cmConfig = try savedConfig(folder.path + "/cm/checkpoint.cmck")
    #expect(cmConfig["weighting"] as? String == "uniform")
    #expect((cmConfig["metric"] as? [String: Any])?["squaredL2"] != nil)
    #expect((cmConfig["pairSampling"] as? [String: Any])?["lognormal"] != nil, "--pairs overrides the preset")
    let schedule = try #require((cmConfig["schedule"] as? [String: Any])?["ctCurriculum"] as? [String: Any])
    #expect(schedule["s1"] as? Int == 150 && schedule["mu0"] as? Double == 0.9)
    // The default preset keeps its values: uniform pairs, √ curriculum with s₁ = 40, an EMA target.
    let plain = try cm(
      [
        "train", "--steps", "4", "--output", folder.path + "/plain", "--curriculum", "ict", "--target",
        "stopgrad",
      ]
        + small)
    #expect(plain.status == 0, "\(plain.stderr)")
    let plainSchedule = try #require(
      (try savedConfig(folder.path + "/plain/checkpoint.cmck")["schedule"] as? [String: Any])?[
        "ictCurriculum"]
        as? [String: Any])
    #expect(plainSchedule["s0"] as? Int == 10 && plainSchedule["mu0"] as? Double == 0)
  }

  @Test("consistency tuning: CT from the EDM teacher's weights, with no teacher kept")
  func consistencyTuning() throws {
    let folder = try scratchFolder("cm-ict")
    defer { try? FileManager.default.removeItem(at: folder) }
    let pretrain = try cm([
      "pretrain", "--preset", "tiny", "--steps", "10", "--batch", "16", "--output", folder.path + "/t",
    ])
    #expect(pretrain.status == 0, "\(pretrain.stderr)")
    let teacher = folder.path + "/t/teacher.cmck"
    let teacherPayload = try checkpointPayload(teacher)
    let teacherState = try #require(teacherPayload["state"] as? [String: Any])
    let phi = try #require(teacherState["thetaEMA"] as? [Double])  // the teacher φ is θ_ema of pre-training
    // One step with the learning rate tiny: θ stays next to φ (and is φ exactly at k = 0).
    let tuned = try cm(
      [
        "train", "--init-from-teacher", "--teacher", teacher, "--steps", "1", "--learning-rate", "1e-12",
        "--output", folder.path + "/tuned", "--widths", "64,64,64", "--batch", "16",
      ])
    #expect(tuned.status == 0, "\(tuned.stderr)")
    let state = try #require(
      try checkpointPayload(folder.path + "/tuned/checkpoint.cmck")["state"] as? [String: Any])
    #expect(state["teacher"] == nil, "CT keeps no teacher")
    let theta = try #require(state["theta"] as? [Double])
    #expect(theta.count == phi.count)
    #expect(zip(theta, phi).allSatisfy { abs($0 - $1) <= 1e-9 }, "θ starts as φ")
    #expect(
      (try savedConfig(folder.path + "/tuned/checkpoint.cmck"))["initializeFromTeacher"] as? Bool == true)
    // A tuned run resumes like any CT run.
    let resumed = try cm([
      "train", "--resume", folder.path + "/tuned/checkpoint.cmck", "--steps", "2", "--output",
      folder.path + "/r",
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    // Widths that differ from the teacher's are refused, naming the flag.
    let mismatch = try cm(
      [
        "train", "--init-from-teacher", "--teacher", teacher, "--steps", "1", "--output",
        folder.path + "/bad",
      ]
        + ["--widths", "64,64"])
    #expect(mismatch.status == 64 && mismatch.stderr.contains("--init-from-teacher"), "\(mismatch.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/bad"))
  }

  @Test(
    "bad iCT flags exit 64 with one line naming the flag",
    arguments: [
      (["--pairs", "normal"], "--pairs"),
      (["--curriculum", "linear"], "--curriculum"),
      (["--target", "none"], "--target"),
      (["--preset", "ict2"], "--preset"),
      (["--method", "cd", "--teacher", "oracle", "--curriculum", "ict"], "--curriculum"),
      (["--method", "cd", "--teacher", "oracle", "--target", "stopgrad"], "--target"),
      (["--init-from-teacher"], "--init-from-teacher"),
      (["--init-from-teacher", "--teacher", "oracle"], "--init-from-teacher"),
      (["--init-from-teacher", "--teacher", "/no/such.cmck"], "--teacher"),
    ])
  func badInput(arguments: [String], flag: String) throws {
    let folder = try scratchFolder("cm-ict")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try cm(["train", "--steps", "2", "--output", folder.path + "/run"] + small + arguments)
    #expect(result.status == 64 || result.status == 74, "\(arguments): \(result.stderr)")
    #expect(
      result.stderr.hasPrefix("error: ") && result.stderr.contains(flag), "\(arguments) → \(result.stderr)")
    #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/run"), "nothing created")
  }

  @Test("the iCT flags cannot change on --resume")
  func resumeRefusesICTFlags() throws {
    let folder = try scratchFolder("cm-ict")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try cm(["train", "--steps", "2", "--output", folder.path + "/a"] + small).status == 0)
    for flag in [["--pairs", "lognormal"], ["--curriculum", "ict"], ["--target", "stopgrad"]] {
      let result = try cm(
        [
          "train", "--resume", folder.path + "/a/checkpoint.cmck", "--steps", "1", "--output",
          folder.path + "/b",
        ]
          + flag)
      #expect(result.status == 64 && result.stderr.contains(flag[0]), "\(flag): \(result.stderr)")
    }
  }
}
