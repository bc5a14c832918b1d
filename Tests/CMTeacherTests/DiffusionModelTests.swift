// Tests of DiffusionModel.swift: D_θ(x, σ) with EDM's scalings, its backward pass, and EDMTeacher.
import CMCore
import Foundation
import Testing
import _TestSupport

@testable import CMTeacher

@Suite struct DiffusionModelTests {
  @Test("worked number: F_θ ≡ 0, σ = 1, x = (1, −2) gives D = (0.2, −0.4)")
  func workedNumber() {
    let model = DiffusionModel<Double>(dimension: 2, hiddenWidths: [4], sigmaData: 0.5)
    let zeros = [Double](repeating: 0, count: model.network.parameterCount)
    let denoised = model(parameters: zeros, x: [1, -2], sigma: [1])
    expectClose(denoised, [0.2, -0.4], abs: 0, rel: 1e-15, "D")
  }

  @Test("each row at its own σ: D = c_skip·x + c_out·F_θ(c_in·x, c_noise), as the MLP computes F")
  func matchesTheFormulaRowByRow() {
    let model = DiffusionModel<Double>(dimension: 2, hiddenWidths: [8, 8], sigmaData: 0.5)
    let theta = model.network.initialParameters(seed: 4)
    let x = [0.3, -1.2, 4.0, 2.5, -0.01, 0.02]
    let sigma = [0.05, 7.0, 0.002]
    let denoised = model(parameters: theta, x: x, sigma: sigma)
    for b in 0..<3 {
      let s = EDMScalings(sigma: sigma[b], sigmaData: 0.5)
      let F = model.network.forward(
        parameters: theta, input: [s.cIn * x[2 * b], s.cIn * x[2 * b + 1], s.cNoise])
      let expected = (0..<2).map { i in s.cSkip * x[2 * b + i] + s.cOut * F[i] }
      expectClose(Array(denoised[(2 * b)..<(2 * b + 2)]), expected, abs: 1e-15, rel: 1e-14, "row \(b)")
    }
  }

  @Test("D_θ(x, σ) → x as σ → 0, for any θ (and it is not exactly x at ε, unlike f_θ)")
  func smallSigmaPassesInputThrough() {
    let model = DiffusionModel<Double>(dimension: 2, hiddenWidths: [8], sigmaData: 0.5)
    let theta = model.network.initialParameters(seed: 1)
    let x = [0.7, -0.4]
    let atTiny = model(parameters: theta, x: x, sigma: [1e-9])
    expectClose(atTiny, x, abs: 1e-8, rel: 0, "D at σ = 1e-9")
    let atEpsilon = model(parameters: theta, x: x, sigma: [0.002])
    #expect(atEpsilon != x)
  }

  @Test("backward: ∂L/∂θ matches central finite differences (Double)")
  func backwardMatchesFiniteDifferences() {
    let model = DiffusionModel<Double>(dimension: 2, hiddenWidths: [6, 5], sigmaData: 0.5)
    let theta = model.network.initialParameters(seed: 9)
    let x = [0.3, -1.2, 4.0, 2.5, -0.05, 0.02]
    let sigma = [0.05, 7.0, 0.4]
    // L = Σ w ⊙ D, so ∂L/∂D = w.
    let w = [0.7, -1.1, 0.25, 2.0, -0.6, 1.3]
    func loss(_ theta: [Double]) -> Double {
      zip(model(parameters: theta, x: x, sigma: sigma), w).reduce(0) { $0 + $1.0 * $1.1 }
    }
    var workspace = model.makeWorkspace(batchSize: 3)
    _ = model(parameters: theta, x: x, sigma: sigma, workspace: &workspace)
    var gradient: [Double] = []
    model.backward(parameters: theta, outputGradient: w, gradient: &gradient, workspace: &workspace)
    #expect(gradient.count == theta.count)
    let h = 1e-6
    var worst = 0.0
    for j in theta.indices {
      var plus = theta
      var minus = theta
      plus[j] += h
      minus[j] -= h
      let numeric = (loss(plus) - loss(minus)) / (2 * h)
      worst = max(worst, abs(numeric - gradient[j]) / max(1, abs(numeric)))
    }
    #expect(worst < 1e-7, "largest relative difference \(worst)")
  }

  @Test("EDMTeacher.denoise is one batched D_φ evaluation, and survives a JSON round trip")
  func teacher() throws {
    let model = DiffusionModel<Float>(dimension: 2, hiddenWidths: [16, 16], sigmaData: 0.5)
    let phi = model.network.initialParameters(seed: 2)
    let teacher = EDMTeacher(model: model, parameters: phi)
    let x = [0.5, 0.5, -3, 1, 0.1, -0.2]
    let t = [0.002, 2.5, 80]
    let batched = teacher.denoise(batch: x, t: t)
    #expect(batched == model(parameters: phi, x: x, sigma: t))
    // Row by row through the `Denoiser` closure: the same numbers (each row's network output
    // does not depend on the other rows).
    for b in 0..<3 {
      let single = teacher.denoiser(Array(x[(2 * b)..<(2 * b + 2)]), t[b])
      expectClose(single, Array(batched[(2 * b)..<(2 * b + 2)]), abs: 1e-6, rel: 1e-6, "row \(b)")
    }
    let decoded = try JSONDecoder().decode(EDMTeacher.self, from: try JSONEncoder().encode(teacher))
    #expect(decoded == teacher)
  }

  @Test("one teacher shared by concurrent tasks gives each the same answer as a serial call")
  func teacherIsSafeToShare() async {
    let model = DiffusionModel<Float>(dimension: 2, hiddenWidths: [32, 32], sigmaData: 0.5)
    let teacher = EDMTeacher(model: model, parameters: model.network.initialParameters(seed: 3))
    var generator = SeededGenerator(seed: 8)
    let batches = (0..<16).map { b in
      (generator.gaussians(count: 2 * (8 + b)), (0..<(8 + b)).map { _ in 0.01 + generator.nextUniform() })
    }
    let serial = batches.map { teacher.denoise(batch: $0.0, t: $0.1) }
    let concurrent = await withTaskGroup(of: (Int, [Double]).self) { group in
      for (i, batch) in batches.enumerated() {
        group.addTask { (i, teacher.denoise(batch: batch.0, t: batch.1)) }
      }
      var results = [[Double]](repeating: [], count: batches.count)
      for await (i, result) in group { results[i] = result }
      return results
    }
    #expect(concurrent == serial)
  }
}
