// Tests of GaussianDenoiser.swift: the exact denoiser and consistency function of N(m, s²I).
import CMCore
import Testing
import _TestSupport

@Suite struct GaussianDenoiserTests {
  @Test func denoiserAndConsistencyFunctionMatchReference() throws {
    let cases = try Fixture("gaussian_exact").cases
    #expect(cases.count > 100)
    for c in cases {
      let (m, s, epsilon, t, x) = (
        try c("mean").doubles, try c("std").double, try c("sigma_min").double, try c("t").double,
        try c("x").doubles
      )
      let label = "D \(x.count), s \(s), ε \(epsilon), t \(t)"
      expectClose(
        gaussianDenoiser(x: x, t: t, mean: m, std: s), try c("denoiser").doubles, "D(x, t), \(label)")
      expectClose(
        gaussianConsistencyFunction(x: x, t: t, mean: m, std: s, sigmaMin: epsilon), try c("f_star").doubles,
        "f*(x, t), \(label)")
    }
  }

  @Test func workedNumbers() {
    // "m = (0, 0), s = 0.5, t = 0.5, x_t = (1, −2) gives D = (0.5, −1)."
    #expect(gaussianDenoiser(x: [1, -2], t: 0.5, mean: [0, 0], std: 0.5) == [0.5, -1])
    // "m = (0, 0), s = 0.5, ε = 0.002, t = 1, x_t = (1, 0) gives f* = (√(0.250004/1.25), 0) = (0.44721717…, 0)."
    let f = gaussianConsistencyFunction(x: [1, 0], t: 1, mean: [0, 0], std: 0.5)
    #expect(matchesWrittenDigits(f[0], "0.44721717"), "f*[0] = \(f[0])")
    #expect(f[1] == 0)
  }

  @Test func boundaryConditionAndLimits() {
    var generator = SeededGenerator(seed: 47)
    for _ in 0..<200 {
      let D = 1 + generator.nextInt(below: 5)
      let m = generator.gaussians(count: D)
      let x = generator.gaussians(count: D).map { $0 * 3 }
      let s = 0.05 + 2 * generator.nextUniform()
      let epsilon = [0.002, 0.01, 1e-4][generator.nextInt(below: 3)]
      // f*(x, ε) = m + (x − m)·1: x up to the rounding of (x − m) and of the sum, so within an ulp
      // or two of the larger of |x| and |m|.
      let fStar = gaussianConsistencyFunction(x: x, t: epsilon, mean: m, std: s, sigmaMin: epsilon)
      let denoisedAtZero = gaussianDenoiser(x: x, t: 0, mean: m, std: s)
      let farOut = gaussianDenoiser(x: x, t: 1e8, mean: m, std: s)
      for i in 0..<D {
        let tolerance = 2 * max(abs(x[i]), abs(m[i])).ulp
        expectClose(fStar[i], x[i], abs: tolerance, rel: 0, "f*(x, ε)[\(i)]")
        expectClose(denoisedAtZero[i], x[i], abs: tolerance, rel: 0, "D(x, 0)[\(i)]")
        // D(x, t) − m = s²/(s² + t²)·(x − m) → 0 as t → ∞.
        expectClose(farOut[i], m[i], abs: 1e-14, rel: 0, "D(x, 10⁸)[\(i)]")
      }
    }
  }
}
