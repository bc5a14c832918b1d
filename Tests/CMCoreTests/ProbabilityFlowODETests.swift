// Tests of ProbabilityFlowODE.swift: Euler and Heun steps of dx/dt = (x − D(x, t))/t (CM Alg. 2).
import CMCore
import Testing
import _TestSupport

@Suite struct ProbabilityFlowODETests {
  @Test func gaussianStepsMatchReference() throws {
    let cases = try Fixture("ode_steps").cases("gaussian")
    #expect(cases.count == 112)
    for c in cases {
      let (m, s, x) = (try c("mean").doubles, try c("std").double, try c("x").doubles)
      let (tN, tNPlus1) = (try c("t_n").double, try c("t_n_plus_1").double)
      let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: m, std: s) }
      let label = "D \(x.count), s \(s), t_n+1 \(tNPlus1) → t_n \(tN)"
      // The reference slope is the closed form t(x − m)/(s² + t²); the library computes
      // (x − D)/t, whose subtraction cancels at small t. The absolute error stays near
      // ulp(x)/t ≤ 1e-13, inside the 1e-12 absolute tolerance.
      expectClose(
        probabilityFlowSlope(x: x, t: tNPlus1, denoiser: D), try c("slope").doubles, "slope, \(label)")
      expectClose(
        eulerStep(x: x, from: tNPlus1, to: tN, denoiser: D), try c("euler").doubles, "Euler, \(label)")
      expectClose(heunStep(x: x, from: tNPlus1, to: tN, denoiser: D), try c("heun").doubles, "Heun, \(label)")
      expectClose(
        ODESolver.euler.step(x: x, from: tNPlus1, to: tN, denoiser: D), try c("euler").doubles,
        "ODESolver.euler, \(label)")
      expectClose(
        ODESolver.heun.step(x: x, from: tNPlus1, to: tN, denoiser: D), try c("heun").doubles,
        "ODESolver.heun, \(label)")
      // The exact transport from t_{n+1} to t_n is the Gaussian consistency function with ε := t_n.
      expectClose(
        gaussianConsistencyFunction(x: x, t: tNPlus1, mean: m, std: s, sigmaMin: tN), try c("exact").doubles,
        "exact transport, \(label)")
    }
  }

  @Test func heunIsCloserToExactOnFineSteps() throws {
    // Second order against first order: on the short steps near ε of the 151-point grid, Heun's
    // error against the exact transport is below Euler's.
    for c in try Fixture("ode_steps").cases("gaussian") where try c("t_n_plus_1").double < 0.01 {
      let (m, s, x) = (try c("mean").doubles, try c("std").double, try c("x").doubles)
      let (tN, tNPlus1) = (try c("t_n").double, try c("t_n_plus_1").double)
      let exact = try c("exact").doubles
      let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: m, std: s) }
      let euler = eulerStep(x: x, from: tNPlus1, to: tN, denoiser: D)
      let heun = heunStep(x: x, from: tNPlus1, to: tN, denoiser: D)
      let eulerError = zip(euler, exact).map { abs($0 - $1) }.max()!
      let heunError = zip(heun, exact).map { abs($0 - $1) }.max()!
      #expect(heunError <= eulerError, "Heun \(heunError) vs Euler \(eulerError) at t \(tNPlus1)")
    }
  }

  @Test func oneSampleDenoiserStepsMatchReference() throws {
    let cases = try Fixture("ode_steps").cases("one_sample")
    #expect(cases.count == 32)
    for c in cases {
      let (data, x) = (try c("data").doubles, try c("x").doubles)
      let (tN, tNPlus1) = (try c("t_n").double, try c("t_n_plus_1").double)
      let D: Denoiser = { _, _ in data }
      expectClose(
        eulerStep(x: x, from: tNPlus1, to: tN, denoiser: D), try c("euler").doubles,
        "Euler with D := x, t \(tNPlus1) → \(tN)")
      expectClose(
        heunStep(x: x, from: tNPlus1, to: tN, denoiser: D), try c("heun").doubles,
        "Heun with D := x, t \(tNPlus1) → \(tN)")
      let z = try c("z").doubles
      expectClose(addNoise(x: data, z: z, t: tNPlus1), x, "x_{t_{n+1}} = x + t_{n+1}·z")
      expectClose(addNoise(x: data, z: z, t: tN), try c("ct_target").doubles, "CT target x + t_n·z")
    }
  }

  /// CT is CD with the one-sample denoiser: Euler (and Heun) from x + t_{n+1}·z with D := x lands
  /// on x + t_n·z. Exact in real arithmetic; in binary64 x_{t_{n+1}} and the step are each rounded,
  /// and Euler's slope (x_{t_{n+1}} − x)/t_{n+1} carries the first rounding times
  /// (t_{n+1} − t_n)/t_{n+1} ≤ 1, so Euler is within a few ulp of the largest magnitude involved.
  /// Heun's corrector slope (x₁ − x)/t_n divides the rounding of x₁ (an ulp of x_{t_{n+1}}) by t_n
  /// and multiplies it by (t_{n+1} − t_n)/2: on the 2-point grid (80 → 0.002) that is 20 000 times
  /// the ulp. So Heun's allowance is a few ulp times 1 + (t_{n+1} − t_n)/t_n.
  @Test(arguments: ODESolver.allCases)
  func ctTargetIsCDWithOneSampleDenoiser(solver: ODESolver) {
    var generator = SeededGenerator(seed: 53)
    for N in [2, 3, 18, 40, 151] {
      let sigmas = karrasSigmas(count: N)
      for _ in 0..<50 {
        let D = 1 + generator.nextInt(below: 5)
        let x = generator.gaussians(count: D)
        let z = generator.gaussians(count: D)
        let n = uniformPairIndex(N: N, using: &generator)
        let pair = ctNoisyPair(x: x, z: z, tN: sigmas[n], tNPlus1: sigmas[n + 1])
        let xHat = solver.step(x: pair.xTNPlus1, from: sigmas[n + 1], to: sigmas[n]) { _, _ in x }
        let amplification = solver == .euler ? 1 : 1 + (sigmas[n + 1] - sigmas[n]) / sigmas[n]
        for i in 0..<D {
          let scale = max(abs(x[i]), abs(pair.xTNPlus1[i]), abs(pair.xTN[i]))
          expectClose(
            xHat[i], pair.xTN[i], abs: 4 * scale.ulp * amplification, rel: 0,
            "\(solver) with D := x, N \(N), n \(n), [\(i)]")
        }
      }
    }
  }

  /// The batched step (one denoiser call per stage for the whole batch, as the CD step uses it)
  /// is the per-sample step row by row, bit for bit, each row with its own (t_{n+1}, t_n).
  @Test(arguments: ODESolver.allCases)
  func batchedStepIsTheRowByRowStep(solver: ODESolver) {
    var generator = SeededGenerator(seed: 59)
    let sigmas = karrasSigmas(count: 18)
    let (m, s) = ([0.3, -0.2], 0.5)
    for B in [1, 2, 7] {
      let x = generator.gaussians(count: B * 2).map { 3 * $0 }
      let n = (0..<B).map { _ in uniformPairIndex(N: 18, using: &generator) }
      let tNPlus1 = n.map { sigmas[$0 + 1] }
      let tN = n.map { sigmas[$0] }
      var calls = 0
      let batched = solver.step(batch: x, from: tNPlus1, to: tN) { v, t in
        calls += 1
        return (0..<t.count).flatMap { b in
          gaussianDenoiser(x: Array(v[(2 * b)..<(2 * b + 2)]), t: t[b], mean: m, std: s)
        }
      }
      #expect(calls == (solver == .euler ? 1 : 2))
      for b in 0..<B {
        let row = solver.step(x: Array(x[(2 * b)..<(2 * b + 2)]), from: tNPlus1[b], to: tN[b]) {
          gaussianDenoiser(x: $0, t: $1, mean: m, std: s)
        }
        #expect(Array(batched[(2 * b)..<(2 * b + 2)]) == row, "row \(b) of \(B)")
      }
    }
  }
}
