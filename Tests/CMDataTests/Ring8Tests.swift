import CMCore
import CMData
import Foundation
import Testing

@Test func ring8WorkedNumber() {
  let ring = GaussianMixture.ring8()
  let c = 0.5 / 2.0025.squareRoot()
  #expect(abs(c - 0.353_332_626_668_786_6) < 1e-15)
  for k in 0..<8 {
    let radius = (ring.means[k][0] * ring.means[k][0] + ring.means[k][1] * ring.means[k][1])
      .squareRoot()
    #expect(abs(radius - 0.706_665_253_337_573_2) < 1e-14)
    #expect(abs(ring.stds[k] - 0.017_666_631_333_439_33) < 1e-15)
    #expect(ring.weights[k] == 0.125)
  }
  // The centres sit at angles 2πk/8, starting on the positive x axis.
  #expect(abs(ring.means[2][0]) < 1e-15 && ring.means[2][1] > 0.7)
}

@Test func ring8HasStdExactlySigmaData() {
  let ring = GaussianMixture.ring8()
  #expect(close(ring.mean, [0, 0], tolerance: 1e-15))
  #expect(close(ring.coordinateVariance, [0.25, 0.25], tolerance: 1e-15))
}

@Test func ring8SampleSitsNearTheCircle() {
  var generator = SeededGenerator(seed: 11)
  let samples = points(fromFlat: GaussianMixture.ring8().sample(count: 10_000, using: &generator))
  // Radius 0.7067, component std 0.0177: every point within 6 stds of the circle.
  #expect(samples.allSatisfy { abs(($0 * $0).sum().squareRoot() - 0.706_665_25) < 6 * 0.017_67 })
}
