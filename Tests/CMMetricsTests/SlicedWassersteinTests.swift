import CMCore
import CMData
import CMMetrics
import Foundation
import Testing

func randomPoints(_ count: Int, seed: UInt64) -> [Double] {
  var generator = SeededGenerator(seed: seed)
  return generator.gaussians(count: 2 * count)
}

func shifted(_ x: [Double], by v: SIMD2<Double>) -> [Double] {
  x.enumerated().map { i, value in value + (i % 2 == 0 ? v.x : v.y) }
}

@Test func directionsAreEvenlySpacedOnTheHalfCircle() {
  let u = slicedWassersteinDirections(count: 4)
  #expect(u.count == 4)
  #expect(u[0] == SIMD2(1, 0))
  #expect(abs(u[2].x) < 1e-16 && u[2].y == 1)
  #expect(u.allSatisfy { abs(($0 * $0).sum() - 1) < 1e-15 })
}

@Test func wasserstein1WorkedNumber() {
  #expect(wasserstein1(sorted: [0], sorted: [0, 1]) == 0.5)
}

@Test func wasserstein1EqualSizesIsTheMeanSortedGap() {
  let a = [-1.0, 0.25, 2, 3.5]
  let b = [0.0, 0.5, 1, 4]
  let expected = zip(a, b).map { abs($0 - $1) }.reduce(0, +) / 4
  #expect(abs(wasserstein1(sorted: a, sorted: b) - expected) < 1e-15)
}

@Test func wasserstein1UnequalSizesIntegratesTheQuantileFunctions() {
  // a = {0, 3} (quantile steps at ½), b = {1, 2, 4} (steps at ⅓, ⅔):
  // ∫ = ⅓·|0 − 1| + (½ − ⅓)·|0 − 2| + (⅔ − ½)·|3 − 2| + ⅓·|3 − 4| = 1/3 + 1/3 + 1/6 + 1/3 = 7/6.
  #expect(abs(wasserstein1(sorted: [0, 3], sorted: [1, 2, 4]) - 7.0 / 6) < 1e-15)
  // A set and the same set with every point twice are the same distribution.
  let a = [-2.0, 0.5, 1, 7]
  #expect(wasserstein1(sorted: a, sorted: a.flatMap { [$0, $0] }) == 0)
}

@Test func slicedWassersteinOfASetWithItselfIsZero() {
  let x = randomPoints(500, seed: 1)
  #expect(slicedWasserstein1(x, x) == 0)
  // Order does not matter: the same multiset, reversed.
  let reversed = flat(fromPoints: points(fromFlat: x).reversed())
  #expect(slicedWasserstein1(x, reversed) == 0)
}

/// The doc comment's worked numbers: a shift by (1, 0).
@Test func slicedWassersteinWorkedNumber() {
  let x = randomPoints(300, seed: 2)
  let y = shifted(x, by: SIMD2(1, 0))
  #expect(abs(slicedWasserstein1(y, x, directions: 4) - (1 + 2.0.squareRoot()) / 4) < 1e-12)
  #expect(abs(slicedWasserstein1(y, x) - 0.636_491_935_501_301_5) < 1e-12)
}

/// Shifting by v moves every projection by ⟨v, u_l⟩, so SW₁ = (1/L) Σ_l |⟨v, u_l⟩| exactly.
@Test func slicedWassersteinOfAShiftIsTheMeanProjectedShift() {
  let x = randomPoints(400, seed: 3)
  for (v, L) in [(SIMD2(0.3, -0.4), 64), (SIMD2(-2.0, 1.5), 7), (SIMD2(0.01, 0.02), 64)] {
    let closedForm =
      slicedWassersteinDirections(count: L).map { abs(($0 * v).sum()) }.reduce(0, +) / Double(L)
    #expect(abs(slicedWasserstein1(shifted(x, by: v), x, directions: L) - closedForm) < 1e-12)
  }
  // Unequal sizes: {p} against {p, p + (1, 0)} is half the shift's distance, per direction.
  let half = slicedWasserstein1([0.2, 0.3], [0.2, 0.3, 1.2, 0.3], directions: 4)
  #expect(abs(half - (1 + 2.0.squareRoot()) / 8) < 1e-15)
}

@Test func slicedWassersteinIsSymmetric() {
  let x = randomPoints(200, seed: 4)
  let y = randomPoints(300, seed: 5).map { 0.5 * $0 + 0.1 }
  #expect(abs(slicedWasserstein1(x, y) - slicedWasserstein1(y, x)) < 1e-14)
}
