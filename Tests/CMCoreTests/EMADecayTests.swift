// Tests of EMADecay.swift: μ = exp(s₀·ln μ₀ / N) (CM App. C) and the official code's N − 1 variant.
import CMCore
import Foundation
import Testing
import _TestSupport

@Suite struct EMADecayTests {
  private func variant(_ c: JSONValue) throws -> EMADecayVariant {
    let name = try c("variant").string
    return try #require(EMADecayVariant(rawValue: name), "unknown variant \(name)")
  }

  @Test func decayByGridSizeMatchesReference() throws {
    let cases = try Fixture("ema_decay").cases("by_N")
    #expect(cases.count > 100)
    for c in cases {
      let (N, s0, mu0) = (try c("N").int, try c("s0").int, try c("mu0").double)
      let v = try variant(c)
      expectClose(
        emaDecayRate(N: N, s0: s0, mu0: mu0, variant: v), try c("mu").double,
        "μ, N \(N), s0 \(s0), μ0 \(mu0), \(v)")
    }
  }

  @Test func decayByStepMatchesReference() throws {
    let cases = try Fixture("ema_decay").cases("by_k")
    #expect(cases.count > 20)
    for c in cases {
      let (k, K, s0, s1, mu0) = (
        try c("k").int, try c("K").int, try c("s0").int, try c("s1").int, try c("mu0").double
      )
      let v = try variant(c)
      #expect(ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1) == (try c("N").int), "N(k) at k \(k), K \(K)")
      expectClose(
        emaDecayRate(k: k, K: K, s0: s0, s1: s1, mu0: mu0, variant: v), try c("mu").double,
        "μ(k), k \(k), K \(K), s0 \(s0), s1 \(s1), μ0 \(mu0), \(v)")
    }
  }

  @Test func workedNumbers() {
    // "s₀ = 2, μ₀ = 0.9, N = 3 … gives μ = 0.9^{2/3} = 0.93216975…"
    let mu3 = emaDecayRate(N: 3, s0: 2, mu0: 0.9)
    #expect(matchesWrittenDigits(mu3, "0.93216975"), "μ(N = 3) = \(mu3)")
    expectClose(mu3, pow(0.9, 2.0 / 3.0), abs: 0, rel: 1e-15, "0.9^(2/3)")
    // "(paper form, K = 800 000, s₀ = 2, s₁ = 150, μ₀ = 0.9): μ(0) = 0.9, μ(1) = 0.93216975…,
    // μ(800 000) = 0.99860547…"
    expectClose(emaDecayRate(k: 0, K: 800_000), 0.9, abs: 0, rel: 1e-15, "μ(0)")
    #expect(matchesWrittenDigits(emaDecayRate(k: 1, K: 800_000), "0.93216975"), "μ(1)")
    #expect(matchesWrittenDigits(emaDecayRate(k: 800_000, K: 800_000), "0.99860547"), "μ(800 000)")
  }

  @Test func paperStartsAtMu0OfficialAtMu0Squared() {
    for mu0 in [0.9, 0.95, 0.99, 0.5, 0.999, 0.1] {
      for s0 in [2, 3, 5, 10] {
        // exp(s₀·ln μ₀/s₀): the product and quotient round, so "μ₀ to rounding" is a few ulp.
        let mu = emaDecayRate(N: s0, s0: s0, mu0: mu0, variant: .paper)
        #expect(ulpDistance(mu, mu0) <= 4, "paper μ(N = s0) = \(mu) vs μ0 = \(mu0), s0 \(s0)")
        #expect(ulpDistance(emaDecayRate(k: 0, K: 1000, s0: s0, s1: 150, mu0: mu0), mu0) <= 4)
      }
      // Official: exp(2·ln μ₀ / (2 − 1)) = μ₀² for s₀ = 2.
      let official = emaDecayRate(k: 0, K: 800_000, s0: 2, s1: 150, mu0: mu0, variant: .official)
      expectClose(official, mu0 * mu0, abs: 0, rel: 1e-15, "official μ(0) for μ0 \(mu0)")
    }
    expectClose(emaDecayRate(N: 2, s0: 2, mu0: 0.9, variant: .official), 0.81, abs: 0, rel: 1e-15, "0.81")
  }

  @Test func increasesTowardsOne() {
    for variant in EMADecayVariant.allCases {
      for mu0 in [0.9, 0.95, 0.5] {
        var previous = 0.0
        for N in 2...2000 {
          let mu = emaDecayRate(N: N, s0: 2, mu0: mu0, variant: variant)
          #expect(mu > previous && mu < 1, "μ not increasing below 1 at N \(N), μ0 \(mu0), \(variant)")
          previous = mu
        }
        #expect(previous > 0.999, "μ(N = 2000) = \(previous)")
      }
    }
  }
}
