// Tests of TargetEMA.swift: θ⁻ ← μ·θ⁻ + (1 − μ)·θ (CM Eq. 8).
import CMCore
import Testing
import _TestSupport

@Suite struct TargetEMATests {
  @Test func updateMatchesReference() throws {
    let cases = try Fixture("target_ema").cases
    #expect(cases.count == 31)
    for c in cases {
      var thetaMinus = try c("theta_minus").doubles
      let (theta, mu) = (try c("theta").doubles, try c("mu").double)
      updateTarget(thetaMinus: &thetaMinus, theta: theta, mu: mu)
      expectClose(thetaMinus, try c("result").doubles, "θ⁻ update, μ \(mu), D \(theta.count)")
    }
  }

  @Test func workedNumber() {
    // "θ⁻ = (1, 2), θ = (3, 0), μ = 0.75 gives θ⁻ = (1.5, 1.5)."
    var thetaMinus = [1.0, 2.0]
    updateTarget(thetaMinus: &thetaMinus, theta: [3, 0], mu: 0.75)
    #expect(thetaMinus == [1.5, 1.5])
  }

  @Test func muZeroCopiesAndMuOneKeeps() {
    var generator = SeededGenerator(seed: 37)
    for D in [1, 2, 5, 100] {
      let theta = generator.gaussians(count: D).map { $0 * 1e3 }
      let old = generator.gaussians(count: D).map { $0 * 1e-3 }
      var copied = old
      updateTarget(thetaMinus: &copied, theta: theta, mu: 0)
      #expect(
        zip(copied, theta).allSatisfy { $0.bitPattern == $1.bitPattern }, "μ = 0 does not copy θ, D \(D)")
      var kept = old
      updateTarget(thetaMinus: &kept, theta: theta, mu: 1)
      #expect(zip(kept, old).allSatisfy { $0.bitPattern == $1.bitPattern }, "μ = 1 does not keep θ⁻, D \(D)")
    }
  }

  @Test func resultLiesBetweenThetaMinusAndTheta() {
    var generator = SeededGenerator(seed: 41)
    for _ in 0..<200 {
      let D = 1 + generator.nextInt(below: 8)
      let theta = generator.gaussians(count: D)
      let old = generator.gaussians(count: D)
      var updated = old
      let mu = generator.nextUniform()
      updateTarget(thetaMinus: &updated, theta: theta, mu: mu)
      for i in 0..<D {
        #expect(
          updated[i] >= min(old[i], theta[i]) && updated[i] <= max(old[i], theta[i]),
          "θ⁻[\(i)] = \(updated[i]) not between \(old[i]) and \(theta[i]) for μ \(mu)")
      }
    }
  }
}
