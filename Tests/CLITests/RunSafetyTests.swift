// The defects a new user met (issue: "the top layers … outputs that never destroy anything"),
// each reproduced through the binary: interrupted runs, outputs that replace what a path points
// to, checkpoints replaced or trusted too far, stale comparison results, and the smaller leaks.

import Foundation
import Testing
import _TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A small, fast CT run (a debug build trains it in a second or two).
let quick = ["--preset", "tiny", "--widths", "16,16", "--batch", "32"]

/// Starts `cm` without waiting for it.
func startCM(_ arguments: [String]) throws -> Process {
  let process = Process()
  process.executableURL = productsDirectory().appendingPathComponent("cm")
  process.arguments = arguments
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  try process.run()
  return process
}

/// Waits (up to `seconds`) until a file exists at `path`.
func waitForFile(_ path: String, seconds: Double = 60) -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if FileManager.default.fileExists(atPath: path) { return true }
    usleep(20_000)
  }
  return false
}

/// Rewrites the checkpoint at `path` with `change` applied to its payload, with a valid header
/// and checksum: a file that is whole but holds values no flag would accept.
func tamper(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
  var payload = try checkpointPayload(path)
  change(&payload)
  let bytes = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in bytes {
    hash ^= UInt64(byte)
    hash &*= 0x0000_0100_0000_01b3
  }
  let kind = payload["kind"] as? String ?? "ct"
  let header =
    "{\"fnv1a64\":\"\(String(hash, radix: 16))\",\"format\":\"cm-checkpoint\",\"kind\":\"\(kind)\",\"payloadBytes\":\(bytes.count),\"version\":2}\n"
  try (Data(header.utf8) + bytes).write(to: URL(fileURLWithPath: path))
}

