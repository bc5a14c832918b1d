// Everything a training run needs to know, in one struct, with named presets (STYLE.md rule 9).

import CMCore
import CMData

/// How the loss weights each pair (t_n, t_{n+1}).
public enum LossWeighting: String, Codable, Sendable, CaseIterable {
  /// λ ≡ 1, as in CM.
  case uniform
  /// λ(t_n) = 1/(t_{n+1} − t_n), as in iCT §3.3.
  case ict
}

/// The noise level at which the target network θ⁻ is evaluated.
public enum TargetNoiseLevel: String, Codable, Sendable, CaseIterable {
  /// f_θ⁻(x̂_{t_n}, t_n): CM Algorithms 2 and 3, and the original code.
  case currentSigmas
  /// f_θ⁻(x̂_{t_n}, t_{n+1}): `teacher_model(current_noisy_data, next_sigmas)` as the seed
  /// pseudocode writes it (a typo there; tutorial 10 measures what it would do).
  case nextSigmas
}

/// The configuration of one consistency-training run. One commented line per field; the paper's
/// value is given where the toy setting departs from it.
public struct TrainingConfig: Codable, Sendable, Equatable {
  public var dataset: Dataset = .ring8  // 2-D data; every dataset has per-coordinate std σ_data
  public var totalSteps: Int = 20_000  // K, the horizon of N(k) and μ(k) (CM CIFAR-10 CT: 800k)
  public var batchSize: Int = 256  // B (CM: 512 on CIFAR-10)
  public var learningRate: Double = 5e-4  // Adam step size η (CM CT: 4e-4)
  public var hiddenWidths: [Int] = [128, 128, 128]  // the MLP F_θ, SiLU between layers
  public var sigmaMin: Double = 0.002  // ε, where f_θ(x, ε) = x
  public var sigmaMax: Double = 80  // T, the largest noise level
  public var sigmaData: Double = 0.5  // σ_data, the data's per-coordinate std
  public var rho: Double = 7  // ρ of the Karras grid
  // N(k) and μ(k): CM CIFAR-10 CT uses s₀ = 2, s₁ = 150, μ₀ = 0.9 (paper form of μ)
  public var schedule: DiscretizationSchedule = .ctCurriculum(s0: 2, s1: 150, mu0: 0.9, variant: .paper)
  public var metric: DistanceMetric = .squaredL2  // d(·,·) (CM CT uses LPIPS on images; L2 here)
  public var weighting: LossWeighting = .uniform  // λ(t_n) (CM: 1)
  public var seed: UInt64 = 0  // seeds initialisation, data, pair indices and noise
  public var logEvery: Int = 1000  // one log line every this many steps
  // the noise level at which θ⁻ is evaluated: t_n as in the paper, or t_{n+1} as the seed's typo
  public var targetNoiseLevel: TargetNoiseLevel = .currentSigmas

  public init() {}

  /// A named preset.
  public static func preset(_ name: Preset) -> TrainingConfig {
    var config = TrainingConfig()
    switch name {
    case .tiny:
      config.totalSteps = 1_000
      config.hiddenWidths = [64, 64, 64]
      config.learningRate = 1e-3
      config.logEvery = 100
    case .default:
      break
    }
    return config
  }

  /// The named presets: `tiny` trains in seconds, `default` in about a minute on one core.
  public enum Preset: String, Codable, Sendable, CaseIterable {
    case tiny
    case `default`
  }
}
