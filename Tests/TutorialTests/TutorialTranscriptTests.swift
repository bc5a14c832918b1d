// Each numbered tutorial is run as a built product and its output compared with the transcript
// stored beside it (STYLE.md rule 8). Transcripts come only from Tutorials/update-transcripts.sh.
import Foundation
import Testing
import _TestSupport

/// One tutorial: its folder under Tutorials/ and its product name, in reading order.
struct TutorialCase: Sendable, CustomTestStringConvertible {
  var folder: String
  var product: String
  /// Whether the tutorial trains a network: its numbers then go through OpenBLAS's matrix
  /// products, whose summation order (and so the last bits) depends on the CPU kernel OpenBLAS
  /// picks, and training amplifies those bits. On another CPU model its trained digits may
  /// legitimately differ, so a mismatch there is checked with the numbers masked: the text, the
  /// steps and the table shapes must still match exactly.
  var trains = false
  var testDescription: String { product }
}

let tutorialCases: [TutorialCase] = [
  TutorialCase(folder: "00-WhatIsAConsistencyModel", product: "Tutorial00WhatIsAConsistencyModel"),
  TutorialCase(folder: "01-Curriculum", product: "Tutorial01Curriculum"),
  TutorialCase(folder: "02-KarrasGrid", product: "Tutorial02KarrasGrid"),
  TutorialCase(folder: "03-NoisyPair", product: "Tutorial03NoisyPair"),
  TutorialCase(folder: "04-ConsistencyFunction", product: "Tutorial04ConsistencyFunction"),
  TutorialCase(folder: "05-Distances", product: "Tutorial05Distances"),
  TutorialCase(folder: "06-TargetEMA", product: "Tutorial06TargetEMA"),
  TutorialCase(folder: "07-CTStep", product: "Tutorial07CTStep", trains: true),
  TutorialCase(folder: "08-Sampling", product: "Tutorial08Sampling", trains: true),
  TutorialCase(folder: "09-CDOrCT", product: "Tutorial09CDOrCT"),
  TutorialCase(folder: "10-SeedAsWritten", product: "Tutorial10SeedAsWritten", trains: true),
  TutorialCase(folder: "11-ConditionalSampling", product: "Tutorial11ConditionalSampling", trains: true),
  TutorialCase(folder: "12-Interpolation", product: "Tutorial12Interpolation", trains: true),
]

/// The stored transcript of a tutorial.
func transcript(_ tutorial: TutorialCase) throws -> String {
  let url = repositoryRoot().appendingPathComponent("Tutorials/\(tutorial.folder)/transcript.txt")
  return try String(contentsOf: url, encoding: .utf8)
}

/// The text with every number replaced by `#` and every run of spaces by one space (for the
/// trained tutorials; see `trains`): a number of another width also moves a table's columns.
func maskingNumbers(_ text: String) -> String {
  text.replacingOccurrences(
    of: "-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?", with: "#", options: .regularExpression
  ).replacingOccurrences(of: " +", with: " ", options: .regularExpression)
}

/// nil when the transcript matches (for a trained tutorial: exactly, or else with numbers
/// masked); otherwise where they first differ, line by line.
func firstDifference(actual: String, expected: String, tutorial: TutorialCase) -> String? {
  if actual == expected { return nil }
  guard tutorial.trains else { return firstDifference(actual: actual, expected: expected) }
  return firstDifference(actual: maskingNumbers(actual), expected: maskingNumbers(expected))
}

/// nil when the two texts are equal; otherwise where they first differ, line by line.
func firstDifference(actual: String, expected: String) -> String? {
  if actual == expected { return nil }
  let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
  let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
  for index in 0..<max(actualLines.count, expectedLines.count) {
    let a = index < actualLines.count ? String(actualLines[index]) : "<end of output>"
    let e = index < expectedLines.count ? String(expectedLines[index]) : "<end of transcript>"
    if a != e {
      return "line \(index + 1) differs\n  transcript: \(e)\n  output:     \(a)\n"
        + "(if the change is intended, run Tutorials/update-transcripts.sh and review the diff)"
    }
  }
  return "the texts differ in a way the line split cannot show (line endings?)"
}

