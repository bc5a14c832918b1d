// The MLP's forward and backward passes on a CMKernels path: the same walk over the layers as
// MLP.swift's reference passes, one fused kernel call per layer and direction.
import CMKernels

extension MLP {
  /// As the reference forward pass, with each hidden layer's z = h W_lᵀ + b_l and s(z), σ(z)
  /// computed by one `cmk_linear_forward` call. Only for Float (the workspace guarantees it).
  func kernelForward(
    path: Int32, theta: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>,
    y: UnsafeMutablePointer<Scalar>, storage: UnsafeMutablePointer<Scalar>,
    offsets: Workspace.Offsets, rows: Int
  ) {
    let theta = floats(theta)
    let storage = floats(storage)
    // h₀ = X, kept for ∂L/∂W₁.
    let savedX = storage + offsets.input
    savedX.update(from: floats(x), count: rows * layout.inputDim)
    let packing = storage + offsets.packing
    var h = UnsafePointer(savedX)
    for l in 0..<layout.layerCount {
      let last = l == layout.layerCount - 1
      // Y = h_{L−1} W_Lᵀ + b_L;  or h_l = s(h_{l−1} W_lᵀ + b_l), keeping σ(z)
      let out = last ? floats(y) : storage + offsets.activation[l]
      cmk_linear_forward(
        path, Int32(rows), Int32(layout.fanIn(layer: l)), Int32(layout.fanOut(layer: l)), h,
        theta + layout.weightOffset(layer: l), theta + layout.biasOffset(layer: l), out,
        last ? nil : storage + offsets.sigma[l], packing)
      h = UnsafePointer(out)
    }
  }

  /// As the reference backward pass, with ∂L/∂W_l, ∂L/∂b_l and ∂L/∂z_{l−1} = (dZ W_l) ⊙ s′(z_{l−1})
  /// computed by one `cmk_linear_backward` call per layer.
  func kernelBackward(
    path: Int32, theta: UnsafePointer<Scalar>, dY: UnsafePointer<Scalar>,
    gradient: UnsafeMutablePointer<Scalar>, dX: UnsafeMutablePointer<Scalar>?,
    storage: UnsafeMutablePointer<Scalar>, offsets: Workspace.Offsets, rows: Int
  ) {
    let theta = floats(theta)
    let storage = floats(storage)
    let gradient = floats(gradient)
    let packing = storage + offsets.packing
    var dZ = floats(dY)
    var scratch = (offsets.scratch.0, offsets.scratch.1)
    for l in stride(from: layout.layerCount - 1, through: 0, by: -1) {
      // The layer's input h_{l−1}; ∂L/∂z_{l−1} goes to a scratch matrix, or to ∂L/∂X (if wanted).
      let h = UnsafePointer(storage + (l == 0 ? offsets.input : offsets.activation[l - 1]))
      // (No `dX.map(floats)`: an unoptimised build allocates a closure for it on every call.)
      var dH: UnsafeMutablePointer<Float>? = storage + scratch.0
      if l == 0 { dH = dX == nil ? nil : floats(dX!) }
      cmk_linear_backward(
        path, Int32(rows), Int32(layout.fanIn(layer: l)), Int32(layout.fanOut(layer: l)), dZ, h,
        theta + layout.weightOffset(layer: l), gradient + layout.weightOffset(layer: l),
        gradient + layout.biasOffset(layer: l), dH,
        l > 0 ? UnsafePointer(storage + offsets.activation[l - 1]) : nil,
        l > 0 ? UnsafePointer(storage + offsets.sigma[l - 1]) : nil, packing)
      if let dH {
        dZ = UnsafePointer(dH)
        scratch = (scratch.1, scratch.0)
      }
    }
  }
}

/// The same memory seen as Float: the kernel paths exist only for `MLP<Float>` (see
/// `NetworkScalar.kernelPath`), so Scalar is Float whenever these run.
@inline(__always)
private func floats<Scalar>(_ p: UnsafePointer<Scalar>) -> UnsafePointer<Float> {
  UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
}

@inline(__always)
private func floats<Scalar>(_ p: UnsafeMutablePointer<Scalar>) -> UnsafeMutablePointer<Float> {
  UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
}
