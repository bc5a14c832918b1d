// The network F_θ of the consistency model: a multilayer perceptron with SiLU activations.
//
// Seed pseudocode:
//   student_model(noisy_x, t)   — F_θ inside f_θ(x, t) = c_skip(t)·x + c_out(t)·F_θ(c_in(t)·x, c_noise(t))
//   teacher_model(noisy_x, t)   — the same network evaluated at the target parameters θ⁻

import CMCore

/// The multilayer perceptron F_θ: linear layers with SiLU between them, the last layer linear.
///
/// The consistency model feeds it [c_in·x₁, c_in·x₂, c_noise] (so d₀ = 3) and reads two numbers.
/// The network holds only its shape; the parameters are a flat vector θ laid out by
/// `ParameterLayout` and passed to every call, so the same `MLP` evaluates the online network θ
/// and the target network θ⁻.
///
/// ```
/// h₀ = X                                        B × d₀
/// h_l = s(h_{l−1} W_lᵀ + b_l),  l = 1 … L − 1   B × d_l,  s = SiLU
/// Y = h_{L−1} W_Lᵀ + b_L                        B × d_L
/// ```
///
/// Initialisation (PyTorch's default for `nn.Linear`): every weight and bias of layer l is
/// U(−1/√d_{l−1}, 1/√d_{l−1}), drawn from a `SeededGenerator` in the order of θ (layer by layer,
/// W row by row, then b), each as the Double bound·(2U − 1) with bound = 1/√d_{l−1}, optionally
/// times `lastLayerScale` for the last layer, then rounded to `Scalar`. A NumPy reference that
/// re-implements the generator reproduces θ exactly.
///
/// Speed: on the reference path a forward pass is one BLAS product and one loop per layer; on a
/// kernel path (Float, `KernelPath`, MLPKernels.swift) one fused CMKernels call per layer and
/// direction, the bias and SiLU inside the product. `forward` with a workspace
/// and `backward` allocate nothing once the output, gradient and workspace have their sizes, so a
/// CT training step (online forward and backward, target forward, optimiser) runs allocation-free.
///
/// Worked number: d = [1, 1, 1], θ = (W₁ = 1, b₁ = 0, W₂ = 2, b₂ = 0.5) and X = 1 give
/// Y = 2·s(1) + 0.5 = 1.9621171572600098.
public struct MLP<Scalar: NetworkScalar>: Sendable, Equatable, Codable {
  /// Where each W and b sits in θ.
  public let layout: ParameterLayout

  /// An MLP d₀ → hidden widths → d_L. The defaults are the consistency model's F_θ for 2-D data.
  public init(inputDim: Int = 3, hiddenWidths: [Int] = [128, 128, 128], outputDim: Int = 2) {
    layout = ParameterLayout(inputDim: inputDim, hiddenWidths: hiddenWidths, outputDim: outputDim)
  }

  /// |θ|.
  public var parameterCount: Int { layout.count }

  // MARK: - initialisation

  /// θ drawn with a fresh `SeededGenerator(seed:)`; see the type's documentation for the scheme.
  public func initialParameters(seed: UInt64, lastLayerScale: Double = 1) -> [Scalar] {
    var generator = SeededGenerator(seed: seed)
    return initialParameters(generator: &generator, lastLayerScale: lastLayerScale)
  }

  /// θ drawn from `generator`: entry by entry in the order of θ,
  /// θ_i = Scalar(scale_l · (bound_l · (2U − 1))), bound_l = 1/√d_{l−1}, scale_l = 1 except
  /// `lastLayerScale` for the last layer (a small scale starts F_θ near zero).
  public func initialParameters(
    generator: inout SeededGenerator, lastLayerScale: Double = 1
  ) -> [Scalar] {
    var theta: [Scalar] = []
    theta.reserveCapacity(layout.count)
    for l in 0..<layout.layerCount {
      let bound = 1 / Double(layout.fanIn(layer: l)).squareRoot()
      let scale = l == layout.layerCount - 1 ? lastLayerScale : 1
      // W_l (d_l × d_{l−1}, row by row), then b_l (d_l): (d_{l−1} + 1)·d_l draws.
      for _ in 0..<(layout.fanOut(layer: l) * (layout.fanIn(layer: l) + 1)) {
        theta.append(Scalar(scale * (bound * (2 * generator.nextUniform() - 1))))
      }
    }
    return theta
  }

