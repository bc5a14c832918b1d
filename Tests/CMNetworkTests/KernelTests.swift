// The CMKernels paths against the reference path (OpenBLAS + Swift loops) and against Double:
// every path this CPU runs is tested, so the portable path is covered on an AVX-512 machine too.
import CMCore
import Testing

@testable import CMNetwork

/// Forward output, ∂L/∂θ and ∂L/∂X of one pass through `workspace`.
private func pass<Scalar: NetworkScalar>(
  _ mlp: MLP<Scalar>, theta: [Scalar], x: [Scalar], dY: [Scalar], workspace: inout MLP<Scalar>.Workspace
) -> (y: [Scalar], g: [Scalar], dX: [Scalar]) {
  var y: [Scalar] = []
  var g: [Scalar] = []
  var dX: [Scalar] = []
  mlp.forward(parameters: theta, input: x, output: &y, workspace: &workspace)
  mlp.backward(parameters: theta, outputGradient: dY, gradient: &g, inputGradient: &dX, workspace: &workspace)
  return (y, g, dX)
}

/// max |a − b| / max(1, max |b|): the error relative to the size of the reference values.
private func relativeError(_ a: [Float], _ b: [Double]) -> Double {
  precondition(a.count == b.count)
  let scale = max(1, b.map(abs).max() ?? 0)
  return zip(a, b).map { abs(Double($0) - $1) }.max()! / scale
}

/// Networks of the consistency model's shape and of awkward shapes (widths and batches that are
/// no multiple of any tile, layers of width 1 to 4 that take the narrow kernels, and whole-block
/// layers that are not square, with a batch below a tile's rows: the in-register transpose of
/// Wᵀ and the in-place read of W on every vector width).
private let shapes: [(inputDim: Int, hidden: [Int], outputDim: Int, batch: Int)] = [
  (3, [128, 128, 128], 2, 256),
  (3, [64, 96, 32], 2, 5),
  (3, [37, 19, 70], 2, 13),
  (5, [3, 33], 4, 7),
  (1, [1], 1, 1),
]

@Suite struct KernelTests {
  @Test func everyAvailablePathIsListedAndTheActiveOneIsAmongThem() {
    #expect(Kernels.available.first == .reference)
    #expect(Kernels.available.contains(.portable))
    #expect(Kernels.available.contains(Kernels.active))
    #expect(Kernels.reason.hasPrefix(Kernels.active.rawValue + ":"))
    // Double always runs the reference path, whatever is asked for.
    #expect(MLP<Double>().makeWorkspace(batchSize: 1, kernelPath: .portable).kernelPath == .reference)
    #expect(MLP<Float>().makeWorkspace(batchSize: 1, kernelPath: .portable).kernelPath == .portable)
  }

  @Test func theEnvironmentVariableSelectsAPathAndBadValuesAreNamed() {
    #expect(Kernels.choose(requested: "reference").path == .reference)
    #expect(Kernels.choose(requested: "portable") == (.portable, "portable: CM_KERNELS=portable"))
    let best = Kernels.choose(requested: nil).path
    #expect(best != .reference && best.isAvailable)
    let bad = Kernels.choose(requested: "sse9")
    #expect(bad.path == best)
    #expect(bad.reason.contains("CM_KERNELS=sse9 is not one of reference, portable, avx2, avx512f"))
    if !KernelPath.avx512f.isAvailable {
      #expect(Kernels.choose(requested: "avx512f").path == best)
    }
  }

  /// Tolerance: each kernel path agrees with Double within 2e-5 relative to the largest value, the
  /// same bound the Float reference path meets (Float's rounding over sums of 128 products).
  @Test(arguments: KernelPath.allCases.filter(\.isAvailable))
  func pathAgreesWithDoubleAndWithTheFloatReference(path: KernelPath) {
    for shape in shapes {
      let mlpDouble = MLP<Double>(
        inputDim: shape.inputDim, hiddenWidths: shape.hidden, outputDim: shape.outputDim)
      let mlpFloat = MLP<Float>(
        inputDim: shape.inputDim, hiddenWidths: shape.hidden, outputDim: shape.outputDim)
      let theta = mlpDouble.initialParameters(seed: 21)
      let x = gaussians(shape.batch * shape.inputDim, seed: 22)
      let dY = gaussians(shape.batch * shape.outputDim, seed: 23)
      var workspaceDouble = mlpDouble.makeWorkspace(batchSize: shape.batch)
      let exact = pass(mlpDouble, theta: theta, x: x, dY: dY, workspace: &workspaceDouble)
      var workspaceFloat = mlpFloat.makeWorkspace(batchSize: shape.batch, kernelPath: path)
      #expect(workspaceFloat.kernelPath == path)
      let fast = pass(
        mlpFloat, theta: theta.map { Float($0) }, x: x.map { Float($0) }, dY: dY.map { Float($0) },
        workspace: &workspaceFloat)
      let label = "\(path.rawValue), \(shape)"
      #expect(relativeError(fast.y, exact.y) < 2e-5, "F_θ(X), \(label)")
      #expect(relativeError(fast.g, exact.g) < 2e-5, "∂L/∂θ, \(label)")
      #expect(relativeError(fast.dX, exact.dX) < 2e-5, "∂L/∂X, \(label)")
      // A second pass through the same workspace (packed weights, scratch reused) gives the same bits.
      let again = pass(
        mlpFloat, theta: theta.map { Float($0) }, x: x.map { Float($0) }, dY: dY.map { Float($0) },
        workspace: &workspaceFloat)
      #expect(again.y == fast.y && again.g == fast.g && again.dX == fast.dX, "repeatable, \(label)")
    }
  }

  @Test(arguments: KernelPath.allCases.filter { $0 != .reference && $0.isAvailable })
  func kernelPathAgreesWithTheReferencePathInFloat(path: KernelPath) {
    let mlp = MLP<Float>()
    let theta = mlp.initialParameters(seed: 31)
    let x = gaussians(256 * 3, seed: 32).map { Float($0) }
    let dY = gaussians(256 * 2, seed: 33).map { Float($0) }
    var referenceWorkspace = mlp.makeWorkspace(batchSize: 256, kernelPath: .reference)
    var fastWorkspace = mlp.makeWorkspace(batchSize: 256, kernelPath: path)
    let reference = pass(mlp, theta: theta, x: x, dY: dY, workspace: &referenceWorkspace)
    let fast = pass(mlp, theta: theta, x: x, dY: dY, workspace: &fastWorkspace)
    #expect(relativeError(fast.y, reference.y.map(Double.init)) < 2e-5)
    #expect(relativeError(fast.g, reference.g.map(Double.init)) < 2e-5)
    #expect(relativeError(fast.dX, reference.dX.map(Double.init)) < 2e-5)
  }
}
