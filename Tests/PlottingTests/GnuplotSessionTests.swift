// Tests of GnuplotSession.swift and the C API of GnuplotBridge under it.
import Foundation
import GnuplotBridge
import Plotting
import Testing

@Suite struct GnuplotSessionTests {
  @Test func fileModeWritesExactlyTheCommandsSent() throws {
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("session.gp")
    let session = try GnuplotSession(scriptFile: url)
    try session.send("set xrange [0:1]")
    try session.send(DataBlock(name: "d", rows: [[1, 2.5], [-3, 0.1]]))
    try session.send("plot $d using 1:2 with points, \\\n     x title 'it''s'")
    try session.close()
    #expect(
      text(url) == """
        set xrange [0:1]
        $d << EOD
        1 2.5
        -3 0.1
        EOD
        plot $d using 1:2 with points, \\
             x title 'it''s'

        """)
    #expect(session.exitStatus == nil)
  }

  @Test func fileModeOpenFailureNamesThePath() throws {
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("missing/session.gp")
    #expect {
      _ = try GnuplotSession(scriptFile: url)
    } throws: { error in
      let text = "\(error)"
      return text.contains(url.path) && text.contains("No such file or directory")
    }
  }

  @Test func pipeToMissingExecutableReportsStatus127() throws {
    // The shell cannot start it, so the write may hit a closed pipe: SIGPIPE must not kill us.
    let session = try GnuplotSession(pipeTo: URL(fileURLWithPath: "/nonexistent/gnuplot"))
    try? session.send("print 1")
    #expect(throws: PlotError.self) { try session.close() }
    #expect(session.exitStatus == 127)
  }

  @Test func pipeReturnsGnuplotsStderrAndStatus() throws {
    let gnuplot = try #require(Gnuplot.executable(), "gnuplot must be on PATH")
    let quiet = try GnuplotSession(pipeTo: gnuplot)
    try quiet.send("print 'hello from gnuplot'")
    #expect(try quiet.close().contains("hello from gnuplot"))
    #expect(quiet.exitStatus == 0)

    let failing = try GnuplotSession(pipeTo: gnuplot)
    try failing.send("plot no_such_function(x)")
    #expect {
      try failing.close()
    } throws: { error in
      guard case PlotError.gnuplotFailed(_, let status, let output) = error else { return false }
      return status == 1 && output.contains("undefined function")
    }
  }

  @Test func cAPIErrorsAreStickyAndNamed() throws {
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("c.gp")
    let session = try #require(gnuplot_bridge_open_file(url.path))
    defer { gnuplot_bridge_free(session) }
    #expect(gnuplot_bridge_command(session, "set grid") == GNUPLOT_BRIDGE_OK)
    let values: [Double] = [1, 2]
    #expect(gnuplot_bridge_datablock(session, "1bad", values, 1, 2) == GNUPLOT_BRIDGE_BAD_ARGUMENT)
    #expect(String(cString: gnuplot_bridge_last_error(session)).contains("'1bad'"))
    // Sticky: nothing more is written.
    #expect(gnuplot_bridge_command(session, "plot x") == GNUPLOT_BRIDGE_BAD_ARGUMENT)
    #expect(gnuplot_bridge_close(session) == GNUPLOT_BRIDGE_BAD_ARGUMENT)
    #expect(text(url) == "set grid\n")
  }
}
