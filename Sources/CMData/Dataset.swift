// The datasets by name: what the command line's --dataset chooses between.
import CMCore
import Foundation

/// The 2-D toy datasets, each with per-coordinate standard deviation σ_data = 0.5 (the σ_data of
/// CM App. C and EDM), so the boundary scalings c_skip, c_out, c_in fit them as they fit images.
///
/// | name           | what                                         | exact denoiser |
/// |----------------|----------------------------------------------|----------------|
/// | `ring8`        | 8 Gaussians on a circle (the default)         | yes (mixture)  |
/// | `moons`        | two interleaving half-circles                 | no             |
/// | `spiral`       | one and a half turns of a spiral              | no             |
/// | `checkerboard` | eight uniform squares of a 4 × 4 board        | no             |
/// | `gaussian`     | N(m, s²I), m = (0, 0), s = 0.5                | yes            |
///
/// Samples are flat row-major count × 2 arrays; `samplePoints` gives the same draws as points.
/// The same seed gives the same samples (up to the last bit of the platform's sin and cos for
/// the datasets that use them).
public enum Dataset: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
  /// Eight narrow Gaussians on a circle (the default); exact denoiser known.
  case ring8
  /// Two interleaving half-circles.
  case moons
  /// One and a half turns of a spiral.
  case spiral
  /// Eight uniform squares of a 4 × 4 board.
  case checkerboard
  /// N(m, s²I) with m = (0, 0), s = 0.5; exact denoiser and consistency function known.
  case gaussian

  /// The dataset used when none is named.
  public static let `default` = Dataset.ring8
  /// σ_data, every dataset's per-coordinate standard deviation.
  public static let sigmaData = 0.5
  /// m of the `gaussian` dataset N(m, s²I).
  public static let gaussianMean: [Double] = [0, 0]
  /// s of the `gaussian` dataset N(m, s²I); its exact consistency function is
  /// `gaussianConsistencyFunction(x:t:mean: gaussianMean, std: gaussianStd)`.
  public static let gaussianStd = 0.5

  /// The dataset's name on the command line.
  public var name: String { rawValue }
  public var description: String { rawValue }

  /// The dataset called `name` (case and surrounding spaces ignored), or an error listing the
  /// allowed names.
  public init(named name: String) throws(UnknownDatasetError) {
    let key = name.trimmingCharacters(in: .whitespaces).lowercased()
    guard let dataset = Dataset(rawValue: key) else { throw UnknownDatasetError(name: name) }
    self = dataset
  }

  /// `count` draws as a flat row-major count × 2 array.
  public func sample(count: Int, using generator: inout SeededGenerator) -> [Double] {
    switch self {
    case .ring8, .gaussian: return mixture!.sample(count: count, using: &generator)
    case .moons: return Moons.sample(count: count, using: &generator)
    case .spiral: return Spiral.sample(count: count, using: &generator)
    case .checkerboard: return Checkerboard.sample(count: count, using: &generator)
    }
  }

  /// The same draws as `sample(count:using:)`, as points.
  public func samplePoints(count: Int, using generator: inout SeededGenerator) -> [SIMD2<Double>] {
    points(fromFlat: sample(count: count, using: &generator))
  }

  /// The dataset as a Gaussian mixture, where it is one (`ring8`, `gaussian`); nil otherwise.
  /// Its `denoise(batch:t:)` is the batched exact denoiser.
  public var mixture: GaussianMixture? {
    switch self {
    case .ring8: return Dataset.ring8Mixture
    case .gaussian: return Dataset.gaussianMixture
    case .moons, .spiral, .checkerboard: return nil
    }
  }

  // Built once: `sample(count:using:)` reads the mixture every training step, and building it
  // anew cost a dozen allocations per step.
  private static let ring8Mixture = GaussianMixture.ring8(sigmaData: sigmaData)
  private static let gaussianMixture = GaussianMixture.gaussian(mean: gaussianMean, std: gaussianStd)

  /// The ideal denoiser D(x, t) = E[x₀ | x_t = x], where it is known in closed form; nil otherwise.
  public var exactDenoiser: Denoiser? { mixture?.denoiser }
}

/// A dataset name that is not one of `Dataset.allCases`.
public struct UnknownDatasetError: LocalizedError, Sendable, Equatable, CustomStringConvertible {
  /// The name as given.
  public let name: String

  /// An error for the name as given.
  public init(name: String) { self.name = name }

  public var description: String {
    "unknown dataset '\(name)'; allowed: \(Dataset.allCases.map(\.name).joined(separator: ", "))"
  }
  public var errorDescription: String? { description }
}
