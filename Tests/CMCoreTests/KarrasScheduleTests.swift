// Tests of KarrasSchedule.swift: the noise grid of EDM Eq. 5.
import CMCore
import Testing
import _TestSupport

@Suite struct KarrasScheduleTests {
  @Test func gridMatchesReference() throws {
    let fixture = try Fixture("karras_sigmas")
    let cases = try fixture.cases
    #expect(cases.count == 35)
    for c in cases {
      let N = try c("N").int
      let (epsilon, T, rho) = (try c("sigma_min").double, try c("sigma_max").double, try c("rho").double)
      let sigmas = karrasSigmas(count: N, sigmaMin: epsilon, sigmaMax: T, rho: rho)
      expectClose(sigmas, try c("sigmas").doubles, "Karras grid N \(N), ε \(epsilon), T \(T), ρ \(rho)")
    }
  }

  @Test func workedNumber() {
    // "N = 3, ε = 0.002, T = 80, ρ = 7 gives t₂ = 2.5152189761…"
    let sigmas = karrasSigmas(count: 3)
    #expect(matchesWrittenDigits(sigmas[1], "2.5152189761"), "t₂ = \(sigmas[1])")
  }

  @Test(arguments: [2, 3, 10, 18, 40, 151, 1281, 5000])
  func strictlyIncreasingWithEndsEpsilonAndT(N: Int) {
    for (epsilon, T, rho) in [
      (0.002, 80.0, 7.0), (0.002, 80.0, 3.0), (0.01, 50.0, 7.0), (0.002, 1.0, 1.0), (1e-4, 1000.0, 10.0),
    ] {
      let sigmas = karrasSigmas(count: N, sigmaMin: epsilon, sigmaMax: T, rho: rho)
      #expect(sigmas.count == N)
      let increasing = zip(sigmas, sigmas.dropFirst()).allSatisfy { $0 < $1 }
      #expect(increasing, "grid not strictly increasing for N \(N), ε \(epsilon), T \(T), ρ \(rho)")
      // (ε^{1/ρ})^ρ and (T^{1/ρ})^ρ: two correctly rounded-ish pow calls, the second amplifying the
      // first's half-ulp relative error by ρ, so "a few ulp" means up to about ρ/2 + 1 ulp here.
      let allowed = UInt64(rho.rounded(.up)) + 1
      #expect(ulpDistance(sigmas[0], epsilon) <= allowed, "t₁ = \(sigmas[0]) vs ε = \(epsilon)")
      #expect(ulpDistance(sigmas[N - 1], T) <= allowed, "t_N = \(sigmas[N - 1]) vs T = \(T)")
    }
  }
}
