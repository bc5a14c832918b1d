// Where each layer's weights and biases sit in the one flat parameter vector θ.

/// The layout of all parameters of the MLP in one flat vector θ, layer by layer.
///
/// Every consumer of θ — the EMA target update θ⁻ ← μθ⁻ + (1 − μ)θ, Adam, SGD, checkpoints —
/// treats it as a plain vector, so the network keeps no other copy of its weights.
///
/// ```
/// widths d₀ = inputDim, d₁ … d_{L−1} = hidden widths, d_L = outputDim
/// θ = [ W₁ (d₁ × d₀, row-major), b₁ (d₁),  W₂ (d₂ × d₁), b₂ (d₂),  …,  W_L, b_L ]
/// layer l maps d_{l−1} → d_l:  Y = X W_lᵀ + b_l;  W_l[i, j] = θ[weightOffset(l) + i·d_{l−1} + j]
/// |θ| = Σ_l (d_l·d_{l−1} + d_l)
/// ```
///
/// Layers are numbered from 0 here (layer 0 is the paper-style W₁, b₁). Gradients use the same
/// layout, so ∂L/∂θ[i] belongs to θ[i].
///
/// Worked number: widths [3, 128, 128, 128, 2] (the consistency model's F_θ) give
/// |θ| = (384 + 128) + 2·(16384 + 128) + (256 + 2) = 33 794; layer 1's weights start at 512.
public struct ParameterLayout: Sendable, Equatable, Hashable, Codable {
  /// d₀, d₁, …, d_L: input width, hidden widths, output width.
  public let widths: [Int]

  /// The layout of an MLP with widths d₀ = `inputDim`, `hiddenWidths`, d_L = `outputDim`; every width > 0.
  public init(inputDim: Int, hiddenWidths: [Int], outputDim: Int) {
    let widths = [inputDim] + hiddenWidths + [outputDim]
    precondition(widths.allSatisfy { $0 > 0 }, "ParameterLayout: every width must be positive")
    self.widths = widths
  }

  /// L, the number of linear layers (hidden layers + 1).
  public var layerCount: Int { widths.count - 1 }
  /// d₀.
  public var inputDim: Int { widths[0] }
  /// d_L.
  public var outputDim: Int { widths[widths.count - 1] }
  /// The input width d_{l−1} of layer `layer` (0-based).
  public func fanIn(layer: Int) -> Int { widths[layer] }
  /// The output width d_l of layer `layer` (0-based).
  public func fanOut(layer: Int) -> Int { widths[layer + 1] }

  /// Where W of layer `layer` starts in θ.
  public func weightOffset(layer: Int) -> Int {
    precondition(layer >= 0 && layer < layerCount, "ParameterLayout: no layer \(layer)")
    var offset = 0
    for l in 0..<layer { offset += fanOut(layer: l) * (fanIn(layer: l) + 1) }
    return offset
  }

  /// Where b of layer `layer` starts in θ: right after its W.
  public func biasOffset(layer: Int) -> Int {
    weightOffset(layer: layer) + fanOut(layer: layer) * fanIn(layer: layer)
  }

  /// The indices of W of layer `layer` in θ.
  public func weightRange(layer: Int) -> Range<Int> {
    weightOffset(layer: layer)..<biasOffset(layer: layer)
  }

  /// The indices of b of layer `layer` in θ.
  public func biasRange(layer: Int) -> Range<Int> {
    let start = biasOffset(layer: layer)
    return start..<(start + fanOut(layer: layer))
  }

  /// |θ|, the total number of parameters.
  public var count: Int {
    // A plain loop: `reduce` over a range allocates on every call in an unoptimised build, and
    // every forward pass reads this.
    var total = 0
    for l in 0..<layerCount { total += fanOut(layer: l) * (fanIn(layer: l) + 1) }
    return total
  }
}
