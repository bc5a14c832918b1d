// Typed choice flags: `--method cd` arrives as `TrainingMethod.cd`, and a wrong name gets the same
// one-line message as every other flag ("--method must be one of ct, cd (got dc)").

import ArgumentParser
import ConsistencyModels

/// A flag whose value is one of a fixed set of names: the raw values of a `CaseIterable` enum.
protocol NamedChoice: CaseIterable, RawRepresentable<String>, Sendable, SendableMetatype {}

extension NamedChoice {
  /// The allowed names, for help texts: "ct, cd".
  static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

  /// The parser of `@Option(transform:)` for `flag`: the value, or our one-line usage error.
  static func parser(_ flag: String) -> @Sendable (String) throws -> Self {
    { text in
      guard let value = Self(rawValue: text.trimmingSpaces) else {
        throw usageError(flag, mustBe: "one of \(names)", got: text)
      }
      return value
    }
  }
}

extension TrainingMethod: NamedChoice {}
extension ODESolver: NamedChoice {}
extension LossWeighting: NamedChoice {}
extension EMADecayVariant: NamedChoice {}
extension Dataset: NamedChoice {}
extension TrainingConfig.Preset: NamedChoice {}
extension EDMPretrainingConfig.Preset: NamedChoice {}
extension ComparisonBudget.Name: NamedChoice {}
extension ICTSetting: NamedChoice {}

/// `--pairs`: how the step draws each example's pair index n.
enum PairsChoice: String, NamedChoice {
  /// n ~ U{0, …, N − 2}, CM Algorithm 3.
  case uniform
  /// iCT's discretised lognormal (iCT §3.5).
  case lognormal
}

/// `--target`: CT's target network θ⁻.
enum TargetChoice: String, NamedChoice {
  /// θ⁻ an EMA of θ with μ(k), CM.
  case ema
  /// μ = 0, θ⁻ = stopgrad θ (iCT §3.2).
  case stopgrad
}

/// `--metric`: the distance d of the consistency loss.
enum MetricChoice: String, NamedChoice {
  case l2
  case l1
  case pseudoHuber = "pseudo-huber"

  /// The distance, pseudo-Huber with iCT's c for `dimension` (iCT §3.3).
  func metric(dimension: Int) -> DistanceMetric {
    switch self {
    case .l2: return .squaredL2
    case .l1: return .l1
    case .pseudoHuber: return .pseudoHuber(c: pseudoHuberC(dimension: dimension))
    }
  }
}

/// `--weights`: which parameters a sampler uses.
enum WeightsChoice: String, NamedChoice {
  /// θ_ema, the slow EMA of θ (the default).
  case ema
  /// θ⁻, the target network.
  case target
  /// θ, the online network.
  case online
}
