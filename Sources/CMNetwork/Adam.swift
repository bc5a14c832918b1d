// Adam: the optimiser of the consistency-model papers (CM App. C; iCT §4 uses RAdam).
import CMKernels
import Foundation

/// Adam (Kingma & Ba 2015, Algorithm 1) on a flat parameter vector.
///
/// ```
/// t ← t + 1
/// m ← β₁·m + (1 − β₁)·g             first moment
/// v ← β₂·v + (1 − β₂)·g²            second moment (element-wise)
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   bias correction
/// θ ← θ − α · m̂ / (√v̂ + ε)
/// ```
///
/// Mathematical property: the bias correction makes the first step θ ← θ − α·g/(|g| + ε), that
/// is α·sign(g) for |g| ≫ ε, whatever the scale of g; afterwards every step has size about α.
/// β₁ᵗ and β₂ᵗ are computed in Double, once per step. For Float, the element loop runs as
/// `cmk_adam_step` on the process's kernel path (`Kernels.active`, `CM_KERNELS`; the Swift loop
/// with `reference`), whatever path a network workspace was given: every path gives the same
/// bits.
///
/// Worked number: θ = 1, α = 0.1, g₁ = 2 then g₂ = −1 give θ = 0.9000000005 after step 1 and
/// θ = 0.8733662967… after step 2 (m = 0.08, v = 0.004996, m̂ = 0.42105…, v̂ = 2.49925…).
public struct Adam<Scalar: NetworkScalar>: Optimizer, Equatable {
  /// α, the learning rate.
  public var learningRate: Double
  /// β₁, the decay of the first moment.
  public var beta1: Double
  /// β₂, the decay of the second moment.
  public var beta2: Double
  /// ε, added to √v̂.
  public var epsilon: Double
  /// m, the first-moment estimate, one entry per parameter.
  public private(set) var m: [Scalar]
  /// v, the second-moment estimate.
  public private(set) var v: [Scalar]
  /// t, the number of updates taken so far (the paper's timestep, not a noise level).
  public private(set) var t: Int

  /// Adam with zero moments for `parameterCount` parameters.
  public init(
    parameterCount: Int, learningRate: Double,
    beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    m = [Scalar](repeating: 0, count: parameterCount)
    v = [Scalar](repeating: 0, count: parameterCount)
    t = 0
  }

  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func update(parameters theta: inout [Scalar], gradient g: [Scalar]) {
    precondition(
      theta.count == m.count && g.count == m.count, "Adam: θ, g and the state differ in length")
    t += 1
    // 1/(1 − β₁ᵗ) and 1/(1 − β₂ᵗ), the bias corrections.
    let c1 = Scalar(1 / (1 - pow(beta1, Double(t))))
    let c2 = Scalar(1 / (1 - pow(beta2, Double(t))))
    let (b1, b2, alpha, eps) = (Scalar(beta1), Scalar(beta2), Scalar(learningRate), Scalar(epsilon))
    theta.withUnsafeMutableBufferPointer { theta in
      g.withUnsafeBufferPointer { g in
        m.withUnsafeMutableBufferPointer { m in
          v.withUnsafeMutableBufferPointer { v in
            // Float on a kernel path: the same loop in C, on the CPU's widest vectors (same bits).
            if let path = Kernels.active.kernelNumber, let kernel = FloatAdamStep(Scalar.self) {
              kernel.run(
                path: path, theta: theta.baseAddress!, g: g.baseAddress!, m: m.baseAddress!,
                v: v.baseAddress!, count: theta.count, b1: b1, b2: b2, c1: c1, c2: c2,
                alpha: alpha, eps: eps)
            } else {
              adamStep(
                theta: theta.baseAddress!, g: g.baseAddress!, m: m.baseAddress!, v: v.baseAddress!,
                count: theta.count, b1: b1, b2: b2, c1: c1, c2: c2, alpha: alpha, eps: eps)
            }
          }
        }
      }
    }
  }
}

/// The element-wise loop of Adam's update, specialised for Float and Double so that it runs at
/// full speed even when called through the generic `Adam<Scalar>` from another module.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func adamStep<Scalar: NetworkScalar>(
  theta: UnsafeMutablePointer<Scalar>, g: UnsafePointer<Scalar>,
  m: UnsafeMutablePointer<Scalar>, v: UnsafeMutablePointer<Scalar>, count: Int,
  b1: Scalar, b2: Scalar, c1: Scalar, c2: Scalar, alpha: Scalar, eps: Scalar
) {
  for i in 0..<count {
    let gi = g[i]
    let mi = b1 * m[i] + (1 - b1) * gi  // m ← β₁·m + (1 − β₁)·g
    let vi = b2 * v[i] + (1 - b2) * gi * gi  // v ← β₂·v + (1 − β₂)·g²
    m[i] = mi
    v[i] = vi
    let mHat = mi * c1  // m̂ = m / (1 − β₁ᵗ)
    var vHat = vi * c2  // v̂ = v / (1 − β₂ᵗ)
    // v̂ ≥ 0 already; saying so lets the compiler use the vector square root (for a possibly
    // negative argument it must call the C library's sqrtf, which sets errno, one at a time).
    vHat = vHat > 0 ? vHat : 0
    theta[i] -= alpha * mHat / (vHat.squareRoot() + eps)  // θ ← θ − α·m̂/(√v̂ + ε)
  }
}

/// `cmk_adam_step` for Adam<Float>: exists only when Scalar is Float.
private struct FloatAdamStep {
  init?<Scalar>(_ type: Scalar.Type) {
    guard type == Float.self else { return nil }
  }

  func run<Scalar>(
    path: Int32, theta: UnsafeMutablePointer<Scalar>, g: UnsafePointer<Scalar>,
    m: UnsafeMutablePointer<Scalar>, v: UnsafeMutablePointer<Scalar>, count: Int,
    b1: Scalar, b2: Scalar, c1: Scalar, c2: Scalar, alpha: Scalar, eps: Scalar
  ) {
    func float(_ x: Scalar) -> Float { unsafeBitCast(x, to: Float.self) }
    func floats(_ p: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Float> {
      UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
    }
    cmk_adam_step(
      path, count, floats(theta), UnsafeRawPointer(g).assumingMemoryBound(to: Float.self),
      floats(m), floats(v), float(b1), float(b2), float(c1), float(c2), float(alpha), float(eps))
  }
}
