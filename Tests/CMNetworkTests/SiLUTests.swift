import Testing

@testable import CMNetwork

@Suite struct SiLUTests {
  @Test func workedNumber() {
    #expect(SiLU.value(1.0) == 0.7310585786300049)
    #expect(abs(SiLU.derivative(1.0) - 0.9276705118714869) < 1e-16)
    #expect(SiLU.value(0.0) == 0)
    #expect(SiLU.derivative(0.0) == 0.5)
  }

  @Test func derivativeMatchesCentralDifference() {
    let h = 1e-6
    for z in stride(from: -6.0, through: 6.0, by: 0.37) {
      let numeric = (SiLU.value(z + h) - SiLU.value(z - h)) / (2 * h)
      #expect(abs(SiLU.derivative(z) - numeric) < 1e-9)
    }
  }

  @Test func minimumNearMinus1Point2785() {
    #expect(abs(SiLU.value(-1.2785) - -0.2785) < 1e-4)
    #expect(abs(SiLU.derivative(-1.278_464_542_761_074)) < 1e-12)
  }

  /// The batched rules: forward keeps s and σ; backward multiplies by σ + s·(1 − σ) = s′(z).
  @Test func batchedForwardAndBackwardMatchTheScalarRules() {
    let z: [Double] = [-3, -0.5, 0, 0.25, 2, 9]
    var s = z
    var sigma = [Double](repeating: 0, count: z.count)
    SiLU.forward(&s, sigma: &sigma, count: z.count)
    var grad = [Double](repeating: 2, count: z.count)
    SiLU.backward(&grad, s: s, sigma: sigma, count: z.count)
    for i in z.indices {
      #expect(s[i] == SiLU.value(z[i]))
      #expect(sigma[i] == Double.sigmoid(z[i]))
      #expect(abs(grad[i] - 2 * SiLU.derivative(z[i])) < 1e-15)
    }
  }
}
