// Tests of ExactConsistencyFunction.swift: f* of the datasets' mixtures (closed form for the
// single Gaussian, distribution and round-trip properties for ring8) and the consistency error.
import CMCore
import CMData
import Foundation
import Testing
import _TestSupport

@Suite struct ExactConsistencyFunctionTests {
  let epsilon = 0.002
  let ts: [Double] = [0.002, 0.01, 0.1, 0.5, 1, 5, 20, 80]

  @Test func gaussianDatasetMatchesTheClosedForm() throws {
    let mixture = try #require(Dataset.gaussian.mixture)
    var generator = SeededGenerator(seed: 11)
    let rows = 5
    for t in ts {
      let x = addNoise(
        x: mixture.sample(count: rows, using: &generator), z: generator.gaussians(count: 2 * rows), t: t)
      let fStar = try mixture.exactConsistencyFunction(batch: x, t: [Double](repeating: t, count: rows))
      for b in 0..<rows {
        let expected = gaussianConsistencyFunction(
          x: Array(x[2 * b..<2 * b + 2]), t: t, mean: Dataset.gaussianMean, std: Dataset.gaussianStd)
        expectClose(Array(fStar[2 * b..<2 * b + 2]), expected, abs: 1e-9, rel: 0, "t \(t), row \(b)")
      }
    }
  }

  @Test func identityAtSigmaMin() throws {
    let x: [Double] = [0.3, -0.2, 5, 7]
    #expect(try GaussianMixture.ring8().exactConsistencyFunction(batch: x, t: [epsilon, epsilon]) == x)
  }

  @Test func ring8WorkedNumber() throws {
    let fStar = try GaussianMixture.ring8().exactConsistencyFunction(batch: [1, 0], t: [1])
    #expect(matchesWrittenDigits(fStar[0], "0.70145120"))
    #expect(abs(fStar[0] - GaussianMixture.ring8().means[0][0]) < GaussianMixture.ring8().stds[0])
    #expect(abs(fStar[1]) < 1e-12, "the x-axis is a mirror line of ring8, so the flow stays on it")
  }

  /// The batch (split across cores) equals CMCore's row-by-row integration, bit for bit.
  @Test func batchIsRowByRow() throws {
    let ring = GaussianMixture.ring8()
    var generator = SeededGenerator(seed: 3)
    let t: [Double] = (0..<37).map { _ in 0.002 * pow(40_000, generator.nextUniform()) }
    let x = addNoise(
      batch: ring.sample(count: 37, using: &generator), z: generator.gaussians(count: 74), t: t)
    let batch = try ring.exactConsistencyFunction(batch: x, t: t)
    #expect(batch == (try exactConsistencyFunction(batch: x, t: t, denoiser: ring.denoiser)))
  }

  /// A perfect one-step sampler: x_T = x₀ + T·z with x₀ from ring8, then f*(x_T, T), is ring8
  /// again (blurred by ε). So each point lies near a centre, with squared distance to it
  /// distributed as (s² + ε²)·χ²₂ (mean 2(s² + ε²)), and each of the 8 blobs gets about 1/8.
  @Test func ring8OneStepSamplesAreRing8() throws {
    let ring = GaussianMixture.ring8()
    var generator = SeededGenerator(seed: 21)
    let n = 400
    let T = 80.0
    let xT = addNoise(x: ring.sample(count: n, using: &generator), z: generator.gaussians(count: 2 * n), t: T)
    let samples = try ring.exactConsistencyFunction(
      batch: xT, t: [Double](repeating: T, count: n), relativeTolerance: 1e-7, absoluteTolerance: 1e-7)
    let variance = ring.stds[0] * ring.stds[0] + epsilon * epsilon
    var counts = [Int](repeating: 0, count: 8)
    var ratios: [Double] = []  // squared distance to the nearest centre / (s² + ε²), ~ χ²₂
    for b in 0..<n {
      let distances = ring.means.map { m in
        (samples[2 * b] - m[0]) * (samples[2 * b] - m[0]) + (samples[2 * b + 1] - m[1])
          * (samples[2 * b + 1] - m[1])
      }
      let k = distances.indices.min { distances[$0] < distances[$1] }!
      counts[k] += 1
      ratios.append(distances[k] / variance)
    }
    // χ²₂ has mean 2 and std 2: the sample mean is within 5 standard errors of 2.
    let meanRatio = ratios.reduce(0, +) / Double(n)
    #expect(abs(meanRatio - 2) <= 5 * 2 / Double(n).squareRoot(), "mean ratio \(meanRatio)")
    #expect(ratios.max()! < 30, "no point is stranded between blobs (P(χ²₂ > 30) = 3e-7)")
    // Each count is Binomial(400, 1/8): mean 50, std 6.6.
    #expect(counts.allSatisfy { abs($0 - 50) <= 5 * 7 }, "\(counts)")
  }