/// A new empty folder to run a tutorial in: its figures (out/tutorials/, relative to the current
/// directory) land there, not in the repository, and two runs never share one.
func scratchFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("tutorial-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The paths a tutorial's output names on its `figure |` lines.
func figurePaths(in output: String) -> [String] {
  output.split(separator: "\n").compactMap { line in
    let parts = line.components(separatedBy: "  figure | ")
    return parts.count == 2 && parts[0].isEmpty ? parts[1] : nil
  }
}

/// Every figure a transcript names was written where it says, relative to the folder the tutorial
/// ran in: the PNG (checked by its signature) and the gnuplot script beside it, and nothing else
/// is left in out/tutorials (no staging folder).
func checkFigures(named paths: [String], in folder: URL) throws {
  let outFolder = folder.appendingPathComponent("out/tutorials").path
  guard !paths.isEmpty else {
    #expect(!FileManager.default.fileExists(atPath: outFolder), "figures written but none printed")
    return
  }
  var expected: [String] = []
  for path in paths {
    #expect(!path.hasPrefix("/"), "\(path) is absolute")
    let png = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path)
    #expect(png.map { Array($0.prefix(4)) } == [0x89, 0x50, 0x4E, 0x47], "\(path) is not a PNG")
    let name = String(path.split(separator: "/").last!.dropLast(4))
    expected += [name + ".gp", name + ".png"]
  }
  let written = try FileManager.default.contentsOfDirectory(atPath: outFolder)
  #expect(written.sorted() == expected.sorted(), "out/tutorials holds \(written.sorted())")
}

@Suite("Tutorials match their transcripts")
struct TutorialTranscriptTests {
  @Test("--no-pause prints exactly the transcript", arguments: tutorialCases)
  func noPauseMatchesTranscript(_ tutorial: TutorialCase) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runProduct(tutorial.product, ["--no-pause"], currentDirectory: folder)
    #expect(result.status == 0, "exit status \(result.status); stderr: \(result.stderr)")
    #expect(result.stderr.isEmpty, "unexpected stderr: \(result.stderr)")
    let expected = try transcript(tutorial)
    #expect(!expected.isEmpty, "empty transcript: run Tutorials/update-transcripts.sh")
    if let difference = firstDifference(actual: result.stdout, expected: expected, tutorial: tutorial) {
      Issue.record("\(tutorial.product): \(difference)")
    }
    try checkFigures(named: figurePaths(in: expected), in: folder)
  }

  /// Without `--no-pause` but with a pipe (not a terminal) as standard input, the tutorial must
  /// not wait for Return: it finishes and prints the same text, with no "press Return" prompt.
  /// Whether to pause is TutorialKit's decision, the same code in every tutorial, so the tutorials
  /// that train (their transcripts checked above, and most of this suite's time) are not run a
  /// second time for it.
  @Test("a pipe on stdin runs straight through", arguments: tutorialCases.filter { !$0.trains })
  func pipedStdinDoesNotPause(_ tutorial: TutorialCase) throws {
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runProduct(tutorial.product, [], stdin: "\n\n\n\n\n\n", currentDirectory: folder)
    #expect(result.status == 0, "exit status \(result.status); stderr: \(result.stderr)")
    #expect(!result.stdout.contains("press Return"))
    if let difference = firstDifference(
      actual: result.stdout, expected: try transcript(tutorial), tutorial: tutorial)
    {
      Issue.record("\(tutorial.product) (stdin a pipe): \(difference)")
    }
  }

  @Test("masking numbers keeps the words, and spacing that a number's width moves does not count")
  func maskingKeepsText() {
    #expect(maskingNumbers("k 1200  N(k)=17  μ(k)=0.9712  loss -8.3e-2") == "k # N(k)=# μ(k)=# loss #")
    #expect(maskingNumbers("  12   (1.5, 2)") == maskingNumbers("  123  (1.5, 2)"))
    #expect(maskingNumbers("Step 1 of 5") != maskingNumbers("Step 1 of 5: more"))
  }

  /// Without gnuplot a tutorial still prints its whole text (the transcript) and exits 0; each
  /// figure's script is written where the PNG would be, stderr says how to render it, and no
  /// staging folder is left behind.
  @Test("without gnuplot on PATH: same text, the scripts, and how to render them")
  func withoutGnuplot() throws {
    let tutorial = tutorialCases.first { $0.product == "Tutorial02KarrasGrid" }!
    let folder = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runProduct(
      tutorial.product, ["--no-pause"], currentDirectory: folder, environment: ["PATH": "/nonexistent"])
    #expect(result.status == 0)
    #expect(result.stdout == (try transcript(tutorial)))
    #expect(
      result.stderr
        == "figure out/tutorials/02-karras-grid.png: gnuplot not found on PATH; render with: "
        + "gnuplot out/tutorials/02-karras-grid.gp\n")
    let written = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("out/tutorials").path)
    #expect(written == ["02-karras-grid.gp"])
  }

  @Test("an unknown argument is refused with a usage line")
  func unknownArgument() throws {
    let result = try runProduct("Tutorial01Curriculum", ["--bogus"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("usage:"))
  }
}

