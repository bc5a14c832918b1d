// The Swift face of GnuplotBridge: a gnuplot-iostream session writing to a file or a pipe.
import Foundation
import GnuplotBridge

/// One gnuplot session of the C++ bridge (gnuplot-iostream underneath): the commands and data
/// blocks sent go, in order, either into a script file or down a pipe into a running gnuplot.
///
/// ```
/// let session = try GnuplotSession(pipeTo: gnuplot)
/// try session.send("load '/tmp/figure.gp'")
/// try session.close()          // waits for gnuplot; throws if it exited non-zero
/// ```
///
/// Property: in file mode the file holds exactly the lines sent, each ended by "\n" (data blocks
/// as `$name << EOD`, rows, `EOD`). A failure is sticky: once a call has thrown, later calls
/// throw the same error and write nothing. Not thread-safe; the deinit closes a session left
/// open.
public final class GnuplotSession {
  private let handle: OpaquePointer
  /// The script file (file mode); nil for a pipe.
  public let scriptFile: URL?

  /// A session that writes into the script file at `url`, created or truncated.
  public init(scriptFile url: URL) throws {
    guard let handle = gnuplot_bridge_open_file(url.path) else {
      throw PlotError.cannotWrite(script: url, reason: "out of memory")
    }
    self.handle = handle
    self.scriptFile = url
    try check()
  }

  /// A session piped into a gnuplot process started from the executable at `gnuplot`; with a
  /// `timeLimit` (whole seconds > 0), a gnuplot that runs longer is ended and `close()` throws
  /// with exit status 124.
  public init(pipeTo gnuplot: URL, timeLimit: Int = 0) throws {
    guard let handle = gnuplot_bridge_open_pipe_timeout(gnuplot.path, Int32(timeLimit)) else {
      throw PlotError.gnuplotFailed(script: nil, exitStatus: nil, output: "out of memory")
    }
    self.handle = handle
    self.scriptFile = nil
    try check()
  }

  deinit { gnuplot_bridge_free(handle) }

  /// Sends one command line (a newline is appended).
  public func send(_ command: String) throws {
    _ = gnuplot_bridge_command(handle, command)
    try check()
  }

  /// Sends a named data block.
  public func send(_ block: DataBlock) throws {
    _ = block.values.withUnsafeBufferPointer { values in
      gnuplot_bridge_datablock(
        handle, block.name, values.baseAddress, block.rowCount, block.columns)
    }
    try check()
  }

  /// Closes the file, or ends gnuplot's input and waits for it; returns what gnuplot printed on
  /// stderr (warnings, `print` output; "" in file mode). Throws when gnuplot exited non-zero.
  @discardableResult
  public func close() throws -> String {
    _ = gnuplot_bridge_close(handle)
    try check()
    return gnuplotOutput
  }

  /// gnuplot's exit status once a pipe session is closed, nil before or in file mode.
  public var exitStatus: Int? {
    let status = gnuplot_bridge_exit_status(handle)
    return status < 0 ? nil : Int(status)
  }

  /// What gnuplot printed on stderr, once a pipe session is closed.
  public var gnuplotOutput: String { String(cString: gnuplot_bridge_gnuplot_output(handle)) }

  /// Turns the bridge's sticky status into a PlotError.
  private func check() throws {
    let status = gnuplot_bridge_status(handle)
    guard status != GNUPLOT_BRIDGE_OK else { return }
    let message = String(cString: gnuplot_bridge_last_error(handle))
    if let scriptFile {
      throw PlotError.cannotWrite(script: scriptFile, reason: message)
    }
    // gnuplot ran and failed: its own messages say why; otherwise the bridge's message does.
    let ranAndFailed = status == GNUPLOT_BRIDGE_GNUPLOT_FAILED && exitStatus != nil
    throw PlotError.gnuplotFailed(
      script: nil, exitStatus: exitStatus, output: ranAndFailed ? gnuplotOutput : message)
  }
}
