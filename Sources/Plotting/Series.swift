// One named set of (x, y) pairs: a curve of a line plot, or the points of a scatter panel.
import Foundation

/// A titled set of (x, y) pairs, the unit the figure builders take: one curve of
/// `PlotScript.linePlot`, one panel of `PlotScript.scatterPanels`.
public struct Series: Sendable, Equatable {
  /// Legend entry or panel title.
  public var title: String
  /// The x coordinates, one per point.
  public var x: [Double]
  /// The y coordinates, as many as `x`.
  public var y: [Double]
  /// Its colour as gnuplot reads it (`#d62728`); nil takes the next colour of the palette.
  public var color: String?
  /// Drawn dashed (a line plot's second style, such as 2-step beside 1-step).
  public var dashed: Bool

  /// A series from its two coordinate arrays, of equal length.
  public init(_ title: String, x: [Double], y: [Double], color: String? = nil, dashed: Bool = false) {
    precondition(x.count == y.count, "Series \(title): \(x.count) x values but \(y.count) y values")
    self.title = title
    self.x = x
    self.y = y
    self.color = color
    self.dashed = dashed
  }

  /// A series from 2-D points (CMData's sample type).
  public init(_ title: String, points: [SIMD2<Double>], color: String? = nil) {
    self.init(title, x: points.map(\.x), y: points.map(\.y), color: color)
  }

  /// A series from a row-major n × 2 array of points (x₁, y₁, x₂, y₂, …).
  public init(_ title: String, flatPoints points: [Double], color: String? = nil) {
    precondition(points.count % 2 == 0, "Series \(title): an odd number of coordinates")
    self.init(
      title, x: stride(from: 0, to: points.count, by: 2).map { points[$0] },
      y: stride(from: 1, to: points.count, by: 2).map { points[$0] }, color: color)
  }

  /// Its colour, or the palette's i-th.
  func color(index i: Int) -> String { color ?? seriesColors[i % seriesColors.count] }

  /// The series as a two-column data block named `name`.
  func dataBlock(name: String) -> DataBlock {
    DataBlock(name: name, columns: [x, y])
  }
}

/// Line and point colours, in order: matplotlib's "tab10", which stays distinguishable in print.
let seriesColors = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
]

/// `[lo:hi]` covering the finite values of `values` with 5% margin each side; nil when there is
/// no finite value. A single value v gives [v − 1 : v + 1].
func paddedRange(_ values: [Double]) -> String? {
  let finite = values.filter(\.isFinite)
  guard let lo = finite.min(), let hi = finite.max() else { return nil }
  let margin = hi > lo ? 0.05 * (hi - lo) : 1
  return "[\(lo - margin):\(hi + margin)]"
}