#if os(Linux)
  /// Runs a tutorial inside a pseudo-terminal with util-linux `script`, feeding `input` to it,
  /// and returns what the terminal showed.
  func runAtTerminal(_ product: String, _ arguments: [String], input: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    let command = ([productsDirectory().appendingPathComponent(product).path] + arguments)
      .joined(separator: " ")
    process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
    let inPipe = Pipe()
    let outPipe = Pipe()
    process.standardInput = inPipe
    process.standardOutput = outPipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    inPipe.fileHandleForWriting.write(Data(input.utf8))
    try inPipe.fileHandleForWriting.close()
    let output = outPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self)
  }

  /// Whether util-linux `script` is installed and can open a pseudo-terminal here.
  func pseudoTerminalAvailable() -> Bool {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return false }
    let probe = Process()
    probe.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    probe.arguments = ["-q", "-e", "-c", "test -t 0 && test -t 1", "/dev/null"]
    probe.standardInput = Pipe()
    probe.standardOutput = FileHandle.nullDevice
    probe.standardError = FileHandle.nullDevice
    guard (try? probe.run()) != nil else { return false }
    probe.waitUntilExit()
    return probe.terminationStatus == 0
  }

  /// At a terminal the tutorial pauses between steps (once fewer than it has steps), and
  /// `--no-pause` turns that off. Skipped where no pseudo-terminal can be had through `script`.
  @Suite("Tutorials pause only at a terminal", .enabled(if: pseudoTerminalAvailable()))
  struct TutorialTerminalTests {
    @Test func pausesBetweenStepsAtATerminal() throws {
      // Tutorial 02 has 4 steps: 3 pauses. Return is typed ahead for each.
      let shown = try runAtTerminal("Tutorial02KarrasGrid", [], input: "\n\n\n")
      #expect(shown.components(separatedBy: "press Return").count - 1 == 3)
      #expect(shown.contains("End of tutorial 02."))
    }

    @Test func noPauseAtATerminal() throws {
      let shown = try runAtTerminal("Tutorial02KarrasGrid", ["--no-pause"], input: "")
      #expect(!shown.contains("press Return"))
      #expect(shown.contains("End of tutorial 02."))
    }
  }
#endif

/// The ```text blocks of a README's "Its output" section: the excerpts it shows of the transcript.
func outputExcerpts(readme: String) -> [String] {
  guard let section = readme.components(separatedBy: "\n## Its output\n").dropFirst().first else {
    return []
  }
  let body = section.components(separatedBy: "\n## ").first ?? section
  var excerpts: [String] = []
  var current: [String]?
  for line in body.components(separatedBy: "\n") {
    if current == nil, line == "```text" {
      current = []
    } else if current != nil, line == "```" {
      excerpts.append(current!.joined(separator: "\n"))
      current = nil
    } else if current != nil {
      current!.append(line)
    }
  }
  return excerpts
}

@Suite("Tutorial READMEs quote their transcripts")
struct TutorialReadmeTests {
  /// Each README's output excerpt must be a verbatim, contiguous part of the transcript, so the
  /// guide cannot drift from what the tutorial prints.
  @Test("every output excerpt appears in the transcript", arguments: tutorialCases)
  func excerptsAppearInTranscript(_ tutorial: TutorialCase) throws {
    let url = repositoryRoot().appendingPathComponent("Tutorials/\(tutorial.folder)/README.md")
    let readme = try String(contentsOf: url, encoding: .utf8)
    let excerpts = outputExcerpts(readme: readme)
    #expect(!excerpts.isEmpty, "\(tutorial.folder)/README.md has no ```text block under '## Its output'")
    let full = try transcript(tutorial)
    for excerpt in excerpts {
      #expect(
        full.contains(excerpt + "\n"),
        "\(tutorial.folder)/README.md quotes lines that are not in transcript.txt: \(excerpt.prefix(120))…")
    }
  }
}
