// Sliced Wasserstein-1: how far apart two 2-D sample sets are, by averaging the exact 1-D
// optimal-transport distance over fixed projection directions.
import Foundation

/// The L fixed, evenly spaced projection directions of `slicedWasserstein1`: unit vectors at
/// angles πl/L on the upper half circle (u and −u give the same 1-D distance, so half suffices).
///
/// ```
/// u_l = (cos(πl/L), sin(πl/L)),   l = 0 … L − 1
/// ```
///
/// No randomness: the metric is a deterministic function of the two sample sets.
public func slicedWassersteinDirections(count L: Int) -> [SIMD2<Double>] {
  precondition(L > 0, "slicedWassersteinDirections needs at least one direction")
  return (0..<L).map { l in
    let angle = Double.pi * Double(l) / Double(L)
    return SIMD2(cos(angle), sin(angle))
  }
}

/// The exact Wasserstein-1 distance between two 1-D empirical distributions (n and m equally
/// weighted points): the area between their quantile functions.
///
/// ```
/// W₁(a, b) = ∫₀¹ |F_a⁻¹(q) − F_b⁻¹(q)| dq,   F_a⁻¹(q) = a_(i) for q ∈ ((i−1)/n, i/n]
/// equal sizes:  W₁ = (1/n) Σ_i |a_(i) − b_(i)|
/// ```
///
/// Both quantile functions are step functions, so the integral is a finite sum over the merged
/// grid of their breakpoints {i/n} ∪ {j/m}. The breakpoints are compared as integers (i·m against
/// j·n), so the grid is exact; with n = m it is the sorted-pairs mean above.
///
/// Mathematical properties: W₁(a, a) = 0; W₁(a, a + c) = |c|; a metric on distributions, so a set
/// and the same set with every point repeated twice are at distance 0.
///
/// Worked number: a = {0}, b = {0, 1} gives ½·|0 − 0| + ½·|0 − 1| = 0.5.
public func wasserstein1(sorted a: [Double], sorted b: [Double]) -> Double {
  precondition(!a.isEmpty && !b.isEmpty, "wasserstein1 needs two non-empty samples")
  let n = a.count
  let m = b.count
  // Work in units of 1/(n·m): a's i-th breakpoint is (i+1)·m, b's j-th is (j+1)·n.
  var i = 0
  var j = 0
  var q = 0
  var area = 0.0
  while i < n && j < m {
    let nextA = (i + 1) * m
    let nextB = (j + 1) * n
    let next = min(nextA, nextB)
    area += Double(next - q) * abs(a[i] - b[j])
    q = next
    if nextA == next { i += 1 }
    if nextB == next { j += 1 }
  }
  return area / (Double(n) * Double(m))
}

/// Sliced Wasserstein-1 between two sets of 2-D points (flat row-major count × 2 arrays, sizes
/// may differ): the exact 1-D W₁ of their projections, averaged over L fixed directions.
///
/// ```
/// SW₁(A, B) = (1/L) Σ_l W₁( {⟨a_i, u_l⟩}, {⟨b_j, u_l⟩} ),   u_l = (cos πl/L, sin πl/L)
/// ```
///
/// with W₁ from `wasserstein1(sorted:sorted:)` (sorted projections; equal sizes pair the i-th
/// smallest with the i-th smallest, unequal sizes integrate the quantile functions exactly).
///
/// Mathematical properties: SW₁(A, A) = 0; symmetric; the triangle inequality holds; shifting
/// every point of A by v gives exactly SW₁(A, A + v) = (1/L) Σ_l |⟨v, u_l⟩|, which tends to
/// (2/π)·‖v‖ as L → ∞. Cost O(L·(n log n + m log m)).
///
/// Worked number: A + (1, 0) against A, with L = 4, is (|cos 0| + |cos π/4| + |cos π/2| +
/// |cos 3π/4|)/4 = (1 + √2)/4 = 0.60355339…; with L = 64 it is 0.63649193… (2/π = 0.63661977…).
public func slicedWasserstein1(_ a: [Double], _ b: [Double], directions L: Int = 64) -> Double {
  precondition(a.count % 2 == 0 && b.count % 2 == 0, "slicedWasserstein1 needs count × 2 arrays")
  let directions = slicedWassersteinDirections(count: L)
  var total = 0.0
  for u in directions {
    let projectedA = ascending(project(a, onto: u))
    let projectedB = ascending(project(b, onto: u))
    total += wasserstein1(sorted: projectedA, sorted: projectedB)
  }
  return total / Double(L)
}

/// x sorted in ascending order. An unoptimised build (the one the tests run) calls the standard
/// library's generic sort unspecialised, through value witnesses, about twenty times slower than
/// the C library's qsort; it sorts with qsort instead. The two orders can differ only among
/// numbers that compare equal (+0 and −0) or among NaNs, and neither changes the metric: |a − b|
/// does not depend on a zero's sign, and a NaN makes the total NaN either way.
private func ascending(_ x: [Double]) -> [Double] {
  #if DEBUG
    var result = x
    result.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      qsort(base, buffer.count, MemoryLayout<Double>.stride) { p, q in
        let a = p!.load(as: Double.self)
        let b = q!.load(as: Double.self)
        return a < b ? -1 : (a > b ? 1 : 0)
      }
    }
    return result
  #else
    return x.sorted()
  #endif
}

/// ⟨x_i, u⟩ for every row x_i of a flat count × 2 array.
private func project(_ x: [Double], onto u: SIMD2<Double>) -> [Double] {
  // A loop over raw buffers rather than `map`: the unoptimised build (the tests') runs a generic
  // `map` through its closure and value witnesses, several times slower.
  let count = x.count / 2
  return x.withUnsafeBufferPointer { x in
    [Double](unsafeUninitializedCapacity: count) { result, initialized in
      for i in 0..<count { result[i] = x[2 * i] * u.x + x[2 * i + 1] * u.y }
      initialized = count
    }
  }
}
