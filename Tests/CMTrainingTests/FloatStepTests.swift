// The Float training step (the network on the CMKernels path this CPU runs fastest) against the
// Double golden fixtures, and against the Float reference path (OpenBLAS + Swift loops).
//
// Tolerance, Float against Double: the loss and every entry of ∇_θ L within 1e-4 relative to the
// largest |∂L/∂θ| (Float carries 24 bits; sums over 128 products and the c_out·F scaling lose a
// few). The golden Double tests keep their 1e-12.
import CMCore
import CMNetwork
import Testing
import _TestSupport

@testable import CMTraining

@Suite struct FloatStepTests {
  @Test(arguments: ["squared_l2", "pseudo_huber"])
  func floatCTStepMatchesTheDoubleFixture(metric: String) throws {
    let fixture = try Fixture("ct_step")
    let inputs = try fixture.document("inputs")
    let c = try #require(try fixture.cases.first { try $0("metric").string == metric })
    var state = TrainingState<Float>(config: try ctFixtureConfig(inputs, case: c))
    state.theta = try inputs("theta").doubles.map { Float($0) }
    state.thetaMinus = try inputs("theta_minus").doubles.map { Float($0) }
    state.k = try inputs("k").int
    var buffers = state.makeBuffers()
    #expect(buffers.online.network.kernelPath == Kernels.active)
    let x = try flat(inputs("x"))
    let record = state.ctStep(data: x, buffers: &buffers)
    let expected = try c("grad_theta").doubles
    let scale = expected.map(abs).max()!
    let worst = zip(buffers.gradient, expected).map { abs(Double($0) - $1) }.max()!
    #expect(worst <= 1e-4 * scale, "∇_θ L, \(metric): worst \(worst), scale \(scale)")
    let loss = try c("loss").double
    #expect(abs(record.loss - loss) <= 1e-4 * abs(loss), "loss \(record.loss) against \(loss)")
  }

  /// Every kernel path this CPU runs against the Float reference path, over 20 whole CT steps of
  /// the default configuration at a small batch: θ stays within 1e-4·max|θ| (Adam's steps have
  /// size η = 5e-4, so a path that computed a wrong gradient would be far off).
  @Test(arguments: KernelPath.allCases.filter { $0 != .reference && $0.isAvailable })
  func kernelPathTrainsLikeTheReferencePath(path: KernelPath) {
    var config = TrainingConfig()
    config.batchSize = 32
    config.totalSteps = 100
    func run(_ path: KernelPath) -> [Float] {
      var state = TrainingState<Float>(config: config)
      var buffers = state.makeBuffers()
      buffers.online = state.model.makeWorkspace(batchSize: config.batchSize, kernelPath: path)
      buffers.target = state.model.makeWorkspace(batchSize: config.batchSize, kernelPath: path)
      var generator = SeededGenerator(seed: 11)
      for _ in 0..<20 {
        let x = config.dataset.sample(count: config.batchSize, using: &generator)
        _ = state.ctStep(data: x, buffers: &buffers)
      }
      return state.theta
    }
    let reference = run(.reference)
    let fast = run(path)
    let scale = reference.map { abs(Double($0)) }.max()!
    let worst = zip(fast, reference).map { abs(Double($0) - Double($1)) }.max()!
    #expect(worst <= 1e-4 * scale, "\(path.rawValue): worst \(worst), scale \(scale)")
  }
}
