import CMCore
import CMData
import Foundation
import Testing

/// An unequal-weight, unequal-width mixture that is not centred: nothing cancels by symmetry.
let lopsided = GaussianMixture(
  weights: [0.2, 0.5, 0.3], means: [[-1, 0.5], [0.8, 0.2], [0.3, -1.2]], stds: [0.3, 0.5, 0.4])

@Test func mixtureDenoiserWorkedNumbers() {
  #expect(close(twoBlobs.denoise(x: [0, 1], t: 0.5), [0, 0.5], tolerance: 1e-15))
  let single = GaussianMixture.gaussian(mean: [0, 0], std: 0.5)
  #expect(abs(single.logDensity(x: [0, 0], t: 0) - -0.451_582_705_289_454_8) < 1e-15)
}

@Test func oneComponentIsTheGaussianDenoiser() {
  let single = GaussianMixture.gaussian(mean: [0.3, -0.7], std: 0.4)
  for t in [0.002, 0.1, 1, 80] {
    for x in [[1.0, -2.0], [0.3, -0.7], [25, 40]] {
      let expected = gaussianDenoiser(x: x, t: t, mean: [0.3, -0.7], std: 0.4)
      #expect(close(single.denoise(x: x, t: t), expected, tolerance: 1e-14))
    }
  }
}

/// D(x_t, t) = E[x₀ | x_t]: compare with the ratio of integrals ∫ x₀ p(x₀) N(x_t; x₀, t²I) dx₀ /
/// ∫ p(x₀) N(x_t; x₀, t²I) dx₀, by the midpoint rule on [−5, 5]² with 500² cells (the integrands
/// are smooth Gaussians, so the rule converges far below the tolerance).
@Test func denoiserIsThePosteriorMeanByQuadrature() {
  let xt: [Double] = [0.4, -0.3]
  let t = 0.4
  let cells = 500
  let h = 10.0 / Double(cells)
  var numerator = [0.0, 0.0]
  var denominator = 0.0
  for i in 0..<cells {
    for j in 0..<cells {
      let x0 = [-5 + (Double(i) + 0.5) * h, -5 + (Double(j) + 0.5) * h]
      let prior = exp(lopsided.logDensity(x: x0, t: 0))
      let dx = x0[0] - xt[0]
      let dy = x0[1] - xt[1]
      let weight = prior * exp(-(dx * dx + dy * dy) / (2 * t * t))
      numerator[0] += weight * x0[0]
      numerator[1] += weight * x0[1]
      denominator += weight
    }
  }
  let integral = numerator.map { $0 / denominator }
  #expect(close(lopsided.denoise(x: xt, t: t), integral, tolerance: 1e-8))
}

/// The same on ring8 by self-normalised importance sampling from the data: 4·10⁵ draws x₀ᵢ
/// weighted by N(x_t; x₀ᵢ, t²I), tolerance 5 estimated standard errors.
@Test func ring8DenoiserIsThePosteriorMeanByMonteCarlo() {
  let ring = GaussianMixture.ring8()
  let xt: [Double] = [0.5, 0.2]
  let t = 0.3
  var generator = SeededGenerator(seed: 99)
  let x0 = ring.sample(count: 400_000, using: &generator)
  var weights: [Double] = []
  for i in 0..<x0.count / 2 {
    let dx = x0[2 * i] - xt[0]
    let dy = x0[2 * i + 1] - xt[1]
    weights.append(exp(-(dx * dx + dy * dy) / (2 * t * t)))
  }
  let total = weights.reduce(0, +)
  let estimate = (0..<2).map { j in
    (0..<weights.count).reduce(0.0) { $0 + weights[$1] * x0[2 * $1 + j] } / total
  }
  let standardError = (0..<2).map { j in
    (0..<weights.count).reduce(0.0) { acc, i in
      let deviation = x0[2 * i + j] - estimate[j]
      return acc + weights[i] * weights[i] * deviation * deviation
    }.squareRoot() / total
  }
  let D = ring.denoise(x: xt, t: t)
  for j in 0..<2 {
    #expect(
      abs(D[j] - estimate[j]) <= 5 * standardError[j], "\(D) vs \(estimate) ± \(standardError)")
  }
}

