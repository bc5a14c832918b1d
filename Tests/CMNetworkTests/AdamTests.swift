import CMCore
import CMKernels
import Foundation
import Testing

@testable import CMNetwork

@Suite struct AdamTests {
  /// Bias correction: the first step is α·g/(|g| + ε) ≈ α·sign(g), whatever the scale of g.
  @Test func firstStepIsLearningRateTimesSignOfGradient() {
    let g: [Double] = [3, -0.02, 1e-3, -500, 0]
    var theta: [Double] = [1, 1, 1, 1, 1]
    var adam = Adam<Double>(parameterCount: g.count, learningRate: 0.01)
    adam.update(parameters: &theta, gradient: g)
    for i in g.indices {
      let expected = 1 - 0.01 * g[i] / (abs(g[i]) + 1e-8)
      #expect(abs(theta[i] - expected) < 1e-15)
      let signStep = g[i] == 0 ? 0 : 0.01 * (g[i] > 0 ? 1 : -1)
      #expect(abs(theta[i] - (1 - signStep)) < 1e-7)
    }
    #expect(adam.t == 1)
  }

  @Test func workedNumber() {
    var theta: [Double] = [1]
    var adam = Adam<Double>(parameterCount: 1, learningRate: 0.1)
    adam.update(parameters: &theta, gradient: [2])
    #expect(abs(theta[0] - 0.9000000005) < 1e-15)
    adam.update(parameters: &theta, gradient: [-1])
    #expect(abs(adam.m[0] - 0.08) < 1e-16)
    #expect(abs(adam.v[0] - 0.004996) < 1e-16)
    #expect(abs(theta[0] - 0.8733662967024315) < 1e-14)
    #expect(adam.t == 2)
  }

  @Test func floatStepMatchesDouble() {
    var theta: [Float] = [1]
    var adam = Adam<Float>(parameterCount: 1, learningRate: 0.1)
    adam.update(parameters: &theta, gradient: [2])
    adam.update(parameters: &theta, gradient: [-1])
    #expect(abs(Double(theta[0]) - 0.8733662967024315) < 1e-6)
  }

  @Test func checkpointRoundTripResumesExactly() throws {
    var theta: [Double] = [0.3, -0.2, 0.1]
    var adam = Adam<Double>(parameterCount: 3, learningRate: 0.05)
    adam.update(parameters: &theta, gradient: [1, 2, -3])
    var restored = try JSONDecoder().decode(
      Adam<Double>.self, from: try JSONEncoder().encode(adam))
    #expect(restored == adam)
    var thetaCopy = theta
    adam.update(parameters: &theta, gradient: [0.5, -1, 2])
    restored.update(parameters: &thetaCopy, gradient: [0.5, -1, 2])
    #expect(theta == thetaCopy)
  }
}

/// Adam<Float> runs `cmk_adam_step` on a kernel path: every path must give the Swift loop's bits,
/// for a count that leaves a tail on every vector width and for awkward values: zeros, a NaN
/// gradient, a NaN, negative or infinite second moment with a finite gradient (where the clamp
/// of v̂ decides the result), huge and tiny values. Where both results are NaN only that is
/// compared: a NaN's sign and payload depend on the order the compiler picks for its operands.
@Suite struct AdamKernelTests {
  @Test(arguments: KernelPath.allCases.filter { $0 != .reference && $0.isAvailable })
  func kernelStepGivesTheSwiftLoopsBits(path: KernelPath) throws {
    let count = 16 * 5 + 13
    var generator = SeededGenerator(seed: 41)
    func uniform(_ range: ClosedRange<Float>) -> Float {
      range.lowerBound + Float(generator.nextUniform()) * (range.upperBound - range.lowerBound)
    }
    var theta = (0..<count).map { _ in uniform(-2...2) }
    var g = (0..<count).map { _ in uniform(-3...3) }
    var m = (0..<count).map { _ in uniform(-1...1) }
    var v = (0..<count).map { _ in uniform(0...1) }
    g[0] = 0
    m[0] = 0
    v[0] = 0
    g[1] = .nan
    g[2] = 1e30
    v[3] = 1e-38
    v[4] = .nan
    v[5] = -1
    v[6] = .infinity
    v[17] = -1e-30
    g[count - 1] = -0.0
    let (b1, b2, c1, c2, alpha, eps): (Float, Float, Float, Float, Float, Float) = (
      0.9, 0.999, 1 / (1 - 0.9 * 0.9), 1 / (1 - 0.999 * 0.999), 5e-4, 1e-8
    )
    var (thetaS, mS, vS) = (theta, m, v)
    adamStep(
      theta: &thetaS, g: g, m: &mS, v: &vS, count: count, b1: b1, b2: b2, c1: c1, c2: c2,
      alpha: alpha, eps: eps)
    cmk_adam_step(
      try #require(path.kernelNumber), count, &theta, g, &m, &v, b1, b2, c1, c2, alpha, eps)
    func same(_ a: [Float], _ b: [Float]) -> Bool {
      zip(a, b).allSatisfy { $0.isNaN && $1.isNaN || $0.bitPattern == $1.bitPattern }
    }
    #expect(same(theta, thetaS))
    #expect(same(m, mS))
    #expect(same(v, vS))
    // The values that test the clamp give finite θ: the comparison above is not NaN against NaN.
    #expect(thetaS[4].isFinite && thetaS[5].isFinite && thetaS[17].isFinite)
  }
}
