// The buffers one forward pass fills and its backward pass reads: allocated once, reused.

extension MLP {
  /// The preallocated memory of a forward/backward pass at up to `capacity` rows: the saved
  /// input X, each hidden layer's s(z) and σ(z), and two scratch matrices for ∂L/∂(activation).
  ///
  /// ```
  /// storage = [ X (B × d₀) | s₁, σ₁ (B × d₁ each) | … | s_{L−1}, σ_{L−1} | scratch₀, scratch₁ ]
  /// ```
  ///
  /// A forward pass at a batch size within the capacity, and the backward pass after it, allocate
  /// nothing: the workspace is passed `inout` and its single array is written in place. A larger
  /// batch grows it once. Use one workspace per network evaluation that must stay alive until its
  /// backward pass: in a CT step, one for the online network θ and one for the target θ⁻.
  public struct Workspace: Sendable {
    /// The layout of the network this workspace serves.
    public let layout: ParameterLayout
    /// The number of rows the storage holds.
    public private(set) var capacity: Int
    /// The rows of the last forward pass (0 before any); the backward pass works on these.
    public internal(set) var batchSize: Int
    /// All the buffers, back to back.
    var storage: [Scalar]
    /// Where each buffer starts in `storage` (computed when the storage is allocated).
    private(set) var offsets: Offsets

    /// A workspace for `layout` holding up to `capacity` rows.
    public init(layout: ParameterLayout, capacity: Int) {
      precondition(capacity > 0, "MLP.Workspace: capacity must be positive")
      self.layout = layout
      self.capacity = capacity
      self.batchSize = 0
      self.offsets = Self.offsets(layout: layout, capacity: capacity)
      self.storage = [Scalar](repeating: 0, count: offsets.total)
    }

    /// Grows the storage if `rows` exceeds the capacity, and records `rows` as the batch size.
    mutating func prepare(rows: Int) {
      if rows > capacity {
        capacity = rows
        offsets = Self.offsets(layout: layout, capacity: capacity)
        storage = [Scalar](repeating: 0, count: offsets.total)
      }
      batchSize = rows
    }

    /// Where each buffer starts in `storage`, at a given capacity.
    struct Offsets: Sendable {
      /// The saved input X.
      var input = 0
      /// s(z) of hidden layer l (0-based), l = 0 … L − 2.
      var activation: [Int] = []
      /// σ(z) of hidden layer l.
      var sigma: [Int] = []
      /// The two scratch matrices for the backward pass.
      var scratch = (0, 0)
      /// The length of the storage.
      var total = 0
    }

    static func offsets(layout: ParameterLayout, capacity: Int) -> Offsets {
      var o = Offsets()
      var next = capacity * layout.inputDim
      var widest = 0
      for l in 0..<(layout.layerCount - 1) {
        let width = layout.fanOut(layer: l)
        o.activation.append(next)
        next += capacity * width
        o.sigma.append(next)
        next += capacity * width
        widest = max(widest, width)
      }
      o.scratch = (next, next + capacity * widest)
      o.total = next + 2 * capacity * widest
      return o
    }
  }
}
