import CMCore
import Foundation
import Testing

@testable import CMNetwork

/// An independent forward pass written with plain loops from the formula
/// h_l = s(h_{l−1} W_lᵀ + b_l), Y = h_{L−1} W_Lᵀ + b_L (no BLAS, no workspace).
func referenceForward(layout: ParameterLayout, theta: [Double], x: [Double]) -> [Double] {
  let rows = x.count / layout.inputDim
  var h = x
  for l in 0..<layout.layerCount {
    let (dIn, dOut) = (layout.fanIn(layer: l), layout.fanOut(layer: l))
    let (w, b) = (layout.weightOffset(layer: l), layout.biasOffset(layer: l))
    var next = [Double](repeating: 0, count: rows * dOut)
    for r in 0..<rows {
      for i in 0..<dOut {
        var z = theta[b + i]
        for j in 0..<dIn { z += h[r * dIn + j] * theta[w + i * dIn + j] }
        next[r * dOut + i] = l == layout.layerCount - 1 ? z : z / (1 + exp(-z))
      }
    }
    h = next
  }
  return h
}

func gaussians(_ count: Int, seed: UInt64) -> [Double] {
  var generator = SeededGenerator(seed: seed)
  return generator.gaussians(count: count)
}

@Suite struct MLPTests {
  // MARK: forward

  @Test func workedNumber() {
    let mlp = MLP<Double>(inputDim: 1, hiddenWidths: [1], outputDim: 1)
    let y = mlp.forward(parameters: [1, 0, 2, 0.5], input: [1])
    #expect(y.count == 1)
    #expect(abs(y[0] - 1.9621171572600098) < 1e-15)
  }

  @Test func forwardOfATinyNetworkByHand() {
    // d = [2, 2, 1]: W₁ = [[1, −1], [0.5, 2]], b₁ = (0, −1), W₂ = [[3, −2]], b₂ = 0.25.
    let mlp = MLP<Double>(inputDim: 2, hiddenWidths: [2], outputDim: 1)
    let theta: [Double] = [1, -1, 0.5, 2, 0, -1, 3, -2, 0.25]
    let x: [Double] = [1, 2, -1, 0.5]  // two rows
    let y = mlp.forward(parameters: theta, input: x)
    func s(_ z: Double) -> Double { z / (1 + exp(-z)) }
    // row 1: z = (1 − 2, 0.5 + 4 − 1) = (−1, 3.5);  row 2: z = (−1.5, −0.5 + 1 − 1) = (−1.5, −0.5)
    let expected = [3 * s(-1) - 2 * s(3.5) + 0.25, 3 * s(-1.5) - 2 * s(-0.5) + 0.25]
    #expect(abs(y[0] - expected[0]) < 1e-14)
    #expect(abs(y[1] - expected[1]) < 1e-14)
  }

