// A fully connected layer: its forward rule and, right beside it, its backward rule.

/// A fully connected (affine) layer d_in → d_out acting on a row-major batch of B rows.
///
/// ```
/// forward    Y = X Wᵀ + b          X: B × d_in,  W: d_out × d_in,  b: d_out,  Y: B × d_out
/// backward   ∂L/∂W = (∂L/∂Y)ᵀ X     d_out × d_in
///            ∂L/∂b = Σ_rows ∂L/∂Y   d_out
///            ∂L/∂X = (∂L/∂Y) W      B × d_in
/// ```
///
/// Both matrix products of each rule go to BLAS with transposition flags, so no matrix is ever
/// transposed in memory. The backward rule follows from Y[r, i] = Σ_j X[r, j]·W[i, j] + b[i]:
/// ∂Y[r, i]/∂W[i, j] = X[r, j], ∂Y[r, i]/∂b[i] = 1, ∂Y[r, i]/∂X[r, j] = W[i, j], summed over
/// the rows r that each parameter touches.
///
/// Worked number: W = [[1, 2], [3, 4]], b = (0.5, −1), X = [[1, 1]] give Y = [[3.5, 6]];
/// with ∂L/∂Y = [[1, 0]], ∂L/∂W = [[1, 1], [0, 0]], ∂L/∂b = (1, 0), ∂L/∂X = [[1, 2]].
struct Linear<Scalar: NetworkScalar> {
  /// d_in.
  let fanIn: Int
  /// d_out.
  let fanOut: Int

  /// Y = X Wᵀ + b for `rows` rows. `y` must not overlap `x`, `w` or `b`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  func forward(
    x: UnsafePointer<Scalar>, w: UnsafePointer<Scalar>, b: UnsafePointer<Scalar>,
    y: UnsafeMutablePointer<Scalar>, rows: Int
  ) {
    // Y ← b on every row, …
    for r in 0..<rows {
      let yRow = y + r * fanOut
      for i in 0..<fanOut { yRow[i] = b[i] }
    }
    // … then Y ← X Wᵀ + Y   (B × d_out) = (B × d_in)·(d_in × d_out)
    Scalar.gemm(
      transposeA: false, transposeB: true, m: rows, n: fanOut, k: fanIn,
      alpha: 1, a: x, lda: fanIn, b: w, ldb: fanIn, beta: 1, c: y, ldc: fanOut)
  }

  /// From ∂L/∂Y, writes ∂L/∂W and ∂L/∂b (overwriting them) and, if `dX` is given, ∂L/∂X.
  /// `x` and `w` are the forward pass's input and weights.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  func backward(
    dY: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>, w: UnsafePointer<Scalar>,
    dW: UnsafeMutablePointer<Scalar>, db: UnsafeMutablePointer<Scalar>,
    dX: UnsafeMutablePointer<Scalar>?, rows: Int
  ) {
    // ∂L/∂W = (∂L/∂Y)ᵀ X   (d_out × d_in) = (d_out × B)·(B × d_in)
    Scalar.gemm(
      transposeA: true, transposeB: false, m: fanOut, n: fanIn, k: rows,
      alpha: 1, a: dY, lda: fanOut, b: x, ldb: fanIn, beta: 0, c: dW, ldc: fanIn)
    // ∂L/∂b = Σ_rows ∂L/∂Y
    for i in 0..<fanOut { db[i] = 0 }
    for r in 0..<rows {
      let dYRow = dY + r * fanOut
      for i in 0..<fanOut { db[i] += dYRow[i] }
    }
    // ∂L/∂X = (∂L/∂Y) W   (B × d_in) = (B × d_out)·(d_out × d_in)
    if let dX {
      Scalar.gemm(
        transposeA: false, transposeB: false, m: rows, n: fanIn, k: fanOut,
        alpha: 1, a: dY, lda: fanOut, b: w, ldb: fanIn, beta: 0, c: dX, ldc: fanIn)
    }
  }
}