@Test func largeNoiseGivesTheMixtureMean() {
  for mixture in [lopsided, GaussianMixture.ring8()] {
    #expect(close(mixture.denoise(x: [3, -2], t: 1e4), mixture.mean, tolerance: 1e-6))
  }
}

@Test func zeroNoiseGivesThePointItself() {
  #expect(close(lopsided.denoise(x: [0.7, 0.1], t: 0), [0.7, 0.1], tolerance: 1e-15))
}

/// Tweedie's formula D(x, t) = x + t²·∇ log p_t(x), the gradient by central differences.
@Test func denoiserSatisfiesTweedie() {
  let h = 1e-5
  for mixture in [lopsided, GaussianMixture.ring8()] {
    for t in [0.05, 0.3, 2.0] {
      for x in [[0.4, -0.3], [1.5, 0.9], [-0.2, 0.6]] {
        let gradient = (0..<2).map { j -> Double in
          var plus = x
          var minus = x
          plus[j] += h
          minus[j] -= h
          return (mixture.logDensity(x: plus, t: t) - mixture.logDensity(x: minus, t: t)) / (2 * h)
        }
        let tweedie = (0..<2).map { x[$0] + t * t * gradient[$0] }
        #expect(close(mixture.denoise(x: x, t: t), tweedie, tolerance: 1e-6), "t = \(t), x = \(x)")
      }
    }
  }
}

/// Far from every centre at t = ε = 0.002 every N(x; m_k, ·) underflows to 0; the log-domain
/// responsibilities still pick the nearest component and nothing is NaN.
@Test func farAwayPointsAtTinyNoiseStayFinite() {
  let ring = GaussianMixture.ring8()
  let t = 0.002
  for x in [[50.0, 0.0], [-30, 40], [1e6, 1e6], [0.0, 0.0]] {
    let D = ring.denoise(x: x, t: t)
    #expect(D.allSatisfy { $0.isFinite })
    #expect(ring.logDensity(x: x, t: t).isFinite)
    let r = ring.responsibilities(x: x, t: t)
    #expect(r.allSatisfy { $0.isFinite && $0 >= 0 } && abs(r.reduce(0, +) - 1) < 1e-12)
  }
  // (50, 0) is nearest the centre on the positive x axis: D is that component's denoiser.
  let expected = gaussianDenoiser(x: [50, 0], t: t, mean: ring.means[0], std: ring.stds[0])
  #expect(close(ring.denoise(x: [50, 0], t: t), expected, tolerance: 1e-12))
}

@Test func batchedDenoiserMatchesOnePointAtATime() {
  var generator = SeededGenerator(seed: 4)
  let ring = GaussianMixture.ring8()
  let x = (0..<512).map { _ in generator.nextGaussian() }
  let t = (0..<256).map { _ in 0.002 + 3 * generator.nextUniform() }
  let batched = ring.denoise(batch: x, t: t)
  let D = ring.denoiser
  for i in 0..<256 {
    #expect(Array(batched[2 * i..<2 * i + 2]) == D(Array(x[2 * i..<2 * i + 2]), t[i]))
  }
  let shared = ring.denoise(batch: x, t: 0.5)
  #expect(Array(shared[0..<2]) == ring.denoise(x: Array(x[0..<2]), t: 0.5))
}

@Test func exactDenoiserDrivesAHeunStep() {
  // The Denoiser closure plugs into CMCore's ODE steps (the CD teacher).
  let D = Dataset.ring8.exactDenoiser!
  let x = heunStep(x: [0.9, 0.1], from: 1.0, to: 0.8, denoiser: D)
  #expect(x.count == 2 && x.allSatisfy { $0.isFinite })
}
