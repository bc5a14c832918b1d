// The progress bar of the training commands.

import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar {
  private var total: Int
  private let enabled = isatty(2) != 0
  private var lastDrawn = -1

  init(total: Int) { self.total = total }

  /// `update(_:)` of a bar whose total is now `total` (one bar reused for several runs).
  func update(_ done: Int, of total: Int) {
    self.total = total
    update(done)
  }

  func update(_ done: Int) {
    guard enabled else { return }
    let percent = done * 100 / max(total, 1)
    guard percent != lastDrawn else { return }
    lastDrawn = percent
    let width = 30
    let filled = percent * width / 100
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    FileHandle.standardError.write(Data("\r\(bar) \(percent)%  \(done)/\(total)".utf8))
  }

  func clear() {
    guard enabled, lastDrawn >= 0 else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    lastDrawn = -1
  }

  func finish() { clear() }
}
