// How much memory and disk a run will need, from its settings alone, before anything is allocated.

import CMNetwork
import CMTeacher
import Foundation

#if canImport(Glibc)
  import Glibc
  /// RLIMIT_AS, whose type differs between the C libraries' headers.
  private let RLIMIT_AS_VALUE = __rlimit_resource_t(RLIMIT_AS.rawValue)
#elseif canImport(Darwin)
  import Darwin
  private let RLIMIT_AS_VALUE = RLIMIT_AS
#endif

/// The memory and disk a run needs, estimated from its settings (its widths, batch size and
/// teacher) so that a run too large for the machine is refused before it allocates anything.
///
/// ```
/// P = |θ|,  W = d₀ + 2·Σ d_l + 2·max d_l   (one MLP workspace row)
/// memory ≈ 4 B · (6P + 2·B·W + |φ|)          θ, θ⁻, θ_ema, Adam m and v, ∇θ; two workspaces; φ
///        + 120 B · (5P + |φ|)                a checkpoint's JSON while it is encoded
/// disk   ≈ 2 · 24 B · (5P + |φ|)             the checkpoint and its temporary copy
/// ```
///
/// The per-number costs are deliberately generous upper bounds (a Float prints in at most 15
/// characters, and Foundation's encoder holds each number as an object while it works).
public struct ResourceEstimate: Sendable, Equatable {
  /// Peak bytes of memory.
  public var memoryBytes: Int64
  /// Bytes of disk a save needs.
  public var diskBytes: Int64

  /// The estimate for networks of `parameterCount` (θ) and `teacherParameterCount` (φ, 0 for
  /// none), a workspace of `workspaceRow` numbers per row, and batch size B.
  public init(parameterCount P: Int, workspaceRow W: Int, batchSize B: Int, teacherParameterCount: Int) {
    let (p, w, b, phi) = (Int64(P), Int64(W), Int64(B), Int64(teacherParameterCount))
    let saved = 5 * p + phi
    memoryBytes = 4 * (6 * p + 2 * b * w + phi) + 120 * saved
    diskBytes = 2 * 24 * saved + 1_048_576
  }

  /// Whether the memory fits in `fraction` of the memory this process may use.
  public func fitsInMemory(fraction: Double = 0.8) -> Bool {
    Double(memoryBytes) <= fraction * Double(ResourceEstimate.usableMemory)
  }

  /// The memory this process may use: the machine's physical memory, or the address-space limit
  /// (`ulimit -v`, RLIMIT_AS) when one is set lower.
  public static var usableMemory: Int64 {
    let physical = Int64(clamping: ProcessInfo.processInfo.physicalMemory)
    // RLIM_INFINITY is all ones (it does not import as a Swift constant).
    var limit = rlimit()
    guard getrlimit(RLIMIT_AS_VALUE, &limit) == 0, limit.rlim_cur != rlim_t.max else { return physical }
    return min(physical, Int64(clamping: limit.rlim_cur))
  }

  /// "3.2 GiB".
  public static func gibibytes(_ bytes: Int64) -> String {
    let value = Double(bytes) / 1_073_741_824
    return value >= 10 ? "\(Int(value.rounded())) GiB" : "\((value * 10).rounded() / 10) GiB"
  }
}

extension ParameterLayout {
  /// The numbers one row of an MLP workspace holds: d₀ + 2·Σ hidden d_l + 2·max hidden d_l.
  public var workspaceRow: Int {
    let hidden = widths.dropFirst().dropLast()
    return inputDim + 2 * hidden.reduce(0, +) + 2 * (hidden.max() ?? 0)
  }
}

extension TrainingConfig {
  /// The run's resources with `teacher` (nil for CT).
  public func resourceEstimate(teacher: Teacher?) -> ResourceEstimate {
    let layout = ParameterLayout(inputDim: 3, hiddenWidths: hiddenWidths, outputDim: 2)
    let phi: Int
    switch teacher {
    case .edm(let edm): phi = edm.parameters.count
    case .oracle, nil: phi = 0
    }
    return ResourceEstimate(
      parameterCount: layout.count, workspaceRow: layout.workspaceRow, batchSize: batchSize,
      teacherParameterCount: phi)
  }
}

extension EDMPretrainingConfig {
  /// The pre-training run's resources (θ and θ_EMA; counted as a consistency run without φ).
  public var resourceEstimate: ResourceEstimate {
    let layout = ParameterLayout(inputDim: 3, hiddenWidths: hiddenWidths, outputDim: 2)
    return ResourceEstimate(
      parameterCount: layout.count, workspaceRow: layout.workspaceRow, batchSize: batchSize,
      teacherParameterCount: 0)
  }
}