@Suite("runs are interruptible and outputs never destroy anything")
struct RunSafetyTests {
  @Test(
    "SIGINT or SIGTERM mid-run: exit 130, a checkpoint and log saved, and the resumed run is bit for bit the run in one go"
  )
  func interruptAndResume() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let straight = folder.path + "/straight"
    #expect(try cm(["train", "--steps", "3000", "--output", straight] + quick).status == 0)
    for signal in [SIGINT, SIGTERM] {
      let run = folder.path + "/run\(signal)"
      let process = try startCM(["train", "--steps", "3000", "--output", run, "--save-every", "500"] + quick)
      // Interrupt once the run is under way (its first periodic save exists).
      #expect(waitForFile(run + "/checkpoint.cmck"))
      kill(process.processIdentifier, signal)
      process.waitUntilExit()
      #expect(process.terminationStatus == 130, "signal \(signal)")
      #expect(FileManager.default.fileExists(atPath: run + "/log.txt"))
      // --resume without --steps runs the rest of the planned K.
      let resumed = try cm(["train", "--resume", run + "/checkpoint.cmck", "--output", run])
      #expect(resumed.status == 0, "\(resumed.stderr)")
      #expect(
        try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck"))
          == Data(contentsOf: URL(fileURLWithPath: straight + "/checkpoint.cmck")), "signal \(signal)")
      #expect(
        try String(contentsOfFile: run + "/log.txt", encoding: .utf8)
          == String(contentsOfFile: straight + "/log.txt", encoding: .utf8))
      #expect(
        (try FileManager.default.contentsOfDirectory(atPath: run)).sorted() == [
          "checkpoint.cmck", "log.txt",
        ],
        "no temporary file left behind")
    }
  }

  @Test("killed with SIGKILL at any moment, the run resumes from its last save to the same bits")
  func killAndResume() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let straight = folder.path + "/straight"
    #expect(try cm(["train", "--steps", "3000", "--output", straight] + quick).status == 0)
    let run = folder.path + "/run"
    let process = try startCM(["train", "--steps", "3000", "--output", run, "--save-every", "250"] + quick)
    #expect(waitForFile(run + "/checkpoint.cmck"))
    usleep(150_000)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let resumed = try cm(["train", "--resume", run + "/checkpoint.cmck", "--output", run])
    #expect(resumed.status == 0 || resumed.stderr.contains("complete"), "\(resumed.stderr)")
    #expect(
      try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck"))
        == Data(contentsOf: URL(fileURLWithPath: straight + "/checkpoint.cmck")))
    // A kill in the middle of a write leaves at most a dead writer's temporary file, which the
    // next run into the folder removes.
    #expect(
      (try FileManager.default.contentsOfDirectory(atPath: run)).filter { $0.contains(".tmp-") }.isEmpty)
  }

  @Test("a dead writer's temporary file is removed by the next run into the folder")
  func staleTemporaryFilesAreRemoved() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let dead = Process()
    dead.executableURL = URL(fileURLWithPath: "/bin/true")
    try dead.run()
    dead.waitUntilExit()
    let run = folder.path + "/run"
    try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
    let stale = run + "/.checkpoint.cmck.tmp-\(dead.processIdentifier)"
    try Data("half a checkpoint".utf8).write(to: URL(fileURLWithPath: stale))
    #expect(try cm(["train", "--steps", "5", "--output", run] + quick).status == 0)
    #expect(!FileManager.default.fileExists(atPath: stale))
  }

  @Test("an output through a symlink writes its target and keeps the link; a FIFO is refused and kept")
  func symlinksAndFIFOs() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    #expect(try cm(["train", "--steps", "5", "--output", run] + quick).status == 0)
    let checkpoint = run + "/checkpoint.cmck"
    let target = folder.path + "/target.csv"
    let link = folder.path + "/link.csv"
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    let sample = try cm(["sample", "--checkpoint", checkpoint, "--count", "5", "--output", link])
    #expect(sample.status == 0, "\(sample.stderr)")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
    #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("x,y\n"))

    let fifo = folder.path + "/fifo"
    #expect(mkfifo(fifo, 0o644) == 0)
    let fifoLink = folder.path + "/fifo-link"
    try FileManager.default.createSymbolicLink(atPath: fifoLink, withDestinationPath: fifo)
    for path in [fifo, fifoLink] {
      let result = try cm(["sample", "--checkpoint", checkpoint, "--count", "5", "--output", path])
      #expect(result.status == 74, "\(result.stderr)")
      #expect(
        result.stderr.contains("FIFO") && result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
      var info = stat()
      #expect(stat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO is still a FIFO")
    }
    #expect(
      (try FileManager.default.contentsOfDirectory(atPath: folder.path)).filter { $0.contains(".tmp-") }
        .isEmpty)
  }

  @Test("a fresh run does not replace a different or more advanced checkpoint unless --force")
  func refusesToReplaceCheckpoints() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    #expect(try cm(["train", "--steps", "60", "--output", run] + quick).status == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck"))
    let shorter = try cm(["train", "--steps", "5", "--output", run] + quick)
    #expect(shorter.status == 64 && shorter.stderr.contains("--force"), "\(shorter.stderr)")
    let resumedBehind = try cm([
      "train", "--resume", run + "/checkpoint.cmck", "--steps", "5", "--output", run,
    ])
    #expect(resumedBehind.status == 0, "continuing the same run in place is allowed: \(resumedBehind.stderr)")
    let advanced = try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck"))
    #expect(advanced != before)
    // The same command again over its own finished run would start over: refused, naming
    // --resume and --force…
    let other = folder.path + "/other"
    #expect(try cm(["train", "--steps", "60", "--output", other] + quick).status == 0)
    let rerun = try cm(["train", "--steps", "60", "--output", other] + quick)
    #expect(
      rerun.status == 64 && rerun.stderr.contains("--resume") && rerun.stderr.contains("--force"),
      "\(rerun.stderr)")
    // …as is starting over where the run is further on, and --force allows it.
    let again = try cm(["train", "--steps", "60", "--output", run] + quick)
    #expect(again.status == 64 && again.stderr.contains("further on"), "\(again.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck")) == advanced)
    #expect(try cm(["train", "--steps", "60", "--output", run, "--force"] + quick).status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck")) == before)
    let empty = try cm(["train", "--steps", "5", "--output", ""] + quick)
    #expect(empty.status == 64 && empty.stderr.contains("--output"), "\(empty.stderr)")
  }

  @Test("a checkpoint and its log are committed together: a log that cannot be written commits no checkpoint")
  func checkpointAndLogTogether() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    #expect(try cm(["train", "--steps", "20", "--total-steps", "40", "--output", run] + quick).status == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck"))
    try FileManager.default.removeItem(atPath: run + "/log.txt")
    try FileManager.default.createDirectory(atPath: run + "/log.txt", withIntermediateDirectories: false)
    let result = try cm(["train", "--resume", run + "/checkpoint.cmck", "--output", run])
    #expect(result.status == 74, "\(result.stderr)")
    #expect(result.stderr.contains("log.txt"), "\(result.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck")) == before)
  }

  @Test(
    "a checkpoint whose checksum is right but whose values are out of range is refused by field, never trapped on",
    arguments: [
      ("totalSteps", "totalSteps"), ("batchSize", "batchSize"), ("k", "k must"), ("sigmaMin", "sigmaMin"),
      ("rho", "rho"), ("m", "optimizer moments"), ("logEvery", "logEvery"), ("generator", "generator"),
      ("t", "optimizer step count t must equal k"),
    ])
  func outOfRangeValues(field: String, message: String) throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    #expect(try cm(["train", "--steps", "5", "--output", run] + quick).status == 0)
    let checkpoint = run + "/checkpoint.cmck"
    try tamper(checkpoint) { payload in
      var state = payload["state"] as! [String: Any]
      var config = state["config"] as! [String: Any]
      switch field {
      case "k": state["k"] = -1
      case "t":
        var optimizer = state["optimizer"] as! [String: Any]
        optimizer["t"] = 1_000_000_000_000
        state["optimizer"] = optimizer
      case "m":
        var optimizer = state["optimizer"] as! [String: Any]
        optimizer["m"] = [0.0, 0.0]
        state["optimizer"] = optimizer
      case "generator":
        var generator = state["generator"] as! [String: Any]
        for word in ["s0", "s1", "s2", "s3"] { generator[word] = 0 }
        state["generator"] = generator
      default: config[field] = 0
      }
      state["config"] = config
      payload["state"] = state
    }
    for arguments in [
      ["train", "--resume", checkpoint, "--steps", "5", "--output", folder.path + "/next"],
      ["sample", "--checkpoint", checkpoint, "--count", "5", "--output", folder.path + "/s.csv"],
    ] {
      let result = try cm(arguments)
      #expect(result.status == 64, "\(field): \(result.stderr)")
      #expect(
        result.stderr.contains("invalid value") && result.stderr.contains(message)
          && result.stderr.filter { $0 == "\n" }.count == 1, "\(field): \(result.stderr)")
    }
  }

  @Test("a run too large for the machine is refused from its flags, before anything is allocated or created")
  func tooLargeIsRefused() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    let result = try cm([
      "train", "--steps", "5", "--batch", "65536", "--widths", "4096,4096,4096,4096,4096,4096,4096,4096",
      "--output", run,
    ])
    #expect(result.status == 64, "\(result.stderr)")
    #expect(
      result.stderr.contains("--batch") && result.stderr.contains("--widths") && result.stderr.contains("GiB")
    )
    #expect(!FileManager.default.fileExists(atPath: run))
  }

  @Test(
    "the smaller leaks: negative numbers, a folder as --checkpoint, huge CSV values, --preset and --c that would be ignored, c_out at 1e160"
  )
  func smallerLeaks() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    #expect(try cm(["train", "--steps", "5", "--output", run] + quick).status == 0)
    let cases: [BadInput] = [
      BadInput(
        ["train", "--steps", "-1", "--output", run], names: "--steps must be an integer ≥ 1 (got -1)"),
      BadInput(
        ["sample", "--checkpoint", run, "--count", "5", "--output", folder.path + "/s.csv"],
        names: "is a folder",
        status: 74),
      BadInput(
        ["train", "--resume", run + "/checkpoint.cmck", "--steps", "5", "--preset", "tiny", "--output", run],
        names: "--preset"),
      BadInput(["train", "--steps", "5", "--metric", "l2", "--c", "0.1", "--output", run], names: "--c"),
      BadInput(["inspect", "scalings", "--sigma", "1e160"], names: "--sigma"),
    ]
    for input in cases { try expectUsageError(input) }
    let csv = folder.path + "/big.csv"
    try "x,y\n1e160,1\n0,0\n".write(toFile: csv, atomically: true, encoding: .utf8)
    try expectUsageError(BadInput(["evaluate", "--samples", csv], names: "1e100"))
    // The pseudo-Huber c is taken when it applies.
    #expect(
      try cm(["train", "--steps", "5", "--c", "0.01", "--output", folder.path + "/c"] + quick).status == 0)
  }

  @Test(
    "rerunning the first command over an interrupted run is refused (add --resume, or --force to start over)")
  func rerunOverAnInterruptedRunIsRefused() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    // What an interruption at k = 20 of `--steps 40` leaves: the same run (K = 40), saved at k = 20.
    #expect(try cm(["train", "--steps", "20", "--total-steps", "40", "--output", run] + quick).status == 0)
    let saved = try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck"))
    let log = try String(contentsOfFile: run + "/log.txt", encoding: .utf8)
    let rerun = try cm(["train", "--steps", "40", "--output", run] + quick)
    #expect(rerun.status == 64, "\(rerun.stderr)")
    #expect(
      rerun.stderr.contains("k = 20") && rerun.stderr.contains("--resume") && rerun.stderr.contains("--force")
        && rerun.stderr.filter { $0 == "\n" }.count == 1, "\(rerun.stderr)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: run + "/checkpoint.cmck")) == saved)
    #expect(try String(contentsOfFile: run + "/log.txt", encoding: .utf8) == log)
    let resumed = try cm(["train", "--resume", run + "/checkpoint.cmck", "--output", run])
    #expect(resumed.status == 0, "\(resumed.stderr)")
  }

  @Test(
    "a log.txt without its checkpoint beside it (a user's own, or another command's) is kept unless --force")
  func foreignLogIsKept() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let mine = folder.path + "/mine"
    try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
    try "my notes\n".write(toFile: mine + "/log.txt", atomically: true, encoding: .utf8)
    let refused = try cm(["train", "--steps", "5", "--output", mine] + quick)
    #expect(refused.status == 64 && refused.stderr.contains("log.txt"), "\(refused.stderr)")
    #expect(try String(contentsOfFile: mine + "/log.txt", encoding: .utf8) == "my notes\n")
    #expect(!FileManager.default.fileExists(atPath: mine + "/checkpoint.cmck"))
    // cm pretrain into a cm train folder would replace the training log.
    let trained = folder.path + "/trained"
    #expect(try cm(["train", "--steps", "5", "--output", trained] + quick).status == 0)
    let log = try String(contentsOfFile: trained + "/log.txt", encoding: .utf8)
    let pretrain = try cm(["pretrain", "--preset", "tiny", "--steps", "5", "--output", trained])
    #expect(pretrain.status == 64 && pretrain.stderr.contains("log.txt"), "\(pretrain.stderr)")
    #expect(try String(contentsOfFile: trained + "/log.txt", encoding: .utf8) == log)
    #expect(!FileManager.default.fileExists(atPath: trained + "/teacher.cmck"))
    let forced = try cm(["train", "--steps", "5", "--output", mine, "--force"] + quick)
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(try String(contentsOfFile: mine + "/log.txt", encoding: .utf8) != "my notes\n")
  }

  @Test("a loss too large for Int (learning rate 1e3) is logged, never trapped on")
  func hugeLossesDoNotTrap() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try cm([
      "train", "--preset", "tiny", "--steps", "30", "--learning-rate", "1e3", "--metric", "l2", "--weighting",
      "uniform", "--output", folder.path + "/run",
    ])
    // Its losses pass Int's range while staying finite; then Adam's v overflows Float: the run
    // diverged (exit 1, one line naming the field), rather than a trap or an encoder's I/O error.
    #expect(result.status == 1, "\(result.status): \(result.stderr)")
    #expect(
      result.stderr.hasPrefix("error: training diverged") && result.stderr.filter { $0 == "\n" }.count == 1,
      "\(result.stderr)")
    #expect(result.stdout.contains("loss "), "\(result.stdout)")
  }

  @Test("--output naming a file descriptor, or a link to /dev/null, is refused and /dev/null stays a device")
  func descriptorsAndDevicesAreRefused() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    #expect(try cm(["train", "--steps", "5", "--output", run] + quick).status == 0)
    let null = folder.path + "/null-link"
    try FileManager.default.createSymbolicLink(atPath: null, withDestinationPath: "/dev/null")
    for (path, says) in [
      ("/dev/stdout", "file descriptor"), ("/proc/self/fd/1", "file descriptor"), (null, "character device"),
    ] {
      let result = try cm([
        "sample", "--checkpoint", run + "/checkpoint.cmck", "--count", "5", "--output", path,
      ])
      #expect(result.status == 74 && result.stderr.contains(says), "\(path): \(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
    var info = stat()
    #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: null) == "/dev/null")
    try expectUsageError(
      BadInput(
        ["sample", "--checkpoint", run + "/checkpoint.cmck", "--count", "5", "--output", ""],
        names: "--output must name the CSV file"))
  }

  @Test("--resume checks the saved run's memory estimate (here against ulimit -v) and k + --steps ≤ 1e8")
  func resumeChecksSizeAndStepBound() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = folder.path + "/run"
    #expect(
      try cm([
        "train", "--preset", "tiny", "--widths", "1024", "--batch", "8", "--steps", "1", "--output", run,
      ])
      .status == 0)
    let checkpoint = run + "/checkpoint.cmck"
    // B = 65 536 with a width of 1024 needs about 2 GiB of workspaces: more than 80 % of 2 GiB.
    try tamper(checkpoint) { payload in
      var state = payload["state"] as! [String: Any]
      var config = state["config"] as! [String: Any]
      config["batchSize"] = 65_536
      state["config"] = config
      payload["state"] = state
    }
    // `sh -c 'ulimit -v …; exec cm …'`: the address-space limit is inherited across exec.
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/bin/sh")
    shell.arguments = [
      "-c", "ulimit -v 2097152 && exec \"$0\" \"$@\"", productsDirectory().appendingPathComponent("cm").path,
      "train", "--resume", checkpoint, "--steps", "1", "--output", folder.path + "/next",
    ]
    let errors = Pipe()
    shell.standardError = errors
    shell.standardOutput = FileHandle.nullDevice
    try shell.run()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    shell.waitUntilExit()
    let limited = (status: shell.terminationStatus, stderr: stderr)
    #expect(limited.status == 64, "\(limited.stderr)")
    #expect(
      limited.stderr.contains("--resume") && limited.stderr.contains("batch 65536")
        && limited.stderr.contains("GiB"), "\(limited.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/next/checkpoint.cmck"))

    // A run saved at k = 99 999 990 may train 10 more steps, not 20.
    let small = folder.path + "/small"
    #expect(try cm(["train", "--steps", "1", "--output", small] + quick).status == 0)
    try tamper(small + "/checkpoint.cmck") { payload in
      var state = payload["state"] as! [String: Any]
      state["k"] = 99_999_990
      var optimizer = state["optimizer"] as! [String: Any]
      optimizer["t"] = 99_999_990
      state["optimizer"] = optimizer
      payload["state"] = state
    }
    try expectUsageError(
      BadInput(
        ["train", "--resume", small + "/checkpoint.cmck", "--steps", "20", "--output", small],
        names: "--steps must be in 1…10"))
  }

  @Test("a CD checkpoint whose EDM teacher is not 3 → widths → 2 (φ resized to match) is refused by name")
  func teacherOfAnotherShapeIsRefused() throws {
    let folder = try scratchFolder("cm-safety")
    defer { try? FileManager.default.removeItem(at: folder) }
    let teacher = folder.path + "/teacher"
    #expect(try cm(["pretrain", "--preset", "tiny", "--steps", "5", "--output", teacher]).status == 0)
    let run = folder.path + "/run"
    let trained = try cm(
      [
        "train", "--method", "cd", "--teacher", teacher + "/teacher.cmck", "--steps", "2", "--output", run,
      ] + quick)
    #expect(trained.status == 0, "\(trained.stderr)")
    let checkpoint = run + "/checkpoint.cmck"
    try tamper(checkpoint) { payload in
      var state = payload["state"] as! [String: Any]
      var outer = state["teacher"] as! [String: Any]
      var edm = outer["edm"] as! [String: Any]
      var inner = edm["_0"] as! [String: Any]
      var model = inner["model"] as! [String: Any]
      var network = model["network"] as! [String: Any]
      var layout = network["layout"] as! [String: Any]
      var widths = layout["widths"] as! [Int]
      widths[0] = 4
      widths[widths.count - 1] = 3
      layout["widths"] = widths
      network["layout"] = layout
      model["network"] = network
      inner["model"] = model
      // φ resized to the tampered layout, so that only the shape is wrong.
      let count = (0..<(widths.count - 1)).reduce(0) { $0 + widths[$1 + 1] * (widths[$1] + 1) }
      inner["parameters"] = [Double](repeating: 0, count: count)
      edm["_0"] = inner
      outer["edm"] = edm
      state["teacher"] = outer
      payload["state"] = state
    }
    let result = try cm(["train", "--resume", checkpoint, "--steps", "1", "--output", folder.path + "/next"])
    #expect(result.status == 64, "\(result.stderr)")
    #expect(
      result.stderr.contains("model must be a 2-D denoiser")
        && result.stderr.filter { $0 == "\n" }.count == 1,
      "\(result.stderr)")
  }
}
