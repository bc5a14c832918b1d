import Testing

@testable import CMNetwork

@Suite struct NetworkScalarTests {
  /// The worked number of `NetworkScalar`: A·B and A·Bᵀ for 2 × 2 matrices, in both precisions.
  func products<S: NetworkScalar>(_: S.Type) -> (ab: [S], abT: [S], aTb: [S]) {
    let a: [S] = [1, 2, 3, 4]
    let b: [S] = [5, 6, 7, 8]
    var ab = [S](repeating: 0, count: 4)
    var abT = ab
    var aTb = ab
    S.gemm(
      transposeA: false, transposeB: false, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2,
      beta: 0, c: &ab, ldc: 2)
    S.gemm(
      transposeA: false, transposeB: true, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2,
      beta: 0, c: &abT, ldc: 2)
    S.gemm(
      transposeA: true, transposeB: false, m: 2, n: 2, k: 2, alpha: 1, a: a, lda: 2, b: b, ldb: 2,
      beta: 0, c: &aTb, ldc: 2)
    return (ab, abT, aTb)
  }

  @Test func gemmWorkedNumber() {
    let d = products(Double.self)
    #expect(d.ab == [19, 22, 43, 50])
    #expect(d.abT == [17, 23, 39, 53])
    #expect(d.aTb == [26, 30, 38, 44])
    let f = products(Float.self)
    #expect(f.ab == [19, 22, 43, 50])
    #expect(f.abT == [17, 23, 39, 53])
    #expect(f.aTb == [26, 30, 38, 44])
  }

  @Test func gemmAccumulatesWithBeta() {
    let a: [Double] = [1, 2]  // 1 × 2
    let b: [Double] = [3, 4]  // 2 × 1
    var c: [Double] = [10]
    Double.gemm(
      transposeA: false, transposeB: false, m: 1, n: 1, k: 2, alpha: 2, a: a, lda: 2, b: b, ldb: 1,
      beta: 1, c: &c, ldc: 1)
    #expect(c == [10 + 2 * 11])
  }

  @Test func sigmoidInBothPrecisions() {
    #expect(Double.sigmoid(0) == 0.5)
    #expect(Float.sigmoid(0) == 0.5)
    #expect(abs(Double.sigmoid(1) - 0.7310585786300049) < 1e-16)
    #expect(abs(Float.sigmoid(1) - 0.731_058_6) < 1e-7)
    #expect(Float.sigmoid(200) == 1)
    #expect(Float.sigmoid(-200) >= 0 && Float.sigmoid(-200) < 1e-37)
  }
}
