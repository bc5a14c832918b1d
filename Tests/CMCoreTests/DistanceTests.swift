// Tests of Distance.swift: squared L2, L1 and pseudo-Huber per sample, and their gradients.
import CMCore
import Foundation
import Testing
import _TestSupport

@Suite struct DistanceTests {
  @Test func distancesAndGradientsMatchReference() throws {
    let fixture = try Fixture("distance")
    let cases = try fixture.cases
    #expect(cases.count == 29)
    for c in cases {
      let (x, y, cValue) = (try c("x").doubles, try c("y").doubles, try c("c").double)
      let label = "D \(x.count), c \(cValue), x \(x), y \(y)"
      expectClose(distance(x, y, metric: .squaredL2), try c("squared_l2").double, "squared L2, \(label)")
      expectClose(distance(x, y, metric: .l1), try c("l1").double, "L1, \(label)")
      expectClose(
        distance(x, y, metric: .pseudoHuber(c: cValue)), try c("pseudo_huber").double,
        "pseudo-Huber, \(label)")
      expectClose(
        distanceGradient(x, y, metric: .squaredL2), try c("gradient_squared_l2").doubles,
        "∇ squared L2, \(label)")
      expectClose(distanceGradient(x, y, metric: .l1), try c("gradient_l1").doubles, "∇ L1, \(label)")
      expectClose(
        distanceGradient(x, y, metric: .pseudoHuber(c: cValue)), try c("gradient_pseudo_huber").doubles,
        "∇ pseudo-Huber, \(label)")
      if x.count == 1 {
        // One dimension: the per-sample and the element-by-element forms coincide.
        expectClose(
          distance(x, y, metric: .pseudoHuber(c: cValue)), try c("pseudo_huber_elementwise_mean").double,
          "1-D, \(label)")
      }
    }
  }

  @Test func pseudoHuberCMatchesReference() throws {
    for c in try Fixture("distance").cases where try c("c").double != 1 {
      let D = try c("x").doubles.count
      expectClose(pseudoHuberC(dimension: D), try c("c").double, "c for D \(D)")
    }
  }

  @Test func workedNumbers() {
    // "D = 2 gives c = 0.000763675…; D = 3·32·32 (CIFAR-10) gives c = 0.0299298… ≈ 0.03"
    #expect(
      matchesWrittenDigits(pseudoHuberC(dimension: 2), "0.000763675"), "c(2) = \(pseudoHuberC(dimension: 2))")
    #expect(
      matchesWrittenDigits(pseudoHuberC(dimension: 3 * 32 * 32), "0.0299298"),
      "c(3072) = \(pseudoHuberC(dimension: 3072))")
    // "x = (1, 2), y = (0, 0): squared L2 = 2.5, L1 = 1.5, pseudo-Huber with c = 1 gives √6 − 1 = 1.44949…"
    #expect(distance([1, 2], [0, 0], metric: .squaredL2) == 2.5)
    #expect(distance([1, 2], [0, 0], metric: .l1) == 1.5)
    let huber = distance([1, 2], [0, 0], metric: .pseudoHuber(c: 1))
    #expect(matchesWrittenDigits(huber, "1.44949"), "pseudo-Huber = \(huber)")
    expectClose(huber, 6.0.squareRoot() - 1, abs: 0, rel: 1e-15, "√6 − 1")
  }

  @Test func zeroOnEqualInputsAndNonnegative() {
    var generator = SeededGenerator(seed: 29)
    let metrics: [DistanceMetric] = [.squaredL2, .l1, .pseudoHuber(c: 0.00054), .pseudoHuber(c: 1)]
    for D in [1, 2, 3, 5, 64] {
      for _ in 0..<50 {
        let x = generator.gaussians(count: D)
        let y = generator.gaussians(count: D).map { $0 * generator.nextUniform() }
        for metric in metrics {
          #expect(distance(x, x, metric: metric) == 0, "d(x, x) for \(metric), D \(D)")
          #expect(distance(x, y, metric: metric) >= 0, "d(x, y) < 0 for \(metric), D \(D)")
          #expect(distanceGradient(x, x, metric: metric).allSatisfy { $0 == 0 }, "∇d(x, x) for \(metric)")
        }
      }
    }
  }

  @Test func pseudoHuberIsPerSampleNotPerElement() {
    // x − y = (a, a): per sample √(2a² + c²) − c; element by element it would be √(a² + c²) − c.
    let (a, c) = (0.3, 0.01)
    let perSample = distance([a, a], [0, 0], metric: .pseudoHuber(c: c))
    expectClose(perSample, (2 * a * a + c * c).squareRoot() - c, rel: 1e-14, "per-sample pseudo-Huber")
    let elementwiseMean = (a * a + c * c).squareRoot() - c
    #expect(!isClose(perSample, elementwiseMean, abs: 1e-3, rel: 0), "matches the element-by-element variant")
  }

  @Test func pseudoHuberDiffersFromElementwiseVariantOfReference() throws {
    for c in try Fixture("distance").cases where try c("x").doubles.count > 1 {
      let (x, y, cValue) = (try c("x").doubles, try c("y").doubles, try c("c").double)
      let elementwise = try c("pseudo_huber_elementwise_mean").double
      let value = distance(x, y, metric: .pseudoHuber(c: cValue))
      if value > 1e-3 {
        #expect(
          !isClose(value, elementwise, abs: 0, rel: 1e-3), "per-sample equals elementwise for x \(x), y \(y)")
      }
    }
  }

  @Test func pseudoHuberAsymptotes() {
    let c = 0.01
    // ‖x − y‖ ≪ c: ≈ ‖x − y‖²/(2c), relative error about ‖x − y‖²/(4c²).
    let small = distance([1e-6, 2e-6], [0, 0], metric: .pseudoHuber(c: c))
    expectClose(small, 5e-12 / (2 * c), abs: 0, rel: 1e-7, "small-difference limit")
    // ‖x − y‖ ≫ c: ≈ ‖x − y‖ − c, error about c²/(2‖x − y‖).
    let large = distance([300, 400], [0, 0], metric: .pseudoHuber(c: c))
    expectClose(large, 500 - c, abs: 1e-6, rel: 0, "large-difference limit")
  }

  @Test func gradientMatchesCentralDifferences() {
    var generator = SeededGenerator(seed: 31)
    let h = 1e-6
    for D in [1, 2, 3, 5] {
      for metric in [
        DistanceMetric.squaredL2, .l1, .pseudoHuber(c: pseudoHuberC(dimension: D)), .pseudoHuber(c: 1),
      ] {
        for _ in 0..<10 {
          let x = generator.gaussians(count: D)
          // Keep every |xᵢ − yᵢ| ≥ 0.1 so that L1's kink at 0 stays out of the ±h stencil.
          let y = x.map { $0 + (generator.nextUniform() < 0.5 ? -1 : 1) * (0.1 + generator.nextUniform()) }
          let gradient = distanceGradient(x, y, metric: metric)
          for i in 0..<D {
            var plus = x
            var minus = x
            plus[i] += h
            minus[i] -= h
            let numeric = (distance(plus, y, metric: metric) - distance(minus, y, metric: metric)) / (2 * h)
            // Central differences: truncation O(h²) and rounding about 1e-16/h = 1e-10.
            expectClose(gradient[i], numeric, abs: 1e-8, rel: 1e-6, "∂d/∂x[\(i)] for \(metric), D \(D)")
          }
        }
      }
    }
  }
}
