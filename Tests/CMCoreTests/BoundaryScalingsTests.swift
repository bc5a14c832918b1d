// Tests of BoundaryScalings.swift: c_skip, c_out (CM Eq. 5 / App. C), c_in, c_noise (EDM Table 1).
import CMCore
import Testing
import _TestSupport

@Suite struct BoundaryScalingsTests {
  @Test func scalingsMatchReference() throws {
    let fixture = try Fixture("boundary_scalings")
    let cases = try fixture.cases
    #expect(cases.count > 40)
    for c in cases {
      let (t, sigmaData, epsilon) = (try c("t").double, try c("sigma_data").double, try c("sigma_min").double)
      let label = "t \(t), σ_data \(sigmaData), ε \(epsilon)"
      expectClose(
        cSkip(t: t, sigmaData: sigmaData, sigmaMin: epsilon), try c("c_skip").double, "c_skip at \(label)")
      expectClose(
        cOut(t: t, sigmaData: sigmaData, sigmaMin: epsilon), try c("c_out").double, "c_out at \(label)")
      expectClose(cIn(t: t, sigmaData: sigmaData), try c("c_in").double, "c_in at \(label)")
      expectClose(cNoise(t: t), try c("c_noise").double, "c_noise at \(label)")
      let all = BoundaryScalings(t: t, sigmaData: sigmaData, sigmaMin: epsilon)
      expectClose(
        [all.cSkip, all.cOut, all.cIn, all.cNoise],
        [try c("c_skip").double, try c("c_out").double, try c("c_in").double, try c("c_noise").double],
        "BoundaryScalings at \(label)")
    }
  }

  @Test func workedNumbers() {
    // "t = 1, σ_data = 0.5, ε = 0.002 gives c_skip = 0.25 / 1.246004 = 0.20064141…"
    #expect(matchesWrittenDigits(cSkip(t: 1), "0.20064141"), "c_skip(1) = \(cSkip(t: 1))")
    #expect(isClose(cSkip(t: 1), 0.25 / 1.246004, abs: 0, rel: 1e-15))
    // "… gives c_out = 0.5 · 0.998 / √1.25 = 0.44631917…"
    #expect(matchesWrittenDigits(cOut(t: 1), "0.44631917"), "c_out(1) = \(cOut(t: 1))")
    // "t = 1, σ_data = 0.5 gives c_in = 1/√1.25 = 0.89442…"
    #expect(matchesWrittenDigits(cIn(t: 1), "0.89442"), "c_in(1) = \(cIn(t: 1))")
    // "t = 80 gives c_noise = ¼ · ln 80 = 1.0955066…"
    #expect(matchesWrittenDigits(cNoise(t: 80), "1.0955066"), "c_noise(80) = \(cNoise(t: 80))")
  }

  @Test func boundaryIsExact() {
    // c_skip(ε) = 1 and c_out(ε) = 0 exactly: (ε − ε)² = 0 and σ_data·0 = 0.
    for epsilon in [0.002, 0.001, 0.01, 1e-5, 0.3] {
      for sigmaData in [0.5, 1.0, 0.25, 0.1, 2.0] {
        #expect(
          cSkip(t: epsilon, sigmaData: sigmaData, sigmaMin: epsilon) == 1,
          "c_skip(ε), ε \(epsilon), σ_data \(sigmaData)")
        #expect(
          cOut(t: epsilon, sigmaData: sigmaData, sigmaMin: epsilon) == 0,
          "c_out(ε), ε \(epsilon), σ_data \(sigmaData)")
      }
    }
  }

  @Test func cInGivesUnitVariance() {
    // Var(c_in(t)·(x + t·z)) = c_in(t)²·(σ_data² + t²) = 1 for data of per-coordinate std σ_data.
    for sigmaData in [0.5, 1.0, 0.25] {
      for t in [0.002, 0.01, 0.1, 0.5, 1.0, 2.0, 10.0, 80.0] {
        let c = cIn(t: t, sigmaData: sigmaData)
        expectClose(
          c * c * (sigmaData * sigmaData + t * t), 1, abs: 0, rel: 1e-15,
          "variance at t \(t), σ_data \(sigmaData)")
      }
    }
  }
}
