// The buffers one forward pass fills and its backward pass reads: allocated once, reused.

extension MLP {
  /// The preallocated memory of a forward/backward pass at up to `capacity` rows: the saved
  /// input X, each hidden layer's s(z) and σ(z), and two scratch matrices for ∂L/∂(activation).
  ///
  /// ```
  /// storage = [ X (B × d₀) | s₁, σ₁ (B × d₁ each) | … | s_{L−1}, σ_{L−1} | scratch₀, scratch₁
  ///             | packed weights (kernel paths only) ]
  /// ```
  ///
  /// The workspace also fixes the `KernelPath` its passes run on: for Float, `Kernels.active`
  /// unless the workspace was made with another; for Double, always the reference.
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
    /// The implementation of the layer products this workspace's passes run on.
    public let kernelPath: KernelPath

    /// A workspace for `layout` holding up to `capacity` rows, running on `kernelPath` (nil: the
    /// default of `Scalar`; a path this CPU cannot run is a precondition failure).
    public init(layout: ParameterLayout, capacity: Int, kernelPath: KernelPath? = nil) {
      precondition(capacity > 0, "MLP.Workspace: capacity must be positive")
      self.layout = layout
      self.capacity = capacity
      self.batchSize = 0
      self.kernelPath = Scalar.kernelPath(kernelPath)
      self.offsets = Self.offsets(
        layout: layout, capacity: capacity, packing: self.kernelPath != .reference)
      self.storage = [Scalar](repeating: 0, count: offsets.total)
    }

    /// Grows the storage if `rows` exceeds the capacity, and records `rows` as the batch size.
    mutating func prepare(rows: Int) {
      if rows > capacity {
        capacity = rows
        offsets = Self.offsets(layout: layout, capacity: capacity, packing: kernelPath != .reference)
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
      /// The packed weights of the kernel paths (empty on the reference path).
      var packing = 0
      /// The length of the storage.
      var total = 0
    }

    static func offsets(layout: ParameterLayout, capacity: Int, packing: Bool) -> Offsets {
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
      o.packing = next + 2 * capacity * widest
      var packed = 0
      if packing {
        for l in 0..<layout.layerCount {
          packed = max(
            packed, kernelScratchCount(fanIn: layout.fanIn(layer: l), fanOut: layout.fanOut(layer: l)))
        }
      }
      o.total = o.packing + packed
      return o
    }
  }
}
