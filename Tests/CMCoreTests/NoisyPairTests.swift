// Tests of NoisyPair.swift: x_t = x + t·z and the CT pair (CM Alg. 3), which shares z.
import CMCore
import Testing
import _TestSupport

@Suite struct NoisyPairTests {
  @Test func pairMatchesReference() throws {
    let cases = try Fixture("noisy_pair").cases
    #expect(cases.count == 33)
    for c in cases {
      let (x, z) = (try c("x").doubles, try c("z").doubles)
      let (tN, tNPlus1) = (try c("t_n").double, try c("t_n_plus_1").double)
      let label = "D \(x.count), t_n \(tN), t_n+1 \(tNPlus1)"
      let pair = ctNoisyPair(x: x, z: z, tN: tN, tNPlus1: tNPlus1)
      expectClose(pair.xTN, try c("x_t_n").doubles, "x_{t_n}, \(label)")
      expectClose(pair.xTNPlus1, try c("x_t_n_plus_1").doubles, "x_{t_{n+1}}, \(label)")
      expectClose(addNoise(x: x, z: z, t: tN), try c("x_t_n").doubles, "addNoise at t_n, \(label)")
    }
  }

  @Test func workedNumber() {
    // "x = (1, −1), z = (0.5, 2), t_n = 0.1, t_{n+1} = 0.3 gives x_{t_n} = (1.05, −0.8) and
    // x_{t_{n+1}} = (1.15, −0.4)." (0.1 and 0.3 are not binary fractions: equal to rounding.)
    let pair = ctNoisyPair(x: [1, -1], z: [0.5, 2], tN: 0.1, tNPlus1: 0.3)
    expectClose(pair.xTN, [1.05, -0.8], abs: 0, rel: 1e-15, "x_{t_n}")
    expectClose(pair.xTNPlus1, [1.15, -0.4], abs: 0, rel: 1e-15, "x_{t_{n+1}}")
  }

  @Test func pairSharesTheNoise() {
    var generator = SeededGenerator(seed: 43)
    let sigmas = karrasSigmas(count: 18)
    for _ in 0..<100 {
      let D = 1 + generator.nextInt(below: 5)
      let x = generator.gaussians(count: D)
      let z = generator.gaussians(count: D)
      let n = uniformPairIndex(N: sigmas.count, using: &generator)
      let (tN, tNPlus1) = (sigmas[n], sigmas[n + 1])
      let pair = ctNoisyPair(x: x, z: z, tN: tN, tNPlus1: tNPlus1)
      // Both inputs are x + t·z with the same z, bit for bit.
      #expect(pair.xTN == addNoise(x: x, z: z, t: tN))
      #expect(pair.xTNPlus1 == addNoise(x: x, z: z, t: tNPlus1))
      // And the difference quotient recovers z. Each input is rounded once (half an ulp of its
      // magnitude), and the quotient divides that by t_{n+1} − t_n, hence the scale-aware bound.
      for i in 0..<D {
        let recovered = (pair.xTNPlus1[i] - pair.xTN[i]) / (tNPlus1 - tN)
        let scale = max(abs(pair.xTN[i]), abs(pair.xTNPlus1[i]), abs(x[i])).ulp / (tNPlus1 - tN)
        expectClose(recovered, z[i], abs: 4 * scale, rel: 1e-15, "z[\(i)] recovered from the pair at n \(n)")
      }
    }
  }

  /// The batched form is `addNoise` row by row, each row at its own t, bit for bit.
  @Test func batchedAddNoiseIsRowByRow() {
    var generator = SeededGenerator(seed: 61)
    let (B, D) = (5, 3)
    let x = generator.gaussians(count: B * D)
    let z = generator.gaussians(count: B * D)
    let t = (0..<B).map { _ in 80 * generator.nextUniform() }
    let batched = addNoise(batch: x, z: z, t: t)
    for b in 0..<B {
      let range = (b * D)..<(b * D + D)
      #expect(Array(batched[range]) == addNoise(x: Array(x[range]), z: Array(z[range]), t: t[b]))
    }
  }
}
