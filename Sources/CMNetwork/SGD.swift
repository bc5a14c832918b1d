// Plain stochastic gradient descent, with optional heavy-ball momentum.

/// Stochastic gradient descent on a flat parameter vector, with momentum in PyTorch's form.
///
/// ```
/// b ← μ·b + g        (b starts at 0, so the first b is g)
/// θ ← θ − η·b
/// ```
///
/// Mathematical property: with μ = 0 (the default) this is θ ← θ − η·g exactly; with μ > 0 a
/// constant gradient g gives steps η·g·(1 + μ + … + μᵏ⁻¹) → η·g/(1 − μ).
///
/// Worked number: θ = 1, η = 0.1, μ = 0.9, g = 2 twice give θ = 0.8, then θ = 0.42.
public struct SGD<Scalar: NetworkScalar>: Optimizer, Equatable {
  /// η, the learning rate.
  public var learningRate: Double
  /// μ, the momentum.
  public var momentum: Double
  /// b, the velocity (all zero, and unused, when μ = 0).
  public private(set) var velocity: [Scalar]

  /// SGD for `parameterCount` parameters with learning rate η and momentum μ (0: none).
  public init(parameterCount: Int, learningRate: Double, momentum: Double = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
    velocity = [Scalar](repeating: 0, count: momentum == 0 ? 0 : parameterCount)
  }

  public mutating func update(parameters theta: inout [Scalar], gradient g: [Scalar]) {
    precondition(theta.count == g.count, "SGD: θ and g differ in length")
    if momentum != 0 && velocity.count != theta.count {
      velocity = [Scalar](repeating: 0, count: theta.count)
    }
    let (eta, mu, count) = (Scalar(learningRate), Scalar(momentum), theta.count)
    theta.withUnsafeMutableBufferPointer { theta in
      g.withUnsafeBufferPointer { g in
        if momentum == 0 {
          sgdStep(theta: theta.baseAddress!, g: g.baseAddress!, count: count, eta: eta)
        } else {
          velocity.withUnsafeMutableBufferPointer { b in
            sgdMomentumStep(
              theta: theta.baseAddress!, g: g.baseAddress!, b: b.baseAddress!, count: count,
              eta: eta, mu: mu)
          }
        }
      }
    }
  }
}

// The element-wise loops, specialised for Float and Double (see `adamStep`).

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
private func sgdStep<Scalar: NetworkScalar>(
  theta: UnsafeMutablePointer<Scalar>, g: UnsafePointer<Scalar>, count: Int, eta: Scalar
) {
  for i in 0..<count { theta[i] -= eta * g[i] }  // θ ← θ − η·g
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
private func sgdMomentumStep<Scalar: NetworkScalar>(
  theta: UnsafeMutablePointer<Scalar>, g: UnsafePointer<Scalar>, b: UnsafeMutablePointer<Scalar>,
  count: Int, eta: Scalar, mu: Scalar
) {
  for i in 0..<count {
    b[i] = mu * b[i] + g[i]  // b ← μ·b + g
    theta[i] -= eta * b[i]  // θ ← θ − η·b
  }
}
