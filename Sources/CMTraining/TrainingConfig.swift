// Everything a training run needs to know, in one struct, with named presets (STYLE.md rule 9).

import CMCore
import CMTeacher
import CMData

/// Which training algorithm a run uses.
public enum TrainingMethod: String, Codable, Sendable, CaseIterable {
  /// Consistency Training, CM Algorithm 3: x̂_{t_n} = x + t_n·z, no pre-trained model.
  case ct
  /// Consistency Distillation, CM Algorithm 2: x̂_{t_n} is one ODE-solver step of a frozen teacher.
  case cd
}

/// The noise level at which the target network θ⁻ is evaluated.
public enum TargetNoiseLevel: String, Codable, Sendable, CaseIterable {
  /// f_θ⁻(x̂_{t_n}, t_n): CM Algorithms 2 and 3, and the original code.
  case currentSigmas
  /// f_θ⁻(x̂_{t_n}, t_{n+1}): the whole target, scalings included, at t_{n+1}. One reading of the
  /// seed pseudocode's typo `teacher_model(current_noisy_data, next_sigmas)`; the literal reading
  /// keeps c_skip and c_out at t_n and passes t_{n+1} to the network only. Tutorial 10 trains
  /// both readings and measures what each does.
  case nextSigmas
}

/// The configuration of one consistency-training run: one commented line per field, with the
/// paper's value where the toy setting departs from it. `TrainingConfig()` is the `default`
/// preset.
///
/// Departures from CM's CIFAR-10 CT settings, each measured on ring8 with 30 000 steps
/// (2-step sliced W1, τ = 0.8, n = 2000; noise floor 0.029, Gaussian baseline 0.132):
/// - s₁ = 40 instead of 150: the toy problem has no fine detail that needs 151 grid points, and
///   the coarser grid propagates consistency from ε to T in fewer steps (SW1 0.072 vs 0.107 at
///   10 000 steps with s₁ = 150).
/// - pseudo-Huber d with iCT's weighting λ(t_n) = 1/(t_{n+1} − t_n) instead of squared L2 with
///   λ ≡ 1 (CM used LPIPS on images, which has no 2-D analogue): SW1 0.041 vs 0.072.
/// - K in the tens of thousands instead of 800 000, and an MLP instead of a U-Net.
public struct TrainingConfig: Codable, Sendable, Equatable {
  public var method: TrainingMethod = .ct  // CT (Algorithm 3) or CD (Algorithm 2, needs a teacher)
  public var dataset: Dataset = .ring8  // 2-D data; every dataset has per-coordinate std σ_data
  public var totalSteps: Int = 30_000  // K, the horizon of N(k) and μ(k) (CM CIFAR-10 CT: 800k)
  public var batchSize: Int = 256  // B (CM: 512 on CIFAR-10)
  public var learningRate: Double = 5e-4  // Adam step size η (CM CT: 4e-4)
  public var hiddenWidths: [Int] = [128, 128, 128]  // the MLP F_θ, SiLU between layers
  public var sigmaMin: Double = 0.002  // ε, where f_θ(x, ε) = x
  public var sigmaMax: Double = 80  // T, the largest noise level
  public var sigmaData: Double = 0.5  // σ_data, the data's per-coordinate std
  public var rho: Double = 7  // ρ of the Karras grid
  // N(k) and μ(k): s₀ = 2, μ₀ = 0.9 as CM CIFAR-10 CT (paper form of μ); s₁ = 40 (CM: 150)
  public var schedule: DiscretizationSchedule = .ctCurriculum(s0: 2, s1: 40, mu0: 0.9, variant: .paper)
  // d(·,·): iCT's pseudo-Huber with c = 0.00054·√2 (CM CT: LPIPS on images)
  public var metric: DistanceMetric = .pseudoHuber(c: pseudoHuberC(dimension: 2))
  public var weighting: LossWeighting = .ict  // λ(t_n) = 1/(t_{n+1} − t_n), iCT (CM: λ ≡ 1)
  public var seed: UInt64 = 0  // seeds initialisation, data, pair indices and noise
  public var logEvery: Int = 1000  // one log line every this many steps
  // the noise level at which θ⁻ is evaluated: t_n as in the paper, or t_{n+1} as the seed's typo
  public var targetNoiseLevel: TargetNoiseLevel = .currentSigmas
  // the decay of θ_ema, the slow EMA of θ that sampling uses (CM's code: 0.9999 over 800k steps)
  public var evaluationEMADecay: Double = 0.999
  // CD only: the teacher's one-step ODE solver (CM: Heun, as EDM)
  public var solver: ODESolver = .heun
  // CD only: start θ (and θ⁻) from the EDM teacher's weights, as CM does
  public var initializeFromTeacher: Bool = false

  public init() {}

  /// A named preset of CT (`method: .ct`) or CD (`method: .cd`). CD differs from CT only in
  /// what CM §6 fixes: a constant grid and a constant μ, with a teacher's Heun step making the
  /// target input. The preset mixes CM's two CD settings on purpose: N = 18 (its CIFAR-10 grid;
  /// ImageNet-64 used 40) with μ = 0.95 (its ImageNet-64 decay; CIFAR-10 used μ = 0, which
  /// `--mu 0` gives). On ring8 after 10 000 steps the two decays gave the same 1-step SW1 (0.045
  /// and 0.046, n = 2000) and μ = 0.95 the better 2-step SW1 (0.032 against 0.037).
  public static func preset(_ name: Preset, method: TrainingMethod = .ct) -> TrainingConfig {
    var config = TrainingConfig()
    if method == .cd {
      config.method = .cd
      config.schedule = .fixed(N: 18, mu: 0.95)
    }
    switch name {
    case .tiny:
      config.totalSteps = 2_000
      config.hiddenWidths = [64, 64, 64]
      config.learningRate = 1e-3
      config.logEvery = 200
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