  @Test func forwardMatchesPlainLoops() {
    let mlp = MLP<Double>(inputDim: 3, hiddenWidths: [7, 5, 6], outputDim: 2)
    let theta = mlp.initialParameters(seed: 11)
    let x = gaussians(4 * 3, seed: 12)
    let y = mlp.forward(parameters: theta, input: x)
    let reference = referenceForward(layout: mlp.layout, theta: theta, x: x)
    for i in y.indices { #expect(abs(y[i] - reference[i]) < 1e-14) }
  }

  @Test func workspaceIsReusedAcrossBatchSizesAndParameters() {
    let mlp = MLP<Double>(inputDim: 3, hiddenWidths: [5, 4], outputDim: 2)
    let theta = mlp.initialParameters(seed: 1)
    let thetaMinus = mlp.initialParameters(seed: 2)
    let x5 = gaussians(5 * 3, seed: 3)
    let x3 = gaussians(3 * 3, seed: 4)
    var workspace = mlp.makeWorkspace(batchSize: 4)
    var y: [Double] = []
    mlp.forward(parameters: theta, input: x3, output: &y, workspace: &workspace)
    #expect(y == mlp.forward(parameters: theta, input: x3))
    mlp.forward(parameters: thetaMinus, input: x5, output: &y, workspace: &workspace)  // grows
    #expect(workspace.capacity == 5 && workspace.batchSize == 5)
    #expect(y == mlp.forward(parameters: thetaMinus, input: x5))
    mlp.forward(parameters: theta, input: x3, output: &y, workspace: &workspace)
    #expect(workspace.capacity == 5 && workspace.batchSize == 3)
    #expect(y == mlp.forward(parameters: theta, input: x3))
  }

  @Test func repeatedCallsGiveTheSameBits() {
    let mlp = MLP<Float>()
    let theta = mlp.initialParameters(seed: 5)
    let x = gaussians(64 * 3, seed: 6).map { Float($0) }
    #expect(mlp.forward(parameters: theta, input: x) == mlp.forward(parameters: theta, input: x))
  }

  @Test func floatAndDoubleAgree() {
    let mlpDouble = MLP<Double>()
    let mlpFloat = MLP<Float>()
    let theta = mlpDouble.initialParameters(seed: 7)
    let x = gaussians(32 * 3, seed: 8)
    let yDouble = mlpDouble.forward(parameters: theta, input: x)
    let yFloat = mlpFloat.forward(parameters: theta.map { Float($0) }, input: x.map { Float($0) })
    for i in yDouble.indices { #expect(abs(Double(yFloat[i]) - yDouble[i]) < 1e-5) }

    // The gradients agree too, relative to their size.
    let dY = gaussians(32 * 2, seed: 9)
    var workspaceDouble = mlpDouble.makeWorkspace(batchSize: 32)
    var workspaceFloat = mlpFloat.makeWorkspace(batchSize: 32)
    var y: [Double] = []
    var yF: [Float] = []
    var g: [Double] = []
    var gF: [Float] = []
    mlpDouble.forward(parameters: theta, input: x, output: &y, workspace: &workspaceDouble)
    mlpDouble.backward(parameters: theta, outputGradient: dY, gradient: &g, workspace: &workspaceDouble)
    mlpFloat.forward(
      parameters: theta.map { Float($0) }, input: x.map { Float($0) }, output: &yF,
      workspace: &workspaceFloat)
    mlpFloat.backward(
      parameters: theta.map { Float($0) }, outputGradient: dY.map { Float($0) }, gradient: &gF,
      workspace: &workspaceFloat)
    let scale = g.map(abs).max()!
    for i in g.indices { #expect(abs(Double(gF[i]) - g[i]) < 1e-5 * scale) }
  }

  // MARK: initialisation

  @Test func initialisationIsReproducibleAndFollowsTheDocumentedScheme() {
    let mlp = MLP<Double>(inputDim: 3, hiddenWidths: [5, 4], outputDim: 2)
    let theta = mlp.initialParameters(seed: 42)
    #expect(theta.count == mlp.parameterCount)
    #expect(theta == mlp.initialParameters(seed: 42))
    #expect(theta != mlp.initialParameters(seed: 43))
    // Entry by entry: bound_l·(2U − 1), bound_l = 1/√d_{l−1}, in the order of θ.
    var generator = SeededGenerator(seed: 42)
    for l in 0..<mlp.layout.layerCount {
      let bound = 1 / Double(mlp.layout.fanIn(layer: l)).squareRoot()
      for i in mlp.layout.weightRange(layer: l).lowerBound..<mlp.layout.biasRange(layer: l).upperBound {
        #expect(theta[i] == bound * (2 * generator.nextUniform() - 1))
        #expect(abs(theta[i]) <= bound)
      }
    }
  }

  @Test func floatInitialisationIsTheRoundedDoubleOne() {
    let theta = MLP<Double>().initialParameters(seed: 3)
    let thetaFloat = MLP<Float>().initialParameters(seed: 3)
    #expect(thetaFloat == theta.map { Float($0) })
  }

  @Test func lastLayerScaleScalesOnlyTheLastLayer() {
    let mlp = MLP<Double>(inputDim: 3, hiddenWidths: [5, 4], outputDim: 2)
    let theta = mlp.initialParameters(seed: 1)
    let scaled = mlp.initialParameters(seed: 1, lastLayerScale: 0.5)
    let last = mlp.layout.weightOffset(layer: 2)
    #expect(Array(scaled[..<last]) == Array(theta[..<last]))
    for i in last..<theta.count { #expect(scaled[i] == 0.5 * theta[i]) }
  }

  // MARK: backward

  /// ∂L/∂θ and ∂L/∂X for L = Σ c ⊙ Y against central differences, for every parameter.
  @Test func gradientMatchesCentralDifferences() {
    let mlp = MLP<Double>(inputDim: 3, hiddenWidths: [5, 4], outputDim: 2)
    let theta = mlp.initialParameters(seed: 21)
    let x = gaussians(3 * 3, seed: 22)
    let c = gaussians(3 * 2, seed: 23)  // L = Σ c·Y, so ∂L/∂Y = c
    func loss(_ theta: [Double], _ x: [Double]) -> Double {
      zip(mlp.forward(parameters: theta, input: x), c).reduce(0) { $0 + $1.0 * $1.1 }
    }
    var workspace = mlp.makeWorkspace(batchSize: 3)
    var y: [Double] = []
    var gradient: [Double] = []
    var dX: [Double] = []
    mlp.forward(parameters: theta, input: x, output: &y, workspace: &workspace)
    mlp.backward(
      parameters: theta, outputGradient: c, gradient: &gradient, inputGradient: &dX,
      workspace: &workspace)
    #expect(gradient.count == theta.count)
    #expect(dX.count == x.count)

    let h = 1e-6
    for i in theta.indices {
      var plus = theta
      var minus = theta
      plus[i] += h
      minus[i] -= h
      let numeric = (loss(plus, x) - loss(minus, x)) / (2 * h)
      #expect(abs(gradient[i] - numeric) < 1e-8, "∂L/∂θ[\(i)]")
    }
    for i in x.indices {
      var plus = x
      var minus = x
      plus[i] += h
      minus[i] -= h
      let numeric = (loss(theta, plus) - loss(theta, minus)) / (2 * h)
      #expect(abs(dX[i] - numeric) < 1e-8, "∂L/∂X[\(i)]")
    }
  }

  @Test func gradientOverwritesAndDoesNotDependOnAskingForDX() {
    let mlp = MLP<Double>(inputDim: 3, hiddenWidths: [5, 4], outputDim: 2)
    let theta = mlp.initialParameters(seed: 31)
    let x = gaussians(4 * 3, seed: 32)
    let dY = gaussians(4 * 2, seed: 33)
    var workspace = mlp.makeWorkspace(batchSize: 4)
    var y: [Double] = []
    var withDX = [Double](repeating: 123, count: theta.count)
    var withoutDX = [Double](repeating: -7, count: theta.count)
    var dX: [Double] = []
    mlp.forward(parameters: theta, input: x, output: &y, workspace: &workspace)
    mlp.backward(
      parameters: theta, outputGradient: dY, gradient: &withDX, inputGradient: &dX,
      workspace: &workspace)
    mlp.backward(parameters: theta, outputGradient: dY, gradient: &withoutDX, workspace: &workspace)
    #expect(withDX == withoutDX)
  }

  @Test func noHiddenLayerGradientIsTheLinearRule() {
    // Y = X Wᵀ + b: ∂L/∂W = (∂L/∂Y)ᵀ X, ∂L/∂b = Σ_rows ∂L/∂Y.
    let mlp = MLP<Double>(inputDim: 2, hiddenWidths: [], outputDim: 1)
    let theta: [Double] = [2, -1, 0.5]
    let x: [Double] = [1, 2, 3, 4]
    var workspace = mlp.makeWorkspace(batchSize: 2)
    var y: [Double] = []
    var gradient: [Double] = []
    mlp.forward(parameters: theta, input: x, output: &y, workspace: &workspace)
    #expect(y == [0.5, 2.5])
    mlp.backward(parameters: theta, outputGradient: [1, 10], gradient: &gradient, workspace: &workspace)
    #expect(gradient == [31, 42, 11])
  }
}
