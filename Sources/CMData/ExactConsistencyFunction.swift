// The exact consistency function f* of a Gaussian mixture (ring8, gaussian), and how far a
// trained f_θ is from it: the one error a consistency model can be judged by directly, without
// sampling.
import CMCore
import Foundation

extension GaussianMixture {
  /// The probability-flow ODE driven by this mixture's exact denoiser, for a batch: row b of the
  /// flat row-major count × d array `x` is carried from `t0[b]` to `t1[b]`
  /// (`CMCore.integrateProbabilityFlow`, Dormand–Prince 5(4) in s = ln t, each row on its own).
  ///
  /// ```
  /// dx/dt = (x − D(x, t)) / t,   D(x, t) = Σ_k r_k(x, t) · ( m_k + s_k²/(s_k² + t²) · (x − m_k) )
  /// ```
  ///
  /// Mathematical property: the flow carries p_{t₀} onto p_{t₁} (x ~ p_{t₀} row by row gives rows
  /// ~ p_{t₁}), and t₀ → t₁ → t₀ returns each row to where it started, up to the tolerance.
  ///
  /// Rows are split between the processor's cores; the result does not depend on how.
  public func integrateProbabilityFlow(
    batch x: [Double], from t0: [Double], to t1: [Double],
    relativeTolerance rtol: Double = 1e-10, absoluteTolerance atol: Double = 1e-10
  ) throws(ProbabilityFlowIntegrationError) -> [Double] {
    let d = dimension
    let B = t0.count
    precondition(x.count == B * d && t1.count == B, "integrateProbabilityFlow: one t₀ and t₁ per row of x")
    // Worker w integrates rows w, w + workers, w + 2·workers, … (interleaved, so that the slow
    // rows at large t are shared out evenly).
    let workers = max(1, min(B, ProcessInfo.processInfo.activeProcessorCount))
    let collector = RowCollector(count: B)
    let mixture = self
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      let D = mixture.denoiser
      var rows: [(b: Int, x: [Double])] = []
      do throws(ProbabilityFlowIntegrationError) {
        for b in stride(from: w, to: B, by: workers) {
          let solution = try CMCore.integrateProbabilityFlow(
            x: Array(x[b * d..<(b + 1) * d]), from: t0[b], to: t1[b], denoiser: D,
            relativeTolerance: rtol, absoluteTolerance: atol)
          rows.append((b, solution.x))
        }
        collector.store(rows)
      } catch {
        collector.fail(error)
      }
    }
    return try collector.flat()
  }

  /// The exact consistency function of the mixture, batched: f*(x_b, t_b) for every row b of
  /// the flat row-major count × d array `x`, the PF ODE from (x_b, t_b) down to ε.
  ///
  /// ```
  /// f*(x, t) = x(ε)   where   dx/dt = (x − D(x, t)) / t,   x(t) = x
  /// ```
  ///
  /// Mathematical properties: f*(x, ε) = x; with one component it is
  /// `CMCore.gaussianConsistencyFunction`; for x_T = x₀ + T·z with x₀ from the data, f*(x_T, T)
  /// is distributed as the data (blurred by ε), the one-step sample of a perfect model.
  ///
  /// Worked number: for ring8, f*((1, 0), 1) = (0.70145120…, 0): the point on the x-axis (a
  /// mirror line of the ring, which the flow never leaves) lands in the blob at angle 0, 0.0052
  /// short of its centre (0.70666525…, 0), well within the blob's std 0.0177.
  public func exactConsistencyFunction(
    batch x: [Double], t: [Double], sigmaMin epsilon: Double = 0.002,
    relativeTolerance rtol: Double = 1e-10, absoluteTolerance atol: Double = 1e-10
  ) throws(ProbabilityFlowIntegrationError) -> [Double] {
    precondition(t.allSatisfy { $0 >= epsilon }, "exactConsistencyFunction: every t must be ≥ ε")
    return try integrateProbabilityFlow(
      batch: x, from: t, to: [Double](repeating: epsilon, count: t.count),
      relativeTolerance: rtol, absoluteTolerance: atol)
  }
}

/// The rows finished by concurrent workers (each row is written by one worker only; the lock
/// guards the arrays themselves).
private final class RowCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var rows: [[Double]]
  private var failure: ProbabilityFlowIntegrationError?

  init(count: Int) { rows = [[Double]](repeating: [], count: count) }

  func store(_ finished: [(b: Int, x: [Double])]) {
    lock.withLock { for (b, x) in finished { rows[b] = x } }
  }

  func fail(_ error: ProbabilityFlowIntegrationError) {
    lock.withLock { failure = failure ?? error }
  }

  /// The rows, concatenated; or the first failure.
  func flat() throws(ProbabilityFlowIntegrationError) -> [Double] {
    let (rows, failure) = lock.withLock { (self.rows, self.failure) }
    if let failure { throw failure }
    return rows.flatMap { $0 }
  }
}

