// Tests of ExactProbabilityFlow.swift: the error-controlled PF ODE solver against the two cases
// solved in closed form (Gaussian data, and the one-sample denoiser of CT).
import CMCore
import Foundation
import Testing
import _TestSupport

@Suite struct ExactProbabilityFlowTests {
  /// N(m, s²I) for three (m, s), including an off-centre narrow one and a wide one.
  let gaussians: [(m: [Double], s: Double)] = [([0, 0], 0.5), ([0.3, -0.7], 0.05), ([1, 2, -1], 2)]
  /// Noise levels across [ε, T], ε and T included.
  let ts: [Double] = [0.002, 0.0021, 0.01, 0.05, 0.3, 1, 4, 20, 80]

  @Test func matchesTheGaussianClosedForm() throws {
    var generator = SeededGenerator(seed: 7)
    for (m, s) in gaussians {
      let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: m, std: s) }
      for t in ts {
        for _ in 0..<4 {
          // x_t = x₀ + t·z with x₀ ~ N(m, s²I): where the PF ODE really starts from.
          let x = (0..<m.count).map { m[$0] + (s * s + t * t).squareRoot() * generator.nextGaussian() }
          let fStar = try exactConsistencyFunction(x: x, t: t, denoiser: D)
          let expected = gaussianConsistencyFunction(x: x, t: t, mean: m, std: s)
          expectClose(fStar, expected, abs: 1e-9, rel: 0, "f*, m \(m), s \(s), t \(t), x \(x)")
        }
      }
    }
  }

  @Test func integratesUpwardsToo() throws {
    // From t₀ up to t₁ the transport is the same closed form with ε := t₀ read backwards.
    let (m, s): ([Double], Double) = ([0.2, -0.1], 0.5)
    let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: m, std: s) }
    for (t0, t1) in [(0.002, 80.0), (0.01, 1.0), (1.0, 3.0)] {
      let x: [Double] = [0.9, -0.4]
      let up = try integrateProbabilityFlow(x: x, from: t0, to: t1, denoiser: D).x
      let expected = gaussianConsistencyFunction(x: x, t: t0, mean: m, std: s, sigmaMin: t1)
      expectClose(up, expected, abs: 1e-9, rel: 1e-10, "\(t0) → \(t1)")
    }
  }

  @Test func oneSampleDenoiserIsAStraightLine() throws {
    // D := x₀ (CT's one-sample estimate) makes dx/ds = x − x₀, so x(t) − x₀ ∝ t: from x₀ + t·z
    // the ODE arrives at x₀ + ε·z.
    let x0: [Double] = [0.3, -1.2]
    let z: [Double] = [1.5, 0.25]
    for t in [0.01, 1, 80] {
      let fStar = try exactConsistencyFunction(
        x: addNoise(x: x0, z: z, t: t), t: t, denoiser: { _, _ in x0 })
      expectClose(fStar, addNoise(x: x0, z: z, t: 0.002), abs: 1e-11, rel: 1e-10, "t \(t)")
    }
  }

  @Test func identityAtSigmaMin() throws {
    let x: [Double] = [0.123, -4.5]
    var calls = 0
    let D: Denoiser = { x, _ in
      calls += 1
      return x
    }
    let solution = try integrateProbabilityFlow(x: x, from: 0.002, to: 0.002, denoiser: D)
    #expect(solution.x == x)
    #expect(solution.acceptedSteps == 0 && solution.denoiserEvaluations == 0 && calls == 0)
    #expect(try exactConsistencyFunction(x: x, t: 0.002, denoiser: D) == x)
  }

  @Test func workedNumber() throws {
    let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: [0, 0], std: 0.5) }
    let solution = try integrateProbabilityFlow(x: [1, 0], from: 1, to: 0.002, denoiser: D)
    #expect(matchesWrittenDigits(solution.x[0], "0.44721717"))
    expectClose(solution.x[0], (0.250004 / 1.25).squareRoot(), abs: 1e-10, rel: 0, "f*((1, 0), 1)")
    #expect(abs(solution.x[1]) < 1e-15)
    // 41 accepted steps, one rejected: 6 slopes each, plus k₁ and the starting-step probe.
    #expect(
      solution.acceptedSteps == 41 && solution.rejectedSteps == 1 && solution.denoiserEvaluations == 254)
  }

  @Test func errorShrinksAsTheToleranceTightens() throws {
    let (m, s): ([Double], Double) = ([0.1, 0.4], 0.3)
    let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: m, std: s) }
    let x: [Double] = [30, -55]
    let t = 60.0
    let expected = gaussianConsistencyFunction(x: x, t: t, mean: m, std: s)
    var errors: [Double] = []
    var evaluations: [Int] = []
    for tolerance in [1e-4, 1e-6, 1e-8, 1e-10, 1e-12] {
      let solution = try integrateProbabilityFlow(
        x: x, from: t, to: 0.002, denoiser: D, relativeTolerance: tolerance, absoluteTolerance: tolerance)
      errors.append(zip(solution.x, expected).map { abs($0 - $1) }.max()!)
      evaluations.append(solution.denoiserEvaluations)
    }
    for i in 1..<errors.count {
      #expect(errors[i] < errors[i - 1] || errors[i] < 1e-13, "\(errors)")
      #expect(evaluations[i] > evaluations[i - 1])
    }
    #expect(errors[3] < 1e-9)
  }

  @Test func roundTripReturnsToTheStart() throws {
    let (m, s): ([Double], Double) = ([0.5, 0], 0.2)
    let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: m, std: s) }
    let x: [Double] = [0.61, -0.13]
    for t in [0.05, 2, 80] {
      let up = try integrateProbabilityFlow(x: x, from: 0.002, to: t, denoiser: D).x
      let back = try exactConsistencyFunction(x: up, t: t, denoiser: D)
      expectClose(back, x, abs: 1e-9, rel: 0, "ε → \(t) → ε")
    }
  }

  @Test func trajectoryReportsEveryAcceptedStep() throws {
    let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: [0, 0], std: 0.5) }
    var path: [(Double, [Double])] = []
    let solution = try integrateProbabilityFlow(x: [2, 1], from: 80, to: 0.002, denoiser: D) {
      path.append(($0, $1))
    }
    #expect(path.count == solution.acceptedSteps + 1)
    #expect(path.first!.0 == 80 && path.last!.0 == 0.002)
    #expect(path.last!.1 == solution.x)
    #expect(zip(path, path.dropFirst()).allSatisfy { $0.0 > $1.0 }, "t decreases")
  }

  @Test func batchIsRowByRow() throws {
    let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: [0, 0], std: 0.5) }
    let x: [Double] = [1, 0, -3, 2, 0.5, 0.5]
    let t: [Double] = [1, 80, 0.002]
    let batch = try exactConsistencyFunction(batch: x, t: t, denoiser: D)
    for b in 0..<3 {
      #expect(
        Array(batch[2 * b..<2 * b + 2])
          == (try exactConsistencyFunction(x: Array(x[2 * b..<2 * b + 2]), t: t[b], denoiser: D)))
    }
  }

  @Test func failuresAreReportedNotTrapped() {
    let D: Denoiser = { gaussianDenoiser(x: $0, t: $1, mean: [0, 0], std: 0.5) }
    #expect(throws: ProbabilityFlowIntegrationError.self) {
      try integrateProbabilityFlow(x: [1, 1], from: 80, to: 0.002, denoiser: D, maxSteps: 3)
    }
    let nan: Denoiser = { x, _ in x.map { _ in .nan } }
    do {
      _ = try exactConsistencyFunction(x: [1, 1], t: 1, denoiser: nan)
      Issue.record("a NaN denoiser must throw")
    } catch {
      #expect(error.description.contains("non-finite"))
    }
  }
}
