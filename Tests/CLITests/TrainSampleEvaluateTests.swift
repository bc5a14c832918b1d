// `cm train`, `cm sample`, `cm evaluate`: the training workflow through the binary, including a
// bit-exact resume and the bad inputs each command rejects.

import Foundation
import Testing
import _TestSupport

@Suite(.serialized) struct TrainSampleEvaluateTests {
  let tiny = ["--preset", "tiny", "--batch", "32", "--seed", "5"]

  @Test("train K steps, resume K more = train 2K steps, bit for bit, through the binary")
  func resumeThroughTheBinary() throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let a = folder.appendingPathComponent("a").path
    let b = folder.appendingPathComponent("b").path
    let c = folder.appendingPathComponent("c").path
    let first = try cm(["train", "--steps", "30", "--total-steps", "60", "--output", a] + tiny)
    #expect(first.status == 0, "\(first.stderr)")
    let resumed = try cm(["train", "--resume", a + "/checkpoint.cmck", "--steps", "30", "--output", b])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let straight = try cm(["train", "--steps", "60", "--output", c] + tiny)
    #expect(straight.status == 0, "\(straight.stderr)")
    let resumedState = try savedState(b + "/checkpoint.cmck")
    let straightState = try savedState(c + "/checkpoint.cmck")
    #expect(resumedState == straightState)
    #expect(resumedState != (try savedState(a + "/checkpoint.cmck")))
    // The log has one line per interval in the paper's names.
    #expect(straight.stdout.contains("k 60  N(k)="))
    #expect(straight.stdout.contains("μ(k)="))
  }

  @Test("sample writes an x,y CSV that evaluate reads; both are deterministic")
  func sampleAndEvaluate() throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.appendingPathComponent("run").path
    #expect(try cm(["train", "--steps", "20", "--output", run] + tiny).status == 0)
    let csv = folder.appendingPathComponent("s.csv").path
    let sample = try cm([
      "sample", "--checkpoint", run + "/checkpoint.cmck", "--steps", "2", "--tau", "0.8",
      "--count", "50", "--seed", "3", "--output", csv,
    ])
    #expect(sample.status == 0, "\(sample.stderr)")
    let text = try String(contentsOfFile: csv, encoding: .utf8)
    let lines = text.split(separator: "\n")
    #expect(lines.first == "x,y")
    #expect(lines.count == 51)
    let again = folder.appendingPathComponent("t.csv").path
    _ = try cm([
      "sample", "--checkpoint", run + "/checkpoint.cmck", "--steps", "2", "--tau", "0.8",
      "--count", "50", "--seed", "3", "--output", again,
    ])
    #expect(try String(contentsOfFile: again, encoding: .utf8) == text)
    let evaluation = try cm(["evaluate", "--samples", csv, "--dataset", "ring8"])
    #expect(evaluation.status == 0, "\(evaluation.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])
    let sw = try #require(report["slicedWasserstein1"] as? [String: Double])
    #expect(sw["value"] != nil && sw["noiseFloor"] != nil && sw["gaussianBaseline"] != nil)
  }

  @Test(
    "bad values exit non-zero with one line naming the flag",
    arguments: [
      (["train", "--steps", "0", "--output", "OUT"], "--steps"),
      (["train", "--steps", "-3", "--output", "OUT"], "--steps"),
      (["train", "--steps", "5", "--batch", "0", "--output", "OUT"], "--batch"),
      (["train", "--steps", "5", "--dataset", "swissroll", "--output", "OUT"], "--dataset"),
      (["train", "--steps", "5", "--preset", "huge", "--output", "OUT"], "--preset"),
      (["train", "--steps", "5", "--method", "gan", "--output", "OUT"], "--method"),
      (["train", "--steps", "abc", "--output", "OUT"], "--steps"),
      (["train", "--steps", "5", "--seed", "-1", "--output", "OUT"], "--seed"),
      (["train", "--steps", "5", "--output", "/proc/cm-cannot-write-here"], "--output"),
      (["train", "--steps", "5", "--resume", "MISSING", "--output", "OUT"], "--resume"),
      (["sample", "--checkpoint", "MISSING", "--count", "5", "--output", "OUT/s.csv"], "--checkpoint"),
      (["evaluate", "--samples", "MISSING"], "--samples"),
      (["evaluate", "--samples", "MISSING", "--dataset", "nope"], "--dataset"),
    ])
  func badValues(arguments: [String], flag: String) throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let resolved = arguments.map {
      $0.replacingOccurrences(of: "OUT", with: folder.appendingPathComponent("out").path)
        .replacingOccurrences(of: "MISSING", with: folder.appendingPathComponent("missing").path)
    }
    let result = try cm(resolved)
    #expect(result.status != 0)
    #expect(result.stdout.isEmpty)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(flag), "\(result.stderr)")
  }

  @Test("sample rejects bad counts, steps and τ lists; evaluate rejects malformed CSV")
  func badSamplingAndCSV() throws {
    let folder = try scratchFolder("cm-cli")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.appendingPathComponent("run").path
    #expect(try cm(["train", "--steps", "5", "--output", run] + tiny).status == 0)
    let checkpoint = run + "/checkpoint.cmck"
    let out = folder.appendingPathComponent("s.csv").path
    let cases: [([String], String)] = [
      (["--count", "0"], "--count"),
      (["--count", "5", "--steps", "0"], "--steps"),
      (["--count", "5", "--steps", "3", "--tau", "1,2"], "--tau"),
      (["--count", "5", "--steps", "2", "--tau", "80"], "--tau"),
      (["--count", "5", "--steps", "2", "--tau", "0.001"], "--tau"),
      (["--count", "5", "--steps", "2", "--tau", "1,0.5"], "--tau"),
      (["--count", "5", "--steps", "2", "--tau", "x"], "--tau"),
      (["--count", "5", "--weights", "both"], "--weights"),
      (["--count", "5", "--steps", "11"], "--steps"),
    ]
    for (extra, flag) in cases {
      let result = try cm(["sample", "--checkpoint", checkpoint, "--output", out] + extra)
      #expect(result.status != 0, "\(extra)")
      #expect(
        result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(flag),
        "\(extra): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out), "no file is written on error")
    }
    for (name, text) in [
      ("noheader", "1,2\n"), ("text", "x,y\n1,abc\n"), ("cols", "x,y\n1,2,3\n"), ("empty", "x,y\n"),
    ] {
      let path = folder.appendingPathComponent(name + ".csv").path
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      let result = try cm(["evaluate", "--samples", path])
      #expect(result.status != 0, "\(name)")
      #expect(result.stderr.contains("--samples"), "\(name): \(result.stderr)")
    }
    // A damaged checkpoint is rejected by name and left as it was.
    var bytes = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
    bytes = bytes.prefix(bytes.count / 2)
    let damaged = folder.appendingPathComponent("damaged.cmck")
    try bytes.write(to: damaged)
    let result = try cm(["sample", "--checkpoint", damaged.path, "--count", "5", "--output", out])
    #expect(result.status != 0)
    #expect(result.stderr.contains("truncated"), "\(result.stderr)")
    #expect(try Data(contentsOf: damaged) == bytes)
    // Resuming with a different dataset is a mismatch, and names the flag.
    let mismatch = try cm([
      "train", "--resume", checkpoint, "--steps", "5", "--dataset", "moons", "--output", run,
    ])
    #expect(mismatch.status != 0)
    #expect(mismatch.stderr.contains("--dataset"), "\(mismatch.stderr)")
  }
}
