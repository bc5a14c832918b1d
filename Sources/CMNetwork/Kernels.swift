// Which code runs the Float network's layers: the readable reference (OpenBLAS + Swift loops) or
// the hand-written kernels of CMKernels, on the best instruction set this CPU has.
import CMKernels

#if canImport(Glibc)
  import Glibc
#endif

/// An implementation of the MLP's layer products for `Float`.
///
/// ```
/// reference  Linear.swift and SiLU.swift: cblas_sgemm (OpenBLAS) and a Swift loop per layer
/// portable   CMKernels in generic C vectors of 4 floats: any CPU
/// avx2       CMKernels compiled with target("avx2,fma"): 8-float vectors, FMA
/// avx512f    CMKernels compiled with target("avx512f"): 16-float vectors
/// ```
///
/// The kernel paths fuse the bias and SiLU into the forward product, and SiLU's derivative into
/// the product for ∂L/∂X, and never depend on which CPU OpenBLAS believes it runs on. `Double`
/// networks always take the reference path: Double is the precision of golden values.
public enum KernelPath: String, Sendable, CaseIterable, Equatable {
  /// OpenBLAS's `cblas_sgemm` and a Swift loop per layer (and every `Double` network).
  case reference
  /// CMKernels in generic C vectors of 4 floats: any CPU.
  case portable
  /// CMKernels compiled for AVX2 and FMA: 8-float vectors.
  case avx2
  /// CMKernels compiled for AVX-512F: 16-float vectors.
  case avx512f

  /// The CMKernels path number, nil for the reference.
  var kernelNumber: Int32? {
    switch self {
    case .reference: return nil
    case .portable: return Int32(CMK_PATH_PORTABLE)
    case .avx2: return Int32(CMK_PATH_AVX2)
    case .avx512f: return Int32(CMK_PATH_AVX512F)
    }
  }

  /// Whether this CPU can run the path (`__builtin_cpu_supports`); the reference and portable
  /// paths run everywhere.
  public var isAvailable: Bool {
    guard let number = kernelNumber else { return true }
    return cmk_path_available(number) != 0
  }
}

/// The process-wide choice of `KernelPath` for Float networks, made once at first use.
public enum Kernels {
  /// The path Float workspaces use unless told otherwise.
  public static var active: KernelPath { choice.path }

  /// Why `active` was chosen, for `cm bench`: for example "avx512f: cpu supports avx512f".
  public static var reason: String { choice.reason }

  /// The paths this CPU can run, reference first.
  public static var available: [KernelPath] { KernelPath.allCases.filter(\.isAvailable) }

  /// The environment variable that selects a path by name (reference, portable, avx2, avx512f).
  public static let environmentVariable = "CM_KERNELS"

  private static let choice: (path: KernelPath, reason: String) = choose(
    requested: getenv(environmentVariable).map { String(cString: $0) })

  /// The path for a requested name (nil when the variable is unset): the request if this CPU
  /// runs it, else the fastest available kernel path.
  static func choose(requested: String?) -> (path: KernelPath, reason: String) {
    let best =
      KernelPath.avx512f.isAvailable ? KernelPath.avx512f : (KernelPath.avx2.isAvailable ? .avx2 : .portable)
    let why: String
    switch best {
    case .avx512f: why = "cpu supports avx512f"
    case .avx2: why = "cpu supports avx2 and fma, not avx512f"
    default: why = "cpu has neither avx2+fma nor avx512f"
    }
    guard let requested, !requested.isEmpty else { return (best, "\(best.rawValue): \(why)") }
    guard let path = KernelPath(rawValue: requested) else {
      return (
        best,
        "\(best.rawValue): \(why) (\(environmentVariable)=\(requested) is not one of "
          + "\(KernelPath.allCases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    guard path.isAvailable else {
      return (
        best,
        "\(best.rawValue): \(why) (\(environmentVariable)=\(requested) needs an instruction set this cpu lacks)"
      )
    }
    return (path, "\(path.rawValue): \(environmentVariable)=\(requested)")
  }
}

extension NetworkScalar {
  /// The path a workspace of this scalar type uses when asked for `requested` (nil: the default):
  /// Float takes the request or `Kernels.active`; Double always the reference.
  static func kernelPath(_ requested: KernelPath?) -> KernelPath {
    guard Self.self == Float.self else { return .reference }
    let path = requested ?? Kernels.active
    precondition(path.isAvailable, "KernelPath: \(path.rawValue) does not run on this CPU")
    return path
  }
}

/// Floats of scratch a layer fanIn → fanOut needs on a kernel path (the packed weights).
func kernelScratchCount(fanIn: Int, fanOut: Int) -> Int {
  cmk_scratch_floats(Int32(fanIn), Int32(fanOut))
}
