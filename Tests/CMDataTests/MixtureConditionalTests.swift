import CMCore
import CMData
import Foundation
import Testing
import _TestSupport

@Test func ring8ConditionalWorkedNumber() {
  let ring = GaussianMixture.ring8()
  let conditional = ring.conditional(observed: [0, nil])
  // The two blobs on the vertical axis carry the weight; the others are ≥ 400 nats less likely.
  let heavy = conditional.weights.indices.filter { conditional.weights[$0] > 1e-100 }
  #expect(heavy.count == 2)
  for k in heavy {
    #expect(isClose(conditional.weights[k], 0.5, abs: 1e-12))
    #expect(isClose(abs(conditional.means[k][0]), 0.70666525, abs: 1e-8))
    #expect(isClose(conditional.stds[k], 0.01766663, abs: 1e-8))
  }
  #expect(conditional.dimension == 1)
}

/// The weights by Bayes' rule written out directly (densities, not logs), for inputs where
/// nothing underflows.
private func bayesWeights(_ m: GaussianMixture, y: Double, coordinate j: Int) -> [Double] {
  let joint = (0..<m.componentCount).map { k in
    let s = m.stds[k]
    return m.weights[k] * exp(-(y - m.means[k][j]) * (y - m.means[k][j]) / (2 * s * s))
      / (s * (2 * Double.pi).squareRoot())
  }
  let total = joint.reduce(0, +)
  return joint.map { $0 / total }
}

@Test func conditionalWeightsAreBayesRule() {
  let m = GaussianMixture(
    weights: [0.2, 0.5, 0.3], means: [[-1, 2], [0.5, 0], [2, -1]], stds: [0.6, 0.9, 0.4])
  for (j, y) in [(0, 0.3), (1, -0.4), (0, 1.7)] {
    var observed: [Double?] = [nil, nil]
    observed[j] = y
    let c = m.conditional(observed: observed)
    expectClose(c.weights, bayesWeights(m, y: y, coordinate: j), abs: 1e-14, rel: 1e-12)
    #expect(c.means.map { $0[0] } == m.means.map { $0[1 - j] })
    #expect(c.stds == m.stds)
  }
}

@Test func densityFactorisesAsMarginalTimesConditional() {
  // log p(x) = log p(y_O) + log p(x_U | y_O), with p(y_O) the marginal mixture of coordinate O.
  let m = GaussianMixture(
    weights: [0.2, 0.5, 0.3], means: [[-1, 2], [0.5, 0], [2, -1]], stds: [0.6, 0.9, 0.4])
  let marginal = GaussianMixture(weights: m.weights, means: m.means.map { [$0[0]] }, stds: m.stds)
  for x in [[0.3, 1.1], [-1.5, 0.2], [2.2, -0.8]] {
    let joint = m.logDensity(x: x, t: 0)
    let split =
      marginal.logDensity(x: [x[0]], t: 0) + m.conditional(observed: [x[0], nil]).logDensity(x: [x[1]], t: 0)
    #expect(isClose(joint, split, abs: 1e-12))
  }
}

@Test func farObservationGivesFiniteWeightsAndNothingObservedGivesTheMixture() {
  let ring = GaussianMixture.ring8()
  // 30 away from everything: the densities all underflow, the log-domain weights do not.
  let far = ring.conditional(observed: [nil, 30])
  #expect(far.weights.allSatisfy { $0.isFinite && $0 > 0 })
  #expect(isClose(far.weights.reduce(0, +), 1, abs: 1e-12))
  let none = ring.conditional(observed: [nil, nil])
  #expect(none == ring)
}

@Test func conditionalSampleKeepsTheObservedCoordinate() {
  let ring = GaussianMixture.ring8()
  var generator = SeededGenerator(seed: 4)
  let x = ring.conditionalSample(observed: [nil, 0.5], count: 4000, using: &generator)
  #expect(x.count == 8000)
  let first = (0..<4000).map { x[2 * $0] }
  #expect((0..<4000).allSatisfy { x[2 * $0 + 1] == 0.5 })
  // y = 0.5 is the height of the blobs at 45° and 135°: x = ±0.4997 (R·cos 45°), half each.
  let right = first.filter { $0 > 0 }
  #expect(abs(Double(right.count) / 4000 - 0.5) < 0.03)
  let centre = 0.70666525 * cos(Double.pi / 4)
  #expect(abs(right.reduce(0, +) / Double(right.count) - centre) < 0.003)
}
