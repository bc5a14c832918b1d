// Tests of ConsistencyFunction.swift: f_θ(x, t) = c_skip(t)·x + c_out(t)·F(c_in(t)·x, c_noise(t)).
import CMCore
import Foundation
import Testing
import _TestSupport

/// The fixed network of Fixtures/consistency_function.json: F(u, c)ᵢ = tanh(Σⱼ Wᵢⱼ·uⱼ + bᵢ + aᵢ·c).
private struct FixedNetwork {
  var W: [[Double]]
  var b: [Double]
  var a: [Double]

  func callAsFunction(_ u: [Double], _ c: Double) -> [Double] {
    W.indices.map { i in
      var sum = 0.0
      for j in u.indices { sum += W[i][j] * u[j] }
      return tanh(sum + b[i] + a[i] * c)
    }
  }
}

@Suite struct ConsistencyFunctionTests {
  @Test func matchesReferenceWithFixedNetwork() throws {
    let fixture = try Fixture("consistency_function")
    let cases = try fixture.cases
    #expect(cases.count == 64)
    for c in cases {
      let network = FixedNetwork(W: try c("W").matrix, b: try c("b").doubles, a: try c("a").doubles)
      let (t, sigmaData, epsilon) = (try c("t").double, try c("sigma_data").double, try c("sigma_min").double)
      let x = try c("x").doubles
      let label = "D \(x.count), t \(t), σ_data \(sigmaData), ε \(epsilon)"
      let scalings = BoundaryScalings(t: t, sigmaData: sigmaData, sigmaMin: epsilon)
      expectClose(network(x.map { scalings.cIn * $0 }, scalings.cNoise), try c("F").doubles, "F at \(label)")
      let f = consistencyFunction(x: x, t: t, sigmaData: sigmaData, sigmaMin: epsilon) { network($0, $1) }
      expectClose(f, try c("f").doubles, "f at \(label)")
    }
  }

  @Test func networkSeesScaledInputAndNoiseLevel() {
    var seen: (u: [Double], c: Double) = ([], 0)
    let x = [1.0, -2.0, 0.5]
    _ = consistencyFunction(x: x, t: 1) { u, c in
      seen = (u, c)
      return u
    }
    #expect(seen.u == x.map { cIn(t: 1) * $0 })
    #expect(seen.c == cNoise(t: 1))
  }

  @Test func boundaryConditionHoldsBitForBit() {
    // f(x, ε) = x for any F with finite output: c_skip(ε) = 1 and c_out(ε) = 0.
    let networks: [(String, ([Double], Double) -> [Double])] = [
      ("zero", { u, _ in u.map { _ in 0 } }),
      ("identity", { u, _ in u }),
      ("tanh affine", { u, c in u.map { tanh(3 * $0 - 0.7 + c) } }),
      ("huge", { u, _ in u.map { _ in 1e300 } }),
      (
        "huge negative, mixed",
        { u, c in u.indices.map { i in i.isMultiple(of: 2) ? -Double.greatestFiniteMagnitude : 1e200 * c } }
      ),
      ("x-dependent", { u, c in u.map { $0 * $0 * 1e10 + c } }),
    ]
    var generator = SeededGenerator(seed: 3)
    for (name, F) in networks {
      for (sigmaData, epsilon) in [(0.5, 0.002), (1.0, 0.01), (0.25, 1e-4)] {
        for D in [1, 2, 3, 5] {
          let x = (0..<D).map { _ in 10 * generator.nextGaussian() }
          let f = consistencyFunction(x: x, t: epsilon, sigmaData: sigmaData, sigmaMin: epsilon, F: F)
          let bitForBit = zip(f, x).allSatisfy { $0.bitPattern == $1.bitPattern }
          #expect(bitForBit, "f(x, ε) ≠ x for F = \(name), σ_data \(sigmaData), ε \(epsilon): \(f) vs \(x)")
        }
      }
    }
  }
}
