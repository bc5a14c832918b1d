// The consistency function f_θ over the MLP F_θ, for a batch of noisy points.
//
// Seed pseudocode:
//   skip_scaling(sigmas, sigma_data, sigma_min) * noisy_data
//     + output_scaling(sigmas, sigma_data, sigma_min) * model(noisy_data, sigmas)

import CMCore
import CMTeacher
import CMNetwork

/// f_θ(x, t) = c_skip(t)·x + c_out(t)·F_θ(c_in(t)·x, c_noise(t)) (CM Eq. 5), batched, with the
/// network F_θ an `MLP` that reads [c_in·x₁, …, c_in·x_D, c_noise] and returns D numbers.
///
/// This is `CMCore.consistencyFunction` for a whole batch at once, each row at its own t; it
/// keeps F_θ's workspace so that the backward pass can follow. The scalings are computed in
/// Double, the network runs in `Scalar`.
///
/// Mathematical property: f_θ(x, ε) = x for every θ (c_skip(ε) = 1, c_out(ε) = 0).
public struct ConsistencyModel<Scalar: NetworkScalar>: Sendable, Codable, Equatable {
  /// F_θ: D + 1 inputs, D outputs.
  public let network: MLP<Scalar>
  /// σ_data in c_skip, c_out and c_in.
  public let sigmaData: Double
  /// ε, where the boundary condition holds.
  public let sigmaMin: Double

  /// A consistency model for D-dimensional data over an MLP with the given hidden widths.
  public init(dimension D: Int = 2, hiddenWidths: [Int], sigmaData: Double, sigmaMin: Double) {
    network = MLP(inputDim: D + 1, hiddenWidths: hiddenWidths, outputDim: D)
    self.sigmaData = sigmaData
    self.sigmaMin = sigmaMin
  }

  /// D, the data's dimension.
  public var dimension: Int { network.layout.outputDim }

  /// The buffers of one batched evaluation; keep one per network whose backward pass follows.
  public struct Workspace: Sendable {
    var network: MLP<Scalar>.Workspace
    var input: [Scalar] = []
    var output: [Scalar] = []
    /// c_out(t) of each row, kept for the backward pass.
    var cOut: [Double] = []
    /// c_skip(t) of each row.
    var cSkip: [Double] = []
    /// f_θ of the last evaluation (B × D): the array the evaluation returns, refilled in place.
    var f: [Double] = []
    /// ∂L/∂F of the last backward pass.
    var outputGradient: [Scalar] = []
  }

  /// A workspace for batches of up to `batchSize` rows, its network on `kernelPath` (nil: the
  /// default of `Scalar`, see `MLP.makeWorkspace`).
  public func makeWorkspace(batchSize: Int, kernelPath: KernelPath? = nil) -> Workspace {
    Workspace(network: network.makeWorkspace(batchSize: batchSize, kernelPath: kernelPath))
  }

  /// f_θ(x_b, t_b) for every row b of the row-major batch x (B × D).
  ///
  /// The result is the workspace's own array, refilled in place: no allocation once the
  /// workspace has its sizes, as long as the caller lets go of the previous result before the
  /// next evaluation (else the array is copied, as any shared Swift array is).
  public func callAsFunction(
    parameters theta: [Scalar], x: [Double], t: [Double], workspace: inout Workspace
  ) -> [Double] {
    let D = dimension
    let B = t.count
    precondition(x.count == B * D, "ConsistencyModel: x is not B × D")
    // F_θ's input rows [c_in(t)·x, c_noise(t)].
    resize(&workspace.input, count: B * (D + 1))
    resize(&workspace.cOut, count: B)
    resize(&workspace.cSkip, count: B)
    for b in 0..<B {
      let scalings = BoundaryScalings(t: t[b], sigmaData: sigmaData, sigmaMin: sigmaMin)
      for i in 0..<D { workspace.input[b * (D + 1) + i] = Scalar(scalings.cIn * x[b * D + i]) }
      workspace.input[b * (D + 1) + D] = Scalar(scalings.cNoise)
      workspace.cSkip[b] = scalings.cSkip
      workspace.cOut[b] = scalings.cOut
    }
    network.forward(
      parameters: theta, input: workspace.input, output: &workspace.output,
      workspace: &workspace.network)
    // f = c_skip·x + c_out·F
    resize(&workspace.f, count: B * D)
    for b in 0..<B {
      for i in 0..<D {
        workspace.f[b * D + i] =
          workspace.cSkip[b] * x[b * D + i] + workspace.cOut[b] * Double(workspace.output[b * D + i])
      }
    }
    return workspace.f
  }

  /// f_θ for a batch, with a workspace of its own: for sampling and evaluation.
  public func callAsFunction(parameters theta: [Scalar], x: [Double], t: [Double]) -> [Double] {
    var workspace = makeWorkspace(batchSize: max(t.count, 1))
    return self(parameters: theta, x: x, t: t, workspace: &workspace)
  }

  /// ∂L/∂θ given ∂L/∂f for the last evaluation through `workspace`:
  /// ∂L/∂F_b = c_out(t_b)·∂L/∂f_b (the skip term does not depend on θ), then F_θ's backward pass.
  public func backward(
    parameters theta: [Scalar], outputGradient dLdf: [Double], gradient: inout [Scalar],
    workspace: inout Workspace
  ) {
    let D = dimension
    let B = workspace.cOut.count
    precondition(dLdf.count == B * D, "ConsistencyModel.backward: ∂L/∂f is not B × D")
    resize(&workspace.outputGradient, count: B * D)
    for b in 0..<B {
      for i in 0..<D { workspace.outputGradient[b * D + i] = Scalar(workspace.cOut[b] * dLdf[b * D + i]) }
    }
    network.backward(
      parameters: theta, outputGradient: workspace.outputGradient, gradient: &gradient,
      workspace: &workspace.network)
  }
}
