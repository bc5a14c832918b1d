// The EDM diffusion denoiser D_θ over the MLP F_θ, for a batch of noisy points: the teacher of
// Consistency Distillation, and `ConsistencyModel`'s twin with unshifted scalings.
//
// EDM (training/networks.py, EDMPrecond.forward):
//   F_x = self.model((c_in * x).to(dtype), c_noise.flatten(), ...)
//   D_x = c_skip * x + c_out * F_x.to(torch.float32)

import CMCore
import CMNetwork
import Foundation

/// D_θ(x, σ) = c_skip(σ)·x + c_out(σ)·F_θ(c_in(σ)·x, c_noise(σ)) (EDM Eq. 7 with Table 1's
/// preconditioning), batched, with F_θ an `MLP` that reads [c_in·x₁, …, c_in·x_D, c_noise] and
/// returns D numbers: the same network family as the consistency model's.
///
/// ```
/// D_θ(x, σ) = c_skip(σ)·x + c_out(σ)·F_θ(c_in(σ)·x, c_noise(σ))
/// c_skip(σ) = σ_data² / (σ² + σ_data²),   c_out(σ) = σ·σ_data / √(σ² + σ_data²)
/// ```
///
/// The only difference from `ConsistencyModel` is the scalings: `EDMScalings` instead of
/// `BoundaryScalings` (no ε shift), so D_θ(x, ε) ≠ x in general; a diffusion denoiser estimates
/// E[y | y + n = x] at every σ and needs no boundary condition. The scalings are computed in Double,
/// the network runs in `Scalar`.
///
/// Mathematical property: D_θ(x, σ) → x as σ → 0 for every θ (c_skip → 1, c_out → 0), and with
/// F_θ ≡ 0 it is exactly the ideal denoiser of N(0, σ_data²I), c_skip(σ)·x.
///
/// Worked number: F_θ ≡ 0 (all parameters zero), σ = 1, σ_data = 0.5, x = (1, −2) gives
/// D = (0.2, −0.4).
public struct DiffusionModel<Scalar: NetworkScalar>: Sendable, Codable, Equatable {
  /// F_θ: D + 1 inputs, D outputs.
  public let network: MLP<Scalar>
  /// σ_data in c_skip, c_out and c_in.
  public let sigmaData: Double

  /// A diffusion denoiser for D-dimensional data over an MLP with the given hidden widths.
  public init(dimension D: Int = 2, hiddenWidths: [Int], sigmaData: Double) {
    network = MLP(inputDim: D + 1, hiddenWidths: hiddenWidths, outputDim: D)
    self.sigmaData = sigmaData
  }

  /// D, the data's dimension.
  public var dimension: Int { network.layout.outputDim }

  /// The buffers of one batched evaluation; keep one per evaluation whose backward pass follows.
  public struct Workspace: Sendable {
    var network: MLP<Scalar>.Workspace
    var input: [Scalar] = []
    var output: [Scalar] = []
    /// c_out(σ) of each row, kept for the backward pass.
    var cOut: [Double] = []
    /// ∂L/∂F, the network's output gradient.
    var outputGradient: [Scalar] = []
    /// c_skip(σ) of each row.
    var cSkip: [Double] = []
  }

  /// A workspace for batches of up to `batchSize` rows.
  public func makeWorkspace(batchSize: Int) -> Workspace {
    Workspace(network: network.makeWorkspace(batchSize: batchSize))
  }

  /// D_θ(x_b, σ_b) for every row b of the row-major batch x (B × D).
  public func callAsFunction(
    parameters theta: [Scalar], x: [Double], sigma: [Double], workspace: inout Workspace
  ) -> [Double] {
    var denoised: [Double] = []
    self(parameters: theta, x: x, sigma: sigma, workspace: &workspace, into: &denoised)
    return denoised
  }

  /// D_θ(x_b, σ_b) into `denoised` (resized to B × D): no allocation once the workspace and
  /// `denoised` have their sizes.
  public func callAsFunction(
    parameters theta: [Scalar], x: [Double], sigma: [Double], workspace: inout Workspace,
    into denoised: inout [Double]
  ) {
    let D = dimension
    let B = sigma.count
    precondition(x.count == B * D, "DiffusionModel: x is not B × D")
    // F_θ's input rows [c_in(σ)·x, c_noise(σ)].
    resize(&workspace.input, count: B * (D + 1))
    resize(&workspace.cOut, count: B)
    resize(&workspace.cSkip, count: B)
    for b in 0..<B {
      let scalings = EDMScalings(sigma: sigma[b], sigmaData: sigmaData)
      for i in 0..<D { workspace.input[b * (D + 1) + i] = Scalar(scalings.cIn * x[b * D + i]) }
      workspace.input[b * (D + 1) + D] = Scalar(scalings.cNoise)
      workspace.cSkip[b] = scalings.cSkip
      workspace.cOut[b] = scalings.cOut
    }
    network.forward(
      parameters: theta, input: workspace.input, output: &workspace.output,
      workspace: &workspace.network)
    // D_x = c_skip * x + c_out * F_x
    resize(&denoised, count: B * D)
    for b in 0..<B {
      for i in 0..<D {
        denoised[b * D + i] =
          workspace.cSkip[b] * x[b * D + i] + workspace.cOut[b] * Double(workspace.output[b * D + i])
      }
    }
  }

