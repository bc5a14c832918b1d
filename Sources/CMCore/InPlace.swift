// Allocation-free versions of the batched lines of a training step: each writes into an array the
// caller keeps from step to step, with exactly the arithmetic (and so the bits) of the function it
// mirrors. The training step's buffers use them; the step files still read like the seed.
import Foundation

/// Resizes `buffer` to `count` entries without giving up its capacity: no allocation when the
/// capacity suffices and the buffer is not shared.
@inlinable
public func resize<Element: Numeric>(_ buffer: inout [Element], count: Int) {
  if buffer.count > count {
    buffer.removeLast(buffer.count - count)
  } else if buffer.count < count {
    // One element at a time: `append(contentsOf: repeatElement(…))` allocates an iterator box
    // per call in code the optimiser has not specialised (a debug build), even within capacity.
    for _ in buffer.count..<count { buffer.append(0) }
  }
}

/// `karrasSigmas(count:sigmaMin:sigmaMax:rho:)` into `sigmas` (same formula, same bits).
public func karrasSigmas(
  count N: Int, sigmaMin epsilon: Double, sigmaMax T: Double, rho: Double, into sigmas: inout [Double]
) {
  precondition(N >= 2 && epsilon > 0 && T > epsilon && rho > 0, "karrasSigmas: bad arguments")
  let epsilonRoot = pow(epsilon, 1 / rho)
  let TRoot = pow(T, 1 / rho)
  resize(&sigmas, count: N)
  for i in 0..<N {
    sigmas[i] = pow(epsilonRoot + Double(i) / Double(N - 1) * (TRoot - epsilonRoot), rho)
  }
}

extension SeededGenerator {
  /// `gaussians(count:)` into `z`: the same draws in the same order, and the same bits.
  ///
  /// Marsaglia's polar method in two passes over whole pairs: first every accepted (u, v), which
  /// consumes the generator exactly as `nextGaussian()` does (the logarithm draws nothing), then
  /// each pair's factor √(−2 ln s / s). The second pass's iterations do not depend on each other,
  /// so the processor overlaps their `portableLog` evaluations, which one at a time wait on their
  /// own long chains of dependent operations.
  public mutating func gaussians(count: Int, into z: inout [Double]) {
    resize(&z, count: count)
    var first = 0
    if count > 0, spareGaussian != nil {
      z[0] = nextGaussian()  // the spare
      first = 1
    }
    let pairs = (count - first) / 2
    z.withUnsafeMutableBufferPointer { z in
      for p in 0..<pairs {
        while true {
          let u = 2 * nextUniform() - 1
          let v = 2 * nextUniform() - 1
          let s = u * u + v * v
          if s > 0 && s < 1 {
            z[first + 2 * p] = u
            z[first + 2 * p + 1] = v
            break
          }
        }
      }
      for p in 0..<pairs {
        let u = z[first + 2 * p]
        let v = z[first + 2 * p + 1]
        let s = u * u + v * v
        let factor = (-2 * portableLog(s) / s).squareRoot()
        z[first + 2 * p] = u * factor
        z[first + 2 * p + 1] = v * factor
      }
    }
    // An odd count ends on a pair's first value; its second is kept as the spare.
    if first + 2 * pairs < count { z[count - 1] = nextGaussian() }
  }
}

/// `addNoise(batch: x, z: z, t: n.map { sigmas[$0 + offset] })` into `result`, without the t
/// array: row b of x (B × D) plus σ_{n_b + offset} times row b of z. Returns `result` (the same
/// storage, not a copy).
@discardableResult
public func addNoise(
  batch x: [Double], z: [Double], sigmas: [Double], indices n: [Int], offset: Int,
  into result: inout [Double]
) -> [Double] {
  precondition(x.count == z.count && !n.isEmpty && x.count % n.count == 0, "addNoise: x is not B × D")
  let D = x.count / n.count
  resize(&result, count: x.count)
  for i in 0..<x.count { result[i] = x[i] + sigmas[n[i / D] + offset] * z[i] }
  return result
}