/// How far a consistency function f (a trained f_θ) is from the exact f*, noise level by noise
/// level: the mean Euclidean distance on points x_t = x₀ + t·z with x₀ drawn from the data.
///
/// ```
/// E(t) = E_{x₀ ~ p_data, z ~ N(0, I)} ‖ f(x₀ + t·z, t) − f*(x₀ + t·z, t) ‖₂
/// ```
///
/// One draw of x₀ and z serves every t (common random numbers), so the curve E(t) is smooth in t
/// and two models measured with the same generator see the same points. `f` takes a flat
/// row-major batch and one t per row, as `ConsistencyModel` does.
///
/// Mathematical property: E(t) ≥ 0, and E(ε) = 0 for any f that meets the boundary condition
/// f(x, ε) = x (every f_θ of CM Eq. 5); E ≡ 0 exactly when f = f* on the data's noised support.
///
/// Worked number: f(x, t) = x (no denoising at all) on the `gaussian` dataset (s = 0.5) has
///
/// ```
/// E(t) = E‖x_t − f*(x_t, t)‖ = (1 − √((s² + ε²)/(s² + t²))) · √(s² + t²) · √(π/2)
/// ```
///
/// (the mean norm of a 2-D Gaussian with per-coordinate std σ is σ√(π/2)), 0.77458572… at t = 1.
public func consistencyError(
  of f: @escaping ([Double], [Double]) -> [Double], mixture: GaussianMixture, sigmas: [Double], count: Int,
  sigmaMin epsilon: Double = 0.002, using generator: inout SeededGenerator,
  relativeTolerance rtol: Double = 1e-10, absoluteTolerance atol: Double = 1e-10
) throws(ProbabilityFlowIntegrationError) -> ConsistencyErrorReport {
  try consistencyErrors(
    of: [f], mixture: mixture, sigmas: sigmas, count: count, sigmaMin: epsilon, using: &generator,
    relativeTolerance: rtol, absoluteTolerance: atol)[0]
}

/// `consistencyError` for several models at once, on the same points: f* is computed once per t
/// and shared, so m models cost one exact solve instead of m. Each report is the one
/// `consistencyError` gives for that model with the same generator state.
public func consistencyErrors(
  of fs: [([Double], [Double]) -> [Double]], mixture: GaussianMixture, sigmas: [Double], count: Int,
  sigmaMin epsilon: Double = 0.002, using generator: inout SeededGenerator,
  relativeTolerance rtol: Double = 1e-10, absoluteTolerance atol: Double = 1e-10
) throws(ProbabilityFlowIntegrationError) -> [ConsistencyErrorReport] {
  precondition(count >= 2 && !sigmas.isEmpty, "consistencyError needs count ≥ 2 and at least one t")
  let d = mixture.dimension
  let x0 = mixture.sample(count: count, using: &generator)  // count × d
  let z = generator.gaussians(count: count * d)  // count × d
  var meanError = [[Double]](repeating: [], count: fs.count)
  var standardError = [[Double]](repeating: [], count: fs.count)
  for t in sigmas {
    let ts = [Double](repeating: t, count: count)
    let xT = addNoise(x: x0, z: z, t: t)  // x_t = x₀ + t·z
    let fStar = try mixture.exactConsistencyFunction(
      batch: xT, t: ts, sigmaMin: epsilon, relativeTolerance: rtol, absoluteTolerance: atol)
    for (m, f) in fs.enumerated() {
      let fTheta = f(xT, ts)
      precondition(fTheta.count == xT.count, "consistencyError: f must return one row per input row")
      let distances = (0..<count).map { b in
        (0..<d).reduce(0.0) { sum, j in
          let diff = fTheta[b * d + j] - fStar[b * d + j]
          return sum + diff * diff
        }.squareRoot()
      }
      let mean = distances.reduce(0, +) / Double(count)
      let variance = distances.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
      meanError[m].append(mean)
      standardError[m].append((variance / Double(count)).squareRoot())
    }
  }
  return (0..<fs.count).map { m in
    ConsistencyErrorReport(sigmas: sigmas, meanError: meanError[m], standardError: standardError[m])
  }
}

/// E‖f − f*‖ at each noise level, as `consistencyError` measures it.
public struct ConsistencyErrorReport: Sendable, Equatable, Codable {
  /// The noise levels t.
  public var sigmas: [Double]
  /// E(t) = E‖f(x_t, t) − f*(x_t, t)‖₂, one per t.
  public var meanError: [Double]
  /// The Monte Carlo standard error of each E(t): sample std of the distances / √count.
  public var standardError: [Double]

  /// A report from its three columns, one entry per noise level.
  public init(sigmas: [Double], meanError: [Double], standardError: [Double]) {
    self.sigmas = sigmas
    self.meanError = meanError
    self.standardError = standardError
  }

  /// The mean of E(t) over the noise levels: one number to rank models by.
  public var meanErrorOverall: Double { meanError.reduce(0, +) / Double(meanError.count) }
}
