// Tests of EDMSampler.swift: EDM Algorithm 1 (deterministic Heun) on exact Gaussian denoisers.
import CMCore
import Foundation
import Testing
import _TestSupport

@testable import CMTeacher

/// The exact denoiser of N(m, s²I), batched: one t per row.
private func exactDenoiser(mean m: [Double], std s: Double) -> ([Double], [Double]) -> [Double] {
  { x, t in
    let D = m.count
    return (0..<t.count).flatMap { b in
      gaussianDenoiser(x: Array(x[(b * D)..<(b * D + D)]), t: t[b], mean: m, std: s)
    }
  }
}

/// Mean and standard deviation of coordinate j of a row-major count × D batch.
private func moments(_ x: [Double], D: Int, j: Int) -> (mean: Double, std: Double) {
  let values = stride(from: j, to: x.count, by: D).map { x[$0] }
  let mean = values.reduce(0, +) / Double(values.count)
  let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
  return (mean, variance.squareRoot())
}

@Suite struct EDMSamplerTests {
  @Test("time steps: worked number, t₀ = T exactly, t_N = 0, the Karras grid reversed")
  func timeSteps() {
    let t = edmTimeSteps(count: 3)
    #expect(t.count == 4)
    #expect(t[0] == 80 && t[3] == 0)
    // "N = 3, ε = 0.002, T = 80, ρ = 7 gives [80, 2.5152189761…, 0.002…, 0]"
    #expect(matchesWrittenDigits(t[1], "2.5152189761"))
    #expect(isClose(t[2], 0.002, abs: 0, rel: 1e-12))
    let grid = edmTimeSteps(count: 18)
    expectClose(
      Array(grid.dropLast()), karrasSigmas(count: 18).reversed(), abs: 0, rel: 1e-12, "vs karrasSigmas")
    #expect(zip(grid, grid.dropFirst()).allSatisfy { $0 > $1 }, "strictly decreasing")
    #expect(edmTimeSteps(count: 1) == [80, 0])
  }

  @Test("18-step Heun with the exact denoiser of a Gaussian gives about its mean and std")
  func gaussianMoments() {
    let m = [0.3, -0.2]
    let s = 0.5
    var generator = SeededGenerator(seed: 1)
    let x = edmHeunSample(count: 4000, generator: &generator, denoiser: exactDenoiser(mean: m, std: s))
    for j in 0..<2 {
      let (mean, std) = moments(x, D: 2, j: j)
      // Standard error of the mean 0.5/√4000 ≈ 0.008; 18 Heun steps overshoot the scale by
      // about 5 % (the NumPy transcription gives std 0.538 / 0.517 for 1000 points).
      #expect(abs(mean - m[j]) < 0.04, "mean of coordinate \(j): \(mean)")
      #expect(abs(std - s) < 0.06, "std of coordinate \(j): \(std)")
    }
  }

  @Test("second order: with an exact denoiser the error shrinks about 4× as N doubles")
  func secondOrderConvergence() {
    let m = [0.3, -0.2]
    let s = 0.5
    let count = 200
    var z = SeededGenerator(seed: 2)
    let x0 = z.gaussians(count: 2 * count).map { 80 * $0 }
    // The exact probability-flow ODE solution from (x₀, T) down to 0.
    let exact = (0..<x0.count).map { i in m[i % 2] + (x0[i] - m[i % 2]) * s / (s * s + 6400).squareRoot() }
    var errors: [Double] = []
    for N in [18, 36, 72] {
      var generator = SeededGenerator(seed: 2)
      let x = edmHeunSample(
        count: count, steps: N, generator: &generator, denoiser: exactDenoiser(mean: m, std: s))
      errors.append(zip(x, exact).map { abs($0 - $1) }.max()!)
    }
    #expect(errors[0] < 0.15, "errors \(errors)")
    #expect(errors[0] / errors[1] > 3, "errors \(errors)")
    #expect(errors[1] / errors[2] > 3, "errors \(errors)")
  }

  @Test("2N − 1 denoiser calls; the last step is Euler to t_N = 0, which returns D(x, t_{N−1})")
  func lastStepIsEuler() {
    var calls = 0
    var lastDenoised: [Double] = []
    var times: [Double] = []
    let denoiser = exactDenoiser(mean: [1, 1], std: 0.3)
    var generator = SeededGenerator(seed: 3)
    let x = edmHeunSample(
      count: 5, steps: 6, generator: &generator,
      trace: { name, value in
        if name == .denoised { lastDenoised = value }
        if name == .tCur { times += value }
      },
      denoiser: { x, t in
        calls += 1
        return denoiser(x, t)
      })
    #expect(calls == 2 * 6 - 1)
    #expect(times == Array(edmTimeSteps(count: 6).dropLast()))
    #expect(x == lastDenoised)
  }

  @Test("a teacher with F_φ ≡ 0 is the exact denoiser of N(0, σ_data²I), and samples it")
  func zeroTeacherSamplesGaussian() {
    let model = DiffusionModel<Float>(dimension: 2, hiddenWidths: [8], sigmaData: 0.5)
    let teacher = EDMTeacher(
      model: model, parameters: [Float](repeating: 0, count: model.network.parameterCount))
    var generator = SeededGenerator(seed: 4)
    var replay = generator
    let x = teacher.sample(count: 2000, generator: &generator)
    let y = edmHeunSample(count: 2000, generator: &replay, denoiser: exactDenoiser(mean: [0, 0], std: 0.5))
    expectClose(x, y, abs: 1e-9, rel: 1e-9, "teacher vs exact")
    for j in 0..<2 {
      let (mean, std) = moments(x, D: 2, j: j)
      #expect(abs(mean) < 0.04 && abs(std - 0.5) < 0.06, "coordinate \(j): mean \(mean), std \(std)")
    }
  }
}
