// A gnuplot script being assembled: data blocks plus commands, written as a standalone .gp file.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A gnuplot script with its data inline, written next to the PNG it draws:
///
/// ```
/// # <title>
/// # Data is inline: edit this file and re-run  gnuplot loss.gp
/// $loss << EOD                                    ← every DataBlock, in the order added
/// 0 0.5
/// …
/// EOD
/// set terminal pngcairo size 900,700 noenhanced
/// set output (ARG0 …)                            ← the .gp's own path with .png
/// plot $loss using 1:2 with lines title 'CT'      ← every command, in the order added
/// unset output
/// ```
///
/// `noenhanced` keeps titles literal (`sigma_data` is not a subscript). `set output` names the
/// script's own path (gnuplot's ARG0) with `.png`, so `gnuplot dir/file.gp` puts the PNG beside
/// the script from any directory, and a copied or moved folder of scripts still works.
///
/// Property: `write(to:)` is atomic (temporary file in the same folder, then rename(2)): a reader
/// sees the old script or the new one, never a half-written one.
public struct PlotScript: Sendable, Equatable {
  /// The first comment line of the script.
  public var title: String
  /// PNG width in pixels.
  public var width: Int
  /// PNG height in pixels.
  public var height: Int
  /// The data blocks, defined at the top of the script in this order.
  public private(set) var dataBlocks: [DataBlock] = []
  /// The commands that follow `set output`, in order.
  public private(set) var commands: [String] = []

  /// An empty script: no data blocks, no commands, a PNG of `width` × `height` pixels.
  public init(title: String = "", width: Int = 900, height: Int = 700) {
    self.title = title
    self.width = width
    self.height = height
  }

  /// Appends a command line.
  public mutating func add(_ command: String) {
    commands.append(command)
  }

  /// Adds a data block and returns how commands refer to it (`$name`). Names must be unique.
  @discardableResult
  public mutating func add(_ block: DataBlock) -> String {
    precondition(
      !dataBlocks.contains { $0.name == block.name },
      "PlotScript: duplicate data block \(block.name)")
    dataBlocks.append(block)
    return block.reference
  }

  /// `text` as a gnuplot single-quoted string, in which a quote is written twice: it's → 'it''s'.
  public static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// The PNG a script draws: the script's path with the extension `.png`.
  public static func imageURL(forScript scriptURL: URL) -> URL {
    scriptURL.standardizedFileURL.deletingPathExtension().appendingPathExtension("png")
  }

  /// Writes the script to `url` (creating its folder), atomically, and returns the PNG's URL
  /// that the script's `set output` names. Nothing is rendered.
  @discardableResult
  public func write(to url: URL) throws -> URL {
    let scriptURL = url.standardizedFileURL
    let imageURL = PlotScript.imageURL(forScript: scriptURL)
    let folder = scriptURL.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw PlotError.cannotWrite(
        script: scriptURL,
        reason: "cannot create folder \(folder.path): \((error as NSError).localizedDescription)")
    }
    let temporary = folder.appendingPathComponent(".\(scriptURL.lastPathComponent).tmp-\(UUID())")
    do {
      let session = try GnuplotSession(scriptFile: temporary)
      for line in header(scriptURL: scriptURL) { try session.send(line) }
      for block in dataBlocks { try session.send(block) }
      try session.send("set terminal pngcairo size \(width),\(height) noenhanced")
      try session.send(PlotScript.setOutputBesideScript(imageName: imageURL.lastPathComponent))
      for command in commands { try session.send(command) }
      try session.send("unset output")
      try session.close()
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      guard case PlotError.cannotWrite(_, let reason) = error else { throw error }
      throw PlotError.cannotWrite(script: scriptURL, reason: reason)
    }
    if rename(temporary.path, scriptURL.path) != 0 {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw PlotError.cannotWrite(
        script: scriptURL, reason: "rename from \(temporary.path): \(reason)")
    }
    return imageURL
  }

  /// `set output` to the PNG beside the script, wherever the folder has moved: gnuplot sets ARG0
  /// to the script's path for `gnuplot FILE.gp` and for `load 'FILE.gp'`; fed on standard input
  /// (ARG0 empty) it falls back to the PNG's name in the current directory.
  static func setOutputBesideScript(imageName: String) -> String {
    "set output (strlen(ARG0) > 3 ? ARG0[1:strlen(ARG0)-2] . 'png' : \(quoted(imageName)))"
  }

  /// The comment lines at the top of the script.
  private func header(scriptURL: URL) -> [String] {
    (title.isEmpty ? [] : ["# " + title.replacingOccurrences(of: "\n", with: " ")]) + [
      "# Written by the Plotting module of ConsistencyModels. The data is inline: edit this file",
      "# and re-run  gnuplot \(scriptURL.lastPathComponent)  (the PNG is written beside it)",
    ]
  }
}
