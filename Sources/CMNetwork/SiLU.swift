// The SiLU activation: its forward rule and, right beside it, its backward rule.

/// The sigmoid-weighted linear unit (Elfwing, Uchibe & Doya 2018; "swish"), the activation
/// between the layers of F_θ.
///
/// ```
/// forward    s(z) = z · σ(z),        σ(z) = 1 / (1 + e⁻ᶻ)
/// backward   s′(z) = σ(z)·(1 + z·(1 − σ(z))) = σ(z) + s(z)·(1 − σ(z))
///            ∂L/∂z = ∂L/∂s · s′(z)
/// ```
///
/// The forward pass keeps σ(z) and s(z); the second form of s′ needs only those two, so the
/// backward pass computes no exponential and the pre-activation z need not be stored.
///
/// Mathematical properties: s(0) = 0, s′(0) = ½; s(z) → z and s′(z) → 1 as z → +∞; s(z) → 0
/// as z → −∞; the minimum is s(−1.2785) ≈ −0.2785.
///
/// Worked number: s(1) = σ(1) = 0.7310585786300049, s′(1) = 0.9276705118714869.
public enum SiLU {
  /// s(z) = z·σ(z) for one number.
  public static func value<Scalar: NetworkScalar>(_ z: Scalar) -> Scalar {
    z * Scalar.sigmoid(z)
  }

  /// s′(z) = σ(z)·(1 + z·(1 − σ(z))) for one number.
  public static func derivative<Scalar: NetworkScalar>(_ z: Scalar) -> Scalar {
    let sigma = Scalar.sigmoid(z)
    return sigma * (1 + z * (1 - sigma))
  }

  /// Forward over `count` numbers: overwrites z with s(z) in place, and stores σ(z) in `sigma`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  static func forward<Scalar: NetworkScalar>(
    _ zs: UnsafeMutablePointer<Scalar>, sigma: UnsafeMutablePointer<Scalar>, count: Int
  ) {
    for i in 0..<count {
      let z = zs[i]
      let sigmaZ = Scalar.sigmoid(z)  // σ(z)
      sigma[i] = sigmaZ
      zs[i] = z * sigmaZ  // s(z) = z·σ(z)
    }
  }

  /// Backward over `count` numbers: overwrites ∂L/∂s with ∂L/∂z = ∂L/∂s · (σ + s·(1 − σ)),
  /// from the forward pass's s(z) (`s`) and σ(z) (`sigma`).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  static func backward<Scalar: NetworkScalar>(
    _ grad: UnsafeMutablePointer<Scalar>, s: UnsafePointer<Scalar>,
    sigma: UnsafePointer<Scalar>, count: Int
  ) {
    for i in 0..<count {
      let sigmaZ = sigma[i]
      grad[i] *= sigmaZ + s[i] * (1 - sigmaZ)  // s′(z) = σ + s·(1 − σ)
    }
  }
}