  /// D_θ for a batch, with a workspace of its own: for sampling and evaluation.
  public func callAsFunction(parameters theta: [Scalar], x: [Double], sigma: [Double]) -> [Double] {
    var workspace = makeWorkspace(batchSize: max(sigma.count, 1))
    return self(parameters: theta, x: x, sigma: sigma, workspace: &workspace)
  }

  /// ∂L/∂θ given ∂L/∂D for the last evaluation through `workspace`:
  /// ∂L/∂F_b = c_out(σ_b)·∂L/∂D_b (the skip term does not depend on θ), then F_θ's backward pass.
  public func backward(
    parameters theta: [Scalar], outputGradient dLdD: [Double], gradient: inout [Scalar],
    workspace: inout Workspace
  ) {
    let D = dimension
    let B = workspace.cOut.count
    precondition(dLdD.count == B * D, "DiffusionModel.backward: ∂L/∂D is not B × D")
    if workspace.outputGradient.count != B * D {
      workspace.outputGradient = [Scalar](repeating: 0, count: B * D)
    }
    for b in 0..<B {
      for i in 0..<D {
        workspace.outputGradient[b * D + i] = Scalar(workspace.cOut[b] * dLdD[b * D + i])
      }
    }
    network.backward(
      parameters: theta, outputGradient: workspace.outputGradient, gradient: &gradient,
      workspace: &workspace.network)
  }
}

/// A trained EDM denoiser D_φ, frozen: the pre-trained teacher of Consistency Distillation, as
/// `cm pretrain` saves it. CM Algorithm 2 writes the teacher as a score model s_φ inside the ODE
/// solver Φ(·, ·; φ); with EDM's parameterisation the score is s_φ(x, t) = (D_φ(x, t) − x)/t², so
/// the probability-flow slope is dx/dt = −t·s_φ = (x − D_φ(x, t))/t (`probabilityFlowSlope`).
///
/// ```
/// D_φ(x, t) = c_skip(t)·x + c_out(t)·F_φ(c_in(t)·x, c_noise(t))      (EDM scalings, φ fixed)
/// ```
///
/// Its value is only the network and φ. Evaluations borrow a workspace from a small lock-guarded
/// pool shared by copies of the teacher, so one teacher can be used from many tasks at once, and
/// repeated calls skip allocating the ~1 MB of buffers (at B = 256 and widths 128, a fresh
/// workspace per call made a call 2× slower: 600 µs instead of 280 µs, release build).
public struct EDMTeacher: Codable, Sendable, Equatable {
  /// D_φ's structure and scalings.
  public let model: DiffusionModel<Float>
  /// φ, the frozen parameters.
  public let parameters: [Float]
  /// Workspaces between calls: a cache, not part of the value (not encoded, not compared).
  private let workspaces = WorkspacePool<Float>()

  private enum CodingKeys: String, CodingKey {
    case model, parameters
  }

  /// The teacher D_φ with the given network and parameters.
  public init(model: DiffusionModel<Float>, parameters: [Float]) {
    precondition(
      parameters.count == model.network.parameterCount, "EDMTeacher: φ has the wrong length")
    self.model = model
    self.parameters = parameters
  }

  public static func == (a: EDMTeacher, b: EDMTeacher) -> Bool {
    a.model == b.model && a.parameters == b.parameters
  }

  /// D_φ(x_b, t_b) for every row b of the row-major batch x (B × D): one batched network
  /// evaluation.
  public func denoise(batch x: [Double], t: [Double]) -> [Double] {
    let rows = max(t.count, 1)
    return workspaces.withWorkspace(
      make: { model.makeWorkspace(batchSize: rows) },
      { workspace in model(parameters: parameters, x: x, sigma: t, workspace: &workspace) })
  }

  /// `denoise(batch:t:)` into `denoised`: no allocation once the pooled workspace and
  /// `denoised` have their sizes.
  public func denoise(batch x: [Double], t: [Double], into denoised: inout [Double]) {
    let rows = max(t.count, 1)
    workspaces.withWorkspace(
      make: { model.makeWorkspace(batchSize: rows) },
      { workspace in model(parameters: parameters, x: x, sigma: t, workspace: &workspace, into: &denoised) })
  }

  /// D_φ(x, t) for one point, as a CMCore `Denoiser` closure for `eulerStep` / `heunStep`.
  public var denoiser: Denoiser {
    let teacher = self
    return { x, t in teacher.denoise(batch: x, t: [t]) }
  }
}

/// A few `DiffusionModel` workspaces kept between the calls of a frozen model: each call takes one
/// (or makes one), uses it alone, and puts it back. Safe to share between tasks: the list is
/// guarded by a lock, and a workspace is only ever used by the call holding it.
final class WorkspacePool<Scalar: NetworkScalar>: @unchecked Sendable {
  private let lock = NSLock()
  private var free: [DiffusionModel<Scalar>.Workspace] = []
  /// At most this many idle workspaces are kept.
  private let capacity = 4

  func withWorkspace<Result>(
    make: () -> DiffusionModel<Scalar>.Workspace,
    _ body: (inout DiffusionModel<Scalar>.Workspace) -> Result
  ) -> Result {
    var workspace = lock.withLock { free.popLast() } ?? make()
    let result = body(&workspace)
    lock.withLock { if free.count < capacity { free.append(workspace) } }
    return result
  }
}
