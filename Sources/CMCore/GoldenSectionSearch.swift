// Minimising a function of one variable on an interval without derivatives: the search behind
// `cm tune-tau`, which picks the intermediate noise levels τ of multistep sampling (CM §6 uses
// ternary search; golden-section search is the same idea with one evaluation per step instead
// of two).
import Foundation

/// Where a one-variable minimisation ended: the best point it evaluated and every evaluation, in
/// the order made (so a figure or a log can show the search).
public struct LineSearchResult: Sendable, Equatable {
  /// The argument with the smallest value among those evaluated.
  public var argmin: Double
  /// Its value.
  public var minimum: Double
  /// Every (argument, value) evaluated, in order.
  public var evaluations: [(u: Double, value: Double)]

  public static func == (a: LineSearchResult, b: LineSearchResult) -> Bool {
    a.argmin == b.argmin && a.minimum == b.minimum && a.evaluations.map(\.u) == b.evaluations.map(\.u)
      && a.evaluations.map(\.value) == b.evaluations.map(\.value)
  }
}

/// Minimises g on [a, b]: a scan of `gridPoints` evenly spaced points to bracket the best one, then
/// golden-section search (Kiefer 1953) inside the bracket around it.
///
/// ```
/// scan:    u_i = a + i·(b − a)/(G − 1),  i = 0 … G − 1;   i* = argmin g(u_i)
/// bracket: [u_{i*−1}, u_{i*+1}]   (clipped to [a, b])
/// golden:  φ = (√5 − 1)/2 ≈ 0.618;   c = hi − φ(hi − lo),  d = lo + φ(hi − lo)
///          g(c) < g(d) ⇒ hi ← d  else  lo ← c;   one new evaluation per step
/// ```
///
/// Ternary search (the official CM code's τ search) shrinks the bracket by 2/3 per step with two
/// evaluations; golden section shrinks it by φ = 0.618 per step with one, because one of the
/// two inner points is reused. The scan first guards against a g that is not unimodal on the
/// whole of [a, b] (a sampled score is noisy): the search then refines the best scanned basin.
///
/// Mathematical property: for a g that is unimodal on the bracket, the minimiser lies within
/// (bracket width)·φ^steps of the returned point; the returned value is never above the best
/// scanned value (the best of all evaluations is returned).
///
/// Worked number: g(u) = (u − 0.3)² on [0, 1] with 5 scan points and 20 steps returns
/// u = 0.3 to within 0.5·0.618²⁰ ≈ 3·10⁻⁵.
public func goldenSectionMinimum(
  on interval: ClosedRange<Double>, gridPoints G: Int = 9, steps: Int = 20, _ g: (Double) -> Double
) -> LineSearchResult {
  precondition(G >= 3 && steps >= 0, "goldenSectionMinimum: needs ≥ 3 scan points and ≥ 0 steps")
  var evaluations: [(u: Double, value: Double)] = []
  func evaluate(_ u: Double) -> Double {
    let value = g(u)
    evaluations.append((u, value))
    return value
  }
  // scan: u_i = a + i·(b − a)/(G − 1)
  let (a, b) = (interval.lowerBound, interval.upperBound)
  let grid = (0..<G).map { a + Double($0) * (b - a) / Double(G - 1) }
  let values = grid.map(evaluate)
  let best = values.indices.min { values[$0] < values[$1] }!
  // bracket: the neighbours of the best scanned point
  var lo = grid[max(best - 1, 0)]
  var hi = grid[min(best + 1, G - 1)]
  // golden: keep the inner point with the smaller value, drop the outer part beyond the other
  let phi = (5.0.squareRoot() - 1) / 2
  var c = hi - phi * (hi - lo)
  var d = lo + phi * (hi - lo)
  var gc = evaluate(c)
  var gd = evaluate(d)
  for _ in 0..<steps {
    if gc < gd {
      hi = d
      (d, gd) = (c, gc)
      c = hi - phi * (hi - lo)
      gc = evaluate(c)
    } else {
      lo = c
      (c, gc) = (d, gd)
      d = lo + phi * (hi - lo)
      gd = evaluate(d)
    }
  }
  let winner = evaluations.indices.min { evaluations[$0].value < evaluations[$1].value }!
  return LineSearchResult(
    argmin: evaluations[winner].u, minimum: evaluations[winner].value, evaluations: evaluations)
}
