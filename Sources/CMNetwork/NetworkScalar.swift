// The number type of the network, and the one place where it meets OpenBLAS.
import CBLAS
import Foundation

/// A floating-point type the MLP F_θ can run in: `Float` for training speed, `Double` for golden
/// values and gradient checks.
///
/// The only operations that differ between the two are the matrix product, dispatched to OpenBLAS
/// (`cblas_sgemm` / `cblas_dgemm`), and the logistic sigmoid used by SiLU:
///
/// ```
/// gemm      C ← α · op(A) · op(B) + β · C      (row-major; op(M) = M or Mᵀ)
/// sigmoid   σ(x) = 1 / (1 + e⁻ˣ)
/// ```
///
/// OpenBLAS is set to one thread the first time `gemm` runs (`openblas_set_num_threads(1)`):
/// the matrices here are small (256 × 128), so threads cost more than they give, and a
/// single-threaded product sums in a fixed order, so the same inputs give the same bits every run.
///
/// Worked number: with A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]], α = 1, β = 0,
/// A · B = [[19, 22], [43, 50]] and A · Bᵀ = [[17, 23], [39, 53]].
public protocol NetworkScalar: BinaryFloatingPoint & Codable & Sendable {
  /// C (m × n) ← α · op(A) · op(B) + β · C on row-major matrices, where op(A) is m × k and
  /// op(B) is k × n; `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Self, a: UnsafePointer<Self>, lda: Int,
    b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

  /// The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ).
  static func sigmoid(_ x: Self) -> Self
}

/// Runs once, on the first matrix product (a global `let` is initialised lazily and thread-safely).
private let openBLASSingleThreaded: Void = openblas_set_num_threads(1)

@inline(__always)
private func blasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: NetworkScalar {
  /// `cblas_sgemm`.
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    _ = openBLASSingleThreaded
    cblas_sgemm(
      CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB),
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
      beta, c, blasint(ldc))
  }

  /// σ(x) with the branch-free `fastExp` (within 2 ulp), so that the SiLU loops vectorise.
  @inline(__always)
  public static func sigmoid(_ x: Float) -> Float { 1 / (1 + fastExp(-x)) }
}

extension Double: NetworkScalar {
  /// `cblas_dgemm`.
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Double, a: UnsafePointer<Double>, lda: Int,
    b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    _ = openBLASSingleThreaded
    cblas_dgemm(
      CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB),
      blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
      beta, c, blasint(ldc))
  }

  /// σ(x) with the C library's `exp`: Double is the precision of reference values.
  @inline(__always)
  public static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
}
