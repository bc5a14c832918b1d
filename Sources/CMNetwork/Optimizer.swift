// What every optimiser of the flat parameter vector θ provides.

/// An update rule θ ← θ − (step computed from ∂L/∂θ and the optimiser's state) on the flat
/// parameter vector of `ParameterLayout`. Its state is a value, so it can be checkpointed.
public protocol Optimizer: Codable, Sendable {
  /// The precision of θ and of the optimiser's state (`Float` or `Double`).
  associatedtype Scalar: NetworkScalar
  /// One update of θ, in place, from the gradient ∂L/∂θ of the same length.
  mutating func update(parameters theta: inout [Scalar], gradient: [Scalar])
}
