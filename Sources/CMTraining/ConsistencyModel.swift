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
  }

  /// A workspace for batches of up to `batchSize` rows.
  public func makeWorkspace(batchSize: Int) -> Workspace {
    Workspace(network: network.makeWorkspace(batchSize: batchSize))
  }

  /// f_θ(x_b, t_b) for every row b of the row-major batch x (B × D).
  public func callAsFunction(
    parameters theta: [Scalar], x: [Double], t: [Double], workspace: inout Workspace
  ) -> [Double] {
    let D = dimension
    let B = t.count
    precondition(x.count == B * D, "ConsistencyModel: x is not B × D")
    // F_θ's input rows [c_in(t)·x, c_noise(t)].
    if workspace.input.count != B * (D + 1) {
      workspace.input = [Scalar](repeating: 0, count: B * (D + 1))
    }
    if workspace.cOut.count != B { workspace.cOut = [Double](repeating: 0, count: B) }
    var cSkipRows = [Double](repeating: 0, count: B)
    for b in 0..<B {
      let scalings = BoundaryScalings(t: t[b], sigmaData: sigmaData, sigmaMin: sigmaMin)
      for i in 0..<D { workspace.input[b * (D + 1) + i] = Scalar(scalings.cIn * x[b * D + i]) }
      workspace.input[b * (D + 1) + D] = Scalar(scalings.cNoise)
      cSkipRows[b] = scalings.cSkip
      workspace.cOut[b] = scalings.cOut
    }
    network.forward(
      parameters: theta, input: workspace.input, output: &workspace.output,
      workspace: &workspace.network)
    // f = c_skip·x + c_out·F
    var f = [Double](repeating: 0, count: B * D)
    for b in 0..<B {
      for i in 0..<D {
        f[b * D + i] = cSkipRows[b] * x[b * D + i] + workspace.cOut[b] * Double(workspace.output[b * D + i])
      }
    }
    return f
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
    var dLdF = [Scalar](repeating: 0, count: B * D)
    for b in 0..<B {
      for i in 0..<D { dLdF[b * D + i] = Scalar(workspace.cOut[b] * dLdf[b * D + i]) }
    }
    network.backward(
      parameters: theta, outputGradient: dLdF, gradient: &gradient, workspace: &workspace.network)
  }
}