  // MARK: - forward

  /// A workspace for batches of up to `batchSize` rows, on `kernelPath` (nil: `Scalar`'s default,
  /// `Kernels.active` for Float, the reference for Double).
  public func makeWorkspace(batchSize: Int, kernelPath: KernelPath? = nil) -> Workspace {
    Workspace(layout: layout, capacity: batchSize, kernelPath: kernelPath)
  }

  /// Y = F_θ(X) for a row-major batch X (B × d₀) into `output` (B × d_L, resized if needed),
  /// saving in `workspace` what `backward` needs.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func forward(
    parameters theta: [Scalar], input x: [Scalar], output y: inout [Scalar],
    workspace: inout Workspace
  ) {
    precondition(theta.count == layout.count, "MLP.forward: θ has the wrong length")
    precondition(workspace.layout == layout, "MLP.forward: workspace is for another network")
    precondition(
      !x.isEmpty && x.count % layout.inputDim == 0, "MLP.forward: input is not B × inputDim")
    let rows = x.count / layout.inputDim
    workspace.prepare(rows: rows)
    if y.count != rows * layout.outputDim {
      y = [Scalar](repeating: 0, count: rows * layout.outputDim)
    }
    let offsets = workspace.offsets
    theta.withUnsafeBufferPointer { theta in
      x.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { y in
          workspace.storage.withUnsafeMutableBufferPointer { storage in
            if let path = workspace.kernelPath.kernelNumber {
              kernelForward(
                path: path, theta: theta.baseAddress!, x: x.baseAddress!, y: y.baseAddress!,
                storage: storage.baseAddress!, offsets: offsets, rows: rows)
            } else {
              forward(
                theta: theta.baseAddress!, x: x.baseAddress!, y: y.baseAddress!,
                storage: storage.baseAddress!, offsets: offsets, rows: rows)
            }
          }
        }
      }
    }
  }

  /// Y = F_θ(X), allocating its own workspace: for evaluation and tests, not for training loops.
  public func forward(parameters theta: [Scalar], input x: [Scalar]) -> [Scalar] {
    var workspace = makeWorkspace(batchSize: x.count / layout.inputDim)
    var y: [Scalar] = []
    forward(parameters: theta, input: x, output: &y, workspace: &workspace)
    return y
  }

  private func forward(
    theta: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>, y: UnsafeMutablePointer<Scalar>,
    storage: UnsafeMutablePointer<Scalar>, offsets: Workspace.Offsets, rows: Int
  ) {
    // h₀ = X, kept for ∂L/∂W₁.
    let savedX = storage + offsets.input
    savedX.update(from: x, count: rows * layout.inputDim)
    var h = UnsafePointer(savedX)
    for l in 0..<layout.layerCount {
      let linear = Linear<Scalar>(fanIn: layout.fanIn(layer: l), fanOut: layout.fanOut(layer: l))
      let w = theta + layout.weightOffset(layer: l)
      let b = theta + layout.biasOffset(layer: l)
      if l == layout.layerCount - 1 {
        // Y = h_{L−1} W_Lᵀ + b_L
        linear.forward(x: h, w: w, b: b, y: y, rows: rows)
      } else {
        // z = h_{l−1} W_lᵀ + b_l;  h_l = s(z), keeping σ(z)
        let activation = storage + offsets.activation[l]
        linear.forward(x: h, w: w, b: b, y: activation, rows: rows)
        SiLU.forward(activation, sigma: storage + offsets.sigma[l], count: rows * linear.fanOut)
        h = UnsafePointer(activation)
      }
    }
  }

  // MARK: - backward

  /// ∂L/∂θ into `gradient` (resized to |θ| if needed, then overwritten), given ∂L/∂Y for the
  /// last forward pass through `workspace`; `theta` must be the parameters that pass used.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func backward(
    parameters theta: [Scalar], outputGradient dY: [Scalar], gradient: inout [Scalar],
    workspace: inout Workspace
  ) {
    var noInputGradient: [Scalar] = []
    backward(
      parameters: theta, outputGradient: dY, gradient: &gradient,
      inputGradient: &noInputGradient, computeInputGradient: false, workspace: &workspace)
  }

  /// As `backward(parameters:outputGradient:gradient:workspace:)`, and also ∂L/∂X (B × d₀) into
  /// `inputGradient` (resized if needed).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func backward(
    parameters theta: [Scalar], outputGradient dY: [Scalar], gradient: inout [Scalar],
    inputGradient: inout [Scalar], workspace: inout Workspace
  ) {
    backward(
      parameters: theta, outputGradient: dY, gradient: &gradient,
      inputGradient: &inputGradient, computeInputGradient: true, workspace: &workspace)
  }

  private func backward(
    parameters theta: [Scalar], outputGradient dY: [Scalar], gradient: inout [Scalar],
    inputGradient: inout [Scalar], computeInputGradient: Bool, workspace: inout Workspace
  ) {
    let rows = workspace.batchSize
    precondition(rows > 0, "MLP.backward: no forward pass in this workspace")
    precondition(workspace.layout == layout, "MLP.backward: workspace is for another network")
    precondition(theta.count == layout.count, "MLP.backward: θ has the wrong length")
    precondition(dY.count == rows * layout.outputDim, "MLP.backward: ∂L/∂Y is not B × outputDim")
    if gradient.count != layout.count { gradient = [Scalar](repeating: 0, count: layout.count) }
    if computeInputGradient && inputGradient.count != rows * layout.inputDim {
      inputGradient = [Scalar](repeating: 0, count: rows * layout.inputDim)
    }
    let offsets = workspace.offsets
    theta.withUnsafeBufferPointer { theta in
      dY.withUnsafeBufferPointer { dY in
        gradient.withUnsafeMutableBufferPointer { gradient in
          inputGradient.withUnsafeMutableBufferPointer { dX in
            workspace.storage.withUnsafeMutableBufferPointer { storage in
              if let path = workspace.kernelPath.kernelNumber {
                kernelBackward(
                  path: path, theta: theta.baseAddress!, dY: dY.baseAddress!,
                  gradient: gradient.baseAddress!, dX: computeInputGradient ? dX.baseAddress : nil,
                  storage: storage.baseAddress!, offsets: offsets, rows: rows)
              } else {
                backward(
                  theta: theta.baseAddress!, dY: dY.baseAddress!, gradient: gradient.baseAddress!,
                  dX: computeInputGradient ? dX.baseAddress : nil,
                  storage: storage.baseAddress!, offsets: offsets, rows: rows)
              }
            }
          }
        }
      }
    }
  }

  private func backward(
    theta: UnsafePointer<Scalar>, dY: UnsafePointer<Scalar>,
    gradient: UnsafeMutablePointer<Scalar>, dX: UnsafeMutablePointer<Scalar>?,
    storage: UnsafeMutablePointer<Scalar>, offsets: Workspace.Offsets, rows: Int
  ) {
    // Walk the layers last to first; dZ is ∂L/∂(output of linear layer l).
    var dZ = dY
    var scratch = (offsets.scratch.0, offsets.scratch.1)
    for l in stride(from: layout.layerCount - 1, through: 0, by: -1) {
      let linear = Linear<Scalar>(fanIn: layout.fanIn(layer: l), fanOut: layout.fanOut(layer: l))
      // The layer's input h_{l−1}: X for the first layer, else the previous SiLU's output.
      let h = UnsafePointer(storage + (l == 0 ? offsets.input : offsets.activation[l - 1]))
      // ∂L/∂h_{l−1} goes to a scratch matrix, or to ∂L/∂X (if wanted) for the first layer.
      let dH = l == 0 ? dX : storage + scratch.0
      // ∂L/∂W_l = dZᵀ h_{l−1};  ∂L/∂b_l = Σ_rows dZ;  ∂L/∂h_{l−1} = dZ W_l
      linear.backward(
        dY: dZ, x: h, w: theta + layout.weightOffset(layer: l),
        dW: gradient + layout.weightOffset(layer: l), db: gradient + layout.biasOffset(layer: l),
        dX: dH, rows: rows)
      if l > 0, let dH {
        // ∂L/∂z_{l−1} = ∂L/∂h_{l−1} ⊙ s′(z_{l−1}), in place
        SiLU.backward(
          dH, s: storage + offsets.activation[l - 1], sigma: storage + offsets.sigma[l - 1],
          count: rows * linear.fanIn)
        dZ = UnsafePointer(dH)
        scratch = (scratch.1, scratch.0)
      }
    }
  }
}