  /// ε → t → ε returns a ring8 data point to itself.
  @Test func ring8RoundTrip() throws {
    let ring = GaussianMixture.ring8()
    var generator = SeededGenerator(seed: 5)
    let n = 20
    let x = ring.sample(count: n, using: &generator)
    for t in [0.05, 0.5, 5, 80] {
      let up = try ring.integrateProbabilityFlow(
        batch: x, from: [Double](repeating: epsilon, count: n), to: [Double](repeating: t, count: n))
      let back = try ring.exactConsistencyFunction(batch: up, t: [Double](repeating: t, count: n))
      let worst = zip(back, x).map { abs($0 - $1) }.max()!
      #expect(worst < 1e-6, "ε → \(t) → ε")
    }
  }

  /// f(x, t) = x on the gaussian data: E(t) = (1 − √((s² + ε²)/(s² + t²)))·√(s² + t²)·√(π/2),
  /// within 5 standard errors; the exact f* itself has error ≈ 0.
  @Test func consistencyErrorOfKnownFunctions() throws {
    let mixture = try #require(Dataset.gaussian.mixture)
    let s = Dataset.gaussianStd
    let sigmas: [Double] = [0.002, 0.1, 1, 80]
    var generator = SeededGenerator(seed: 8)
    // Monte Carlo error ~1e-2 dwarfs the ODE's, so a looser tolerance keeps the test quick.
    let identity = try consistencyError(
      of: { x, _ in x }, mixture: mixture, sigmas: sigmas, count: 1000, using: &generator,
      relativeTolerance: 1e-7, absoluteTolerance: 1e-7)
    #expect(identity.sigmas == sigmas)
    #expect(identity.meanError[0] == 0 && identity.standardError[0] == 0, "f(x, ε) = x has E(ε) = 0")
    for (i, t) in sigmas.enumerated().dropFirst() {
      let expected =
        (1 - ((s * s + epsilon * epsilon) / (s * s + t * t)).squareRoot())
        * (s * s + t * t).squareRoot() * (Double.pi / 2).squareRoot()
      #expect(abs(identity.meanError[i] - expected) <= 5 * identity.standardError[i], "t \(t)")
    }
    #expect(
      matchesWrittenDigits(
        (1 - (0.250004 / 1.25).squareRoot()) * 1.25.squareRoot() * (Double.pi / 2).squareRoot(), "0.77458572")
    )
    expectClose(identity.meanErrorOverall, identity.meanError.reduce(0, +) / 4, "overall = mean over t")

    let exact = try consistencyError(
      of: { x, t in
        (0..<t.count).flatMap { b in
          gaussianConsistencyFunction(
            x: Array(x[2 * b..<2 * b + 2]), t: t[b], mean: Dataset.gaussianMean, std: s)
        }
      }, mixture: mixture, sigmas: sigmas, count: 50, using: &generator)
    #expect(exact.meanError.allSatisfy { $0 < 1e-9 }, "\(exact.meanError)")
  }

  @Test func consistencyErrorIsSeeded() throws {
    let ring = GaussianMixture.ring8()
    let shrink: ([Double], [Double]) -> [Double] = { x, _ in x.map { 0.9 * $0 } }
    var a = SeededGenerator(seed: 1)
    var b = SeededGenerator(seed: 1)
    let first = try consistencyError(of: shrink, mixture: ring, sigmas: [0.5, 2], count: 30, using: &a)
    let second = try consistencyError(of: shrink, mixture: ring, sigmas: [0.5, 2], count: 30, using: &b)
    #expect(first == second)
    #expect(first.meanError.allSatisfy { $0 > 0 && $0.isFinite })
  }

  /// Several models at once give, model by model, exactly what one call per model gives from the
  /// same generator state: the points and f* are shared, nothing else.
  @Test func severalModelsAtOnceEqualOneAtATime() throws {
    let mixture = try #require(Dataset.ring8.mixture)
    let models: [([Double], [Double]) -> [Double]] = [
      { x, _ in x },
      { x, t in x.indices.map { i in x[i] / (1 + t[i / 2]) } },
    ]
    var shared = SeededGenerator(seed: 5)
    let together = try consistencyErrors(
      of: models, mixture: mixture, sigmas: [0.1, 2], count: 20, using: &shared,
      relativeTolerance: 1e-8, absoluteTolerance: 1e-8)
    for (m, f) in models.enumerated() {
      var alone = SeededGenerator(seed: 5)
      let single = try consistencyError(
        of: f, mixture: mixture, sigmas: [0.1, 2], count: 20, using: &alone, relativeTolerance: 1e-8,
        absoluteTolerance: 1e-8)
      #expect(single == together[m])
    }
    #expect(together[0] != together[1])
  }
}
