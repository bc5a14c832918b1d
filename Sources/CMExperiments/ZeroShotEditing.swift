// Zero-shot editing in 2-D, measured against exact answers: conditional sampling with one
// coordinate fixed (CM Algorithm 4, the analogue of inpainting) scored against the exact
// conditional of the mixture data, and interpolation between two noise vectors (CM App. D).

import CMCore
import CMData
import CMMetrics
import CMNetwork
import CMTraining
import Foundation

/// The times t₁ > t₂ > … > t_N of `cm edit`: the N largest points of the Karras grid of N + 1
/// points from ε to T (EDM Eq. 5, ρ = 7), so t₁ = T and the last lies just above ε.
///
/// Worked number: N = 1 gives [T]; N = 2 gives [80, 2.5152189…] (the grid ε, 2.5152, 80 without ε).
public func editingTimes(count N: Int, sigmaMin epsilon: Double, sigmaMax T: Double) -> [Double] {
  precondition(N >= 1, "editingTimes: needs N ≥ 1")
  return Array(karrasSigmas(count: N + 1, sigmaMin: epsilon, sigmaMax: T).dropFirst().reversed())
}

/// Conditional samples of a trained model with one coordinate fixed, and how far they are from
/// the exact conditional of the data.
public struct ConditionalEdit: Sendable {
  /// j, the fixed coordinate (0 for x, 1 for y).
  public var fixedCoordinate: Int
  /// y_j, the value the fixed coordinate is held at.
  public var value: Double
  /// t₁ > … > t_N of Algorithm 4.
  public var times: [Double]
  /// The edited points, n × 2 (coordinate j equals `value` in every row).
  public var samples: [Double]
  /// The exact conditional p(x_free | x_j = y_j) (a mixture in one dimension).
  public var exactConditional: GaussianMixture
  /// n points of the exact conditional (the report's reference sample), n × 2.
  public var exactSamples: [Double]
  /// SW1 and energy distance of `samples` against `exactSamples`, with the noise floor (a second
  /// exact conditional sample) and the Gaussian baseline.
  public var report: EvaluationReport

  /// SW1 over its noise floor: 1 is as close as a second exact sample.
  public var ratioToFloor: Double {
    report.slicedWasserstein1.value / report.slicedWasserstein1.noiseFloor
  }
}

/// Runs Algorithm 4 with one coordinate fixed and scores the result against the exact
/// conditional of `mixture`.
///
/// ```
/// y = (y_j at coordinate j, 0 elsewhere),  Ω = 1 except at j
/// x = edit(f_θ, y, Ω, t₁ > … > t_N)                         n rows, noise from `seed`
/// reference R, noise floor R′ ~ p(x | x_j = y_j) exactly   (seed + 1, as EvaluationReport draws)
/// ```
///
/// SW1 on the 2-D points is proportional to the 1-D W1 of the free coordinate (every point has
/// the same x_j, so each projection is the free coordinate scaled by |sin| or |cos| of the
/// direction), so the ratio to the noise floor is that of the 1-D problem.
public func runConditionalEdit(
  model: ConsistencyModel<Float>, parameters theta: [Float], mixture: GaussianMixture,
  fixedCoordinate j: Int, value: Double, times: [Double], count n: Int, seed: UInt64
) -> ConditionalEdit {
  precondition(model.dimension == 2, "runConditionalEdit: 2-D data only")
  var workspace = model.makeWorkspace(batchSize: n)
  return runConditionalEdit(
    mixture: mixture, fixedCoordinate: j, value: value, times: times, sigmaMin: model.sigmaMin, count: n,
    seed: seed
  ) { x, t in model(parameters: theta, x: x, t: t, workspace: &workspace) }
}

/// The same with any consistency function f(x, t), batched; with the mixture's exact f*
/// (`exactConsistencyFunction`) it measures Algorithm 4 itself, as a perfect model would run it.
public func runConditionalEdit(
  mixture: GaussianMixture, fixedCoordinate j: Int, value: Double, times: [Double], sigmaMin epsilon: Double,
  count n: Int, seed: UInt64, f: (_ x: [Double], _ t: [Double]) -> [Double]
) -> ConditionalEdit {
  precondition(mixture.dimension == 2, "runConditionalEdit: 2-D data only")
  precondition(j == 0 || j == 1, "runConditionalEdit: the fixed coordinate is 0 or 1")
  var observed: [Double?] = [nil, nil]
  observed[j] = value
  var mask = [true, true]
  mask[j] = false
  let y = (0..<n).flatMap { _ in observed.map { $0 ?? 0 } }
  var generator = SeededGenerator(seed: seed)
  let samples = zeroShotEdit(
    reference: y, mask: mask, times: times, sigmaMin: epsilon, generator: &generator, f: f)
  let report = EvaluationReport(
    generated: samples, datasetName: "exact conditional", referenceSeed: seed &+ 1
  ) { count, generator in
    mixture.conditionalSample(observed: observed, count: count, using: &generator)
  }
  var referenceGenerator = SeededGenerator(seed: seed &+ 1)
  let exactSamples = mixture.conditionalSample(observed: observed, count: n, using: &referenceGenerator)
  return ConditionalEdit(
    fixedCoordinate: j, value: value, times: times, samples: samples,
    exactConditional: mixture.conditional(observed: observed), exactSamples: exactSamples, report: report)
}

/// Paths of one-step samples between pairs of noise vectors.
public struct NoiseInterpolation: Sendable {
  /// α₀ = 0 < … < α_{m−1} = 1.
  public var alphas: [Double]
  /// The (z₁, z₂) pairs, each a 2-vector.
  public var endpoints: [(z1: [Double], z2: [Double])]
  /// One path per pair: f_θ(T·slerp(z₁, z₂; α), T) for every α.
  public var paths: [[SIMD2<Double>]]
}

/// `pairs` paths of `points` one-step samples each, the noise pairs drawn from `seed`.
public func runNoiseInterpolation(
  model: ConsistencyModel<Float>, parameters theta: [Float], sigmaMax T: Double, pairs: Int,
  points: Int, seed: UInt64
) -> NoiseInterpolation {
  precondition(pairs >= 1 && points >= 2, "runNoiseInterpolation: needs ≥ 1 pair and ≥ 2 points")
  let alphas = (0..<points).map { Double($0) / Double(points - 1) }
  var generator = SeededGenerator(seed: seed)
  var endpoints: [(z1: [Double], z2: [Double])] = []
  var paths: [[SIMD2<Double>]] = []
  for _ in 0..<pairs {
    let z = generator.gaussians(count: 4)
    let (z1, z2) = (Array(z[0..<2]), Array(z[2..<4]))
    let x = model.interpolate(parameters: theta, from: z1, to: z2, alphas: alphas, sigmaMax: T)
    endpoints.append((z1, z2))
    paths.append((0..<points).map { SIMD2(x[2 * $0], x[2 * $0 + 1]) })
  }
  return NoiseInterpolation(alphas: alphas, endpoints: endpoints, paths: paths)
}