/// The weighted batch loss L = Σ_b λ_b·d(x_b, y_b)/B over the rows of x and y (B × D), and its
/// gradient ∂L/∂x_b = λ_b/B·∂d/∂x_b into `gradient`: `distance` and `distanceGradient` row by
/// row, in the same order and arithmetic, without an array per row.
public func weightedDistanceLoss(
  _ x: [Double], _ y: [Double], dimension D: Int, metric: DistanceMetric,
  weight lambda: (Int) -> Double, gradient: inout [Double]
) -> Double {
  precondition(x.count == y.count && D > 0 && x.count % D == 0, "weightedDistanceLoss: x, y not B × D")
  let B = x.count / D
  let d = Double(D)
  resize(&gradient, count: x.count)
  var loss = 0.0
  for b in 0..<B {
    let weight = lambda(b)
    let row = b * D
    var sum = 0.0
    switch metric {
    case .squaredL2:
      for i in row..<(row + D) { sum = sum + (x[i] - y[i]) * (x[i] - y[i]) }
      loss += weight * (sum / d) / Double(B)
      for i in row..<(row + D) { gradient[i] = weight / Double(B) * (2 * (x[i] - y[i]) / d) }
    case .l1:
      for i in row..<(row + D) { sum = sum + abs(x[i] - y[i]) }
      loss += weight * (sum / d) / Double(B)
      for i in row..<(row + D) {
        gradient[i] = weight / Double(B) * (x[i] > y[i] ? 1 / d : (x[i] < y[i] ? -1 / d : 0))
      }
    case .pseudoHuber(let c):
      for i in row..<(row + D) { sum = sum + (x[i] - y[i]) * (x[i] - y[i]) }
      loss += weight * (sum / ((sum + c * c).squareRoot() + c)) / Double(B)
      let root = (sum + c * c).squareRoot()
      for i in row..<(row + D) { gradient[i] = weight / Double(B) * ((x[i] - y[i]) / root) }
    }
  }
  return loss
}

/// The scratch arrays of `ODESolver.step(batch:from:to:into:scratch:denoiser:)`, kept by the caller.
public struct SolverScratch: Sendable {
  var d: [Double] = []
  var denoised: [Double] = []
  /// Empty scratch arrays; the first step sizes them.
  public init() {}
}

extension ODESolver {
  /// `step(batch:from:to:denoiser:)` into `xHat`, with a denoiser that writes its batch into the
  /// array it is given: the same arithmetic, and no allocation once the arrays have their sizes.
  public func step(
    batch x: [Double], from tNPlus1: [Double], to tN: [Double], into xHat: inout [Double],
    scratch: inout SolverScratch,
    denoiser D: (_ x: [Double], _ t: [Double], _ into: inout [Double]) -> Void
  ) {
    let B = tN.count
    precondition(tNPlus1.count == B && B > 0 && x.count % B == 0, "ODESolver.step: x is not B × D")
    let dim = x.count / B
    // Euler step.
    D(x, tNPlus1, &scratch.denoised)
    precondition(scratch.denoised.count == x.count, "the denoiser must return a batch the shape of x")
    resize(&scratch.d, count: x.count)
    resize(&xHat, count: x.count)
    for i in 0..<x.count {
      let b = i / dim
      scratch.d[i] = (x[i] - scratch.denoised[i]) / tNPlus1[b]
      xHat[i] = x[i] + (tN[b] - tNPlus1[b]) * scratch.d[i]
    }
    guard self == .heun else { return }
    // Apply 2nd order correction.
    D(xHat, tN, &scratch.denoised)
    precondition(scratch.denoised.count == x.count, "the denoiser must return a batch the shape of x")
    for i in 0..<x.count {
      let b = i / dim
      let dPrime = (xHat[i] - scratch.denoised[i]) / tN[b]
      xHat[i] = x[i] + (tN[b] - tNPlus1[b]) * (scratch.d[i] + dPrime) / 2
    }
  }
}

/// `lognormalPairProbabilities(sigmas:pMean:pStd:)` into `probabilities`, for a training step
/// that keeps the buffer (the allocating function calls this one):
///
/// ```
/// p(n) = [erf(b_n) − erf(a_n)] / Σ_m [erf(b_m) − erf(a_m)],
/// a_n = (ln t_n − P_mean)/(√2 P_std),  b_n = (ln t_{n+1} − P_mean)/(√2 P_std)
/// ```
public func lognormalPairProbabilities(
  sigmas: [Double], pMean: Double, pStd: Double, into probabilities: inout [Double]
) {
  precondition(sigmas.count >= 2 && pStd > 0, "lognormalPairProbabilities: bad arguments")
  let scale = 2.0.squareRoot() * pStd
  resize(&probabilities, count: sigmas.count - 1)
  var total = 0.0
  for n in 0..<(sigmas.count - 1) {
    let a = (log(sigmas[n]) - pMean) / scale
    let b = (log(sigmas[n + 1]) - pMean) / scale
    probabilities[n] = erfDifference(from: a, to: b)
    total += probabilities[n]
  }
  for n in probabilities.indices { probabilities[n] /= total }
}
