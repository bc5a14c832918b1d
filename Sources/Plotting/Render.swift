// Running gnuplot on a written script, and making sure a PNG came out.
import Foundation

/// What a successful render produced.
public struct RenderResult: Sendable, Equatable {
  /// The script gnuplot ran.
  public let scriptURL: URL
  /// The PNG it wrote (checked: exists, starts with the PNG signature, written by this run).
  public let imageURL: URL
  /// The PNG's size in bytes.
  public let byteCount: Int
  /// What gnuplot printed on stderr: warnings and `print` output, "" for a quiet run.
  public let gnuplotOutput: String
}

/// Finding gnuplot and rendering scripts with it through GnuplotBridge.
public enum Gnuplot {
  /// The 8 bytes every PNG file starts with (PNG specification, section 5.2).
  ///
  /// ```
  /// 89 50 4E 47 0D 0A 1A 0A      (\x89 P N G \r \n \x1A \n)
  /// ```
  public static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// The first executable `gnuplot` in the folders of `searchPath` (PATH's format), or nil.
  public static func executable(
    searchPath: String? = ProcessInfo.processInfo.environment["PATH"]
  ) -> URL? {
    for folder in (searchPath ?? "").split(separator: ":") where !folder.isEmpty {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("gnuplot")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  /// How long one figure may take gnuplot before it is stopped: a hung gnuplot must not hang
  /// the caller (the figures here render in well under a second).
  public static let defaultTimeLimit = 60

  /// Runs `gnuplot` on the script at `scriptURL` (a pipe session that sends `load 'script'`)
  /// and checks the PNG beside it, `PlotScript.imageURL(forScript:)`.
  ///
  /// gnuplot-iostream reports nothing about gnuplot itself, so failure is detected three ways:
  /// gnuplot's exit status (non-zero after any error when its input is not a terminal), and the
  /// PNG, which must exist, start with `pngSignature` and be newer than this call (a stale PNG
  /// is deleted first). Throws `PlotError.gnuplotNotFound` when `gnuplot` is nil.
  @discardableResult
  public static func render(
    scriptURL: URL, gnuplot: URL? = Gnuplot.executable(), timeLimit: Int = defaultTimeLimit
  ) throws -> RenderResult {
    let scriptURL = scriptURL.standardizedFileURL
    guard let gnuplot else { throw PlotError.gnuplotNotFound(script: scriptURL) }
    let imageURL = PlotScript.imageURL(forScript: scriptURL)
    try? FileManager.default.removeItem(at: imageURL)  // a stale PNG must not pass for a new one
    let start = Date()
    let output: String
    do {
      let session = try GnuplotSession(pipeTo: gnuplot, timeLimit: timeLimit)
      try session.send("load \(PlotScript.quoted(scriptURL.path))")
      output = try session.close()
    } catch PlotError.gnuplotFailed(_, let exitStatus, let output) {
      let said = exitStatus == 124 ? "gnuplot did not finish within \(timeLimit) s and was stopped" : output
      throw PlotError.gnuplotFailed(script: scriptURL, exitStatus: exitStatus, output: said)
    }
    let byteCount = try checkPNG(imageURL, script: scriptURL, notBefore: start)
    return RenderResult(
      scriptURL: scriptURL, imageURL: imageURL, byteCount: byteCount, gnuplotOutput: output)
  }

  /// The size of the PNG at `imageURL`, after checking that it exists, starts with the PNG
  /// signature and was modified at or after `start` (less 1 s, as file times use a coarser clock).
  static func checkPNG(_ imageURL: URL, script: URL, notBefore start: Date) throws -> Int {
    let attributes = try? FileManager.default.attributesOfItem(atPath: imageURL.path)
    guard let attributes, let size = attributes[.size] as? Int else {
      throw PlotError.noImage(script: script, image: imageURL, reason: "was not written")
    }
    let head = FileManager.default.contents(atPath: imageURL.path)?.prefix(pngSignature.count)
    guard let head, Array(head) == pngSignature else {
      throw PlotError.noImage(
        script: script, image: imageURL,
        reason: "does not start with the PNG signature (\(size) bytes)")
    }
    if let modified = attributes[.modificationDate] as? Date,
      modified < start.addingTimeInterval(-1)
    {
      throw PlotError.noImage(script: script, image: imageURL, reason: "is older than this run")
    }
    return size
  }
}

extension PlotScript {
  /// Writes the script to `url` and renders it: `write(to:)` then `Gnuplot.render(scriptURL:)`.
  /// When gnuplot is missing the script is still written, and `PlotError.gnuplotNotFound` says
  /// how to render it by hand.
  @discardableResult
  public func render(to url: URL, gnuplot: URL? = Gnuplot.executable()) throws -> RenderResult {
    try write(to: url)
    return try Gnuplot.render(scriptURL: url, gnuplot: gnuplot)
  }
}
