// Tests of PlotScript.swift: the script's layout, atomic writing, and write errors.
import Foundation
import Plotting
import Testing

@Suite struct PlotScriptTests {
  @Test func scriptHasDataThenTerminalThenCommands() throws {
    var script = PlotScript(title: "demo", width: 400, height: 300)
    let reference = script.add(DataBlock(name: "d", rows: [[0, 1], [1, 2]]))
    script.add("plot \(reference) using 1:2 with lines")
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("demo.gp")
    let image = try script.write(to: url)
    #expect(image == folder.appendingPathComponent("demo.png").standardizedFileURL)
    #expect(
      text(url) == """
        # demo
        # Written by the Plotting module of ConsistencyModels. The data is inline: edit this file
        # and re-run  gnuplot demo.gp  (the PNG is written beside it)
        $d << EOD
        0 1
        1 2
        EOD
        set terminal pngcairo size 400,300 noenhanced
        set output (strlen(ARG0) > 3 ? ARG0[1:strlen(ARG0)-2] . 'png' : 'demo.png')
        plot $d using 1:2 with lines
        unset output

        """)
  }

  @Test func writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws {
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("a.gp")
    var first = PlotScript()
    first.add("plot x")
    try first.write(to: url)
    var second = PlotScript()
    second.add("plot x**2")
    try second.write(to: url)
    #expect(text(url).contains("plot x**2\n"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.gp"])
  }

  @Test func writeCreatesMissingFolders() throws {
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("runs/run1/figure.gp")
    try PlotScript().write(to: url)
    #expect(FileManager.default.fileExists(atPath: url.path))
  }

  @Test func unwritableFolderGivesAClearError() throws {
    // A regular file where a folder should be: unwritable even for root.
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let blocker = folder.appendingPathComponent("not-a-folder")
    try Data("x".utf8).write(to: blocker)
    let url = blocker.appendingPathComponent("figure.gp")
    #expect {
      try PlotScript().write(to: url)
    } throws: { error in
      guard case PlotError.cannotWrite(let script, _) = error else { return false }
      let text = "\(error)"
      return script == url.standardizedFileURL
        && text.hasPrefix("cannot write plot script \(url.path):")
        && text.contains("cannot create folder \(blocker.path)")
    }
  }

  @Test func quotingDoublesSingleQuotes() {
    #expect(PlotScript.quoted("it's") == "'it''s'")
    #expect(PlotScript.quoted("") == "''")
  }
}
