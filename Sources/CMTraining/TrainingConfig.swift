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
/// paper's value where the toy setting departs from it. `TrainingConfig()` holds CM's CT with the
/// toy's measured departures below; the `default` and `tiny` presets train CT as iCT does
/// (`apply(.ict)`), the setting that measured best (see `preset(_:method:)`).
///
/// Departures of `TrainingConfig()` from CM's CIFAR-10 CT settings, each measured on ring8 with
/// 30 000 steps (2-step sliced W1, τ = 0.8, n = 2000; noise floor 0.029, Gaussian baseline 0.132):
/// - s₁ = 40 instead of 150: the toy problem has no fine detail that needs 151 grid points, and
///   the coarser grid propagates consistency from ε to T in fewer steps (SW1 0.072 vs 0.107 at
///   10 000 steps with s₁ = 150).
/// - pseudo-Huber d with iCT's weighting λ(t_n) = 1/(t_{n+1} − t_n) instead of squared L2 with
///   λ ≡ 1 (CM used LPIPS on images, which has no 2-D analogue): SW1 0.041 vs 0.072.
/// - K in the tens of thousands instead of 800 000, and an MLP instead of a U-Net.
public struct TrainingConfig: Codable, Sendable, Equatable {
  /// CT (Algorithm 3) or CD (Algorithm 2, needs a teacher).
  public var method: TrainingMethod = .ct
  /// 2-D data; every dataset has per-coordinate std σ_data.
  public var dataset: Dataset = .ring8
  /// K, the horizon of N(k) and μ(k) (CM CIFAR-10 CT: 800k).
  public var totalSteps: Int = 30_000
  /// B (CM: 512 on CIFAR-10).
  public var batchSize: Int = 256
  /// Adam step size η (CM CT: 4e-4).
  public var learningRate: Double = 5e-4
  /// The MLP F_θ, SiLU between layers.
  public var hiddenWidths: [Int] = [128, 128, 128]
  /// ε, where f_θ(x, ε) = x.
  public var sigmaMin: Double = 0.002
  /// T, the largest noise level.
  public var sigmaMax: Double = 80
  /// σ_data, the data's per-coordinate std.
  public var sigmaData: Double = 0.5
  /// ρ of the Karras grid.
  public var rho: Double = 7
  /// N(k) and μ(k): s₀ = 2, μ₀ = 0.9 as CM CIFAR-10 CT (paper form of μ); s₁ = 40 (CM: 150).
  public var schedule: DiscretizationSchedule = .ctCurriculum(s0: 2, s1: 40, mu0: 0.9, variant: .paper)
  /// d(·,·): iCT's pseudo-Huber with c = 0.00054·√2 (CM CT: LPIPS on images).
  public var metric: DistanceMetric = .pseudoHuber(c: pseudoHuberC(dimension: 2))
  /// λ(t_n) = 1/(t_{n+1} − t_n), iCT §3.1 (CM: λ ≡ 1).
  public var weighting: LossWeighting = .ict
  /// n ~ U{0, …, N − 2} as CM (iCT §3.5: lognormal).
  public var pairSampling: PairSampling = .uniform
  /// Seeds initialisation, data, pair indices and noise.
  public var seed: UInt64 = 0
  /// One log line every this many steps.
  public var logEvery: Int = 1000
  /// The noise level at which θ⁻ is evaluated: t_n as in the paper, or t_{n+1} as the seed's typo.
  public var targetNoiseLevel: TargetNoiseLevel = .currentSigmas
  /// The decay of θ_ema, the slow EMA of θ that sampling uses (CM's code: 0.9999 over 800k steps).
  public var evaluationEMADecay: Double = 0.999
  /// CD only: the teacher's one-step ODE solver (CM: Heun, as EDM).
  public var solver: ODESolver = .heun
  /// Start θ (and θ⁻) from the EDM teacher's weights: CD as CM does; for CT, consistency tuning.
  public var initializeFromTeacher: Bool = false

  /// CM's CT with the toy's measured departures: every field at the value above (the `default`
  /// preset of CD; CT's `default` preset applies iCT on top, see `preset(_:method:)`).
  public init() {}

  /// A named preset of CT (`method: .ct`) or CD (`method: .cd`). CD differs from CT only in
  /// what CM §6 fixes: a constant grid and a constant μ, with a teacher's Heun step making the
  /// target input. The preset mixes CM's two CD settings on purpose: N = 18 (its CIFAR-10 grid;
  /// ImageNet-64 used 40) with μ = 0.95 (its ImageNet-64 decay; CIFAR-10 used μ = 0, which
  /// `--mu 0` gives). On ring8 after 10 000 steps the two decays gave the same 1-step SW1 (0.045
  /// and 0.046, n = 2000) and μ = 0.95 the better 2-step SW1 (0.032 against 0.037).
  ///
  /// `cm` and `ict` set the five options that iCT changes, every one at CM's value or every one
  /// at iCT's (`apply(_:)`); the size (K, B, η, widths) stays the default's.
  ///
  /// The toy default for CT (`default`, and `tiny`, its small version) is iCT: on ring8 it
  /// measured better than `TrainingConfig()`'s mix (pseudo-Huber, λ = 1/Δt, uniform pairs, √
  /// curriculum with s₁ = 40, EMA target) on every one of 3 seeds, at 5000 steps (1-step SW1
  /// 0.061 ± 0.004 against 0.073 ± 0.002) and at 30 000 (0.039 ± 0.001 against 0.043 ± 0.002;
  /// `cm compare --variants ct-mix,ict`, README "iCT, one change at a time"). This is a
  /// departure from CM, whose CT the `cm` preset gives. The distance, the weighting and the pair sampling apply to CD as well; the
  /// curriculum and the target decay are CT's (CD keeps its constant N and μ).
  public static func preset(_ name: Preset, method: TrainingMethod = .ct) -> TrainingConfig {
    var config = TrainingConfig()
    if method == .cd {
      config.method = .cd
      config.schedule = .fixed(N: 18, mu: 0.95)
    }
    switch name {
    case .tiny:
      if method == .ct { config.apply(.ict) }
      config.totalSteps = 2_000
      config.hiddenWidths = [64, 64, 64]
      config.learningRate = 1e-3
      config.logEvery = 200
    case .default:
      if method == .ct { config.apply(.ict) }
    case .cm:
      config.apply(.cm)
    case .ict:
      config.apply(.ict)
    }
    return config
  }

  /// The named presets: `tiny` trains in seconds, `default` in about a minute on one core; `cm`
  /// is CM's CT (every iCT option at CM's value), `ict` improved consistency training (every
  /// option at iCT's value).
  public enum Preset: String, Codable, Sendable, CaseIterable {
    /// `default` at 2000 steps of a 64-wide MLP: seconds, for tests.
    case tiny
    /// The toy's setting: for CT, iCT (`apply(.ict)`) on `TrainingConfig()`; for CD,
    /// `TrainingConfig()` with N = 18 and μ = 0.95.
    case `default`
    /// CM's CT: every iCT option at CM's value (`apply(.cm)`), with s₁ = 150.
    case cm
    /// Improved consistency training: every iCT option at iCT's value (`apply(.ict)`).
    case ict
  }
}

/// The five changes of improved consistency training (Song & Dhariwal 2024, iCT), each one its
/// own option of `TrainingConfig`, with CM's value and iCT's:
///
/// ```
/// option          CM (2023)                       iCT (2024)
/// weighting       λ ≡ 1                           λ = 1/(t_{n+1} − t_n)          §3.1
/// target          θ⁻ = EMA of θ, μ(k)             μ = 0: θ⁻ = stopgrad θ         §3.2
/// distance        squared L2 (LPIPS on images)    pseudo-Huber, c = 0.00054·√D   §3.3
/// curriculum      N(k) √-growth, s₀ = 2, s₁ = 150 exponential, s₀ = 10, s₁ = 1280 §3.4
/// pairs           n ~ U{0, …, N − 2}              lognormal, P_mean = −1.1, P_std = 2 §3.5
/// ```
///
/// (The network changes of iCT §3.1, Fourier noise embeddings and dropout, have no counterpart
/// in this MLP.) `ICTOption.allCases` lists them in the paper's order, the order in which
/// `cm compare --ablation` adds them to CM's CT.
public enum ICTOption: String, Codable, Sendable, CaseIterable {
  /// The loss weighting λ(t_n): 1 (CM) or 1/(t_{n+1} − t_n) (iCT §3.1).
  case weighting
  /// The target network θ⁻: an EMA of θ (CM) or θ itself, μ = 0 (iCT §3.2).
  case target
  /// The distance d: squared L2 (the toy's stand-in for CM's LPIPS) or pseudo-Huber (iCT §3.3).
  case distance
  /// The curriculum N(k): CM's √ growth or iCT's doubling (iCT §3.4).
  case curriculum
  /// The pair index n: uniform (CM) or discretised lognormal (iCT §3.5).
  case pairs

  /// Where iCT introduces the change.
  public var section: String {
    switch self {
    case .weighting: return "iCT §3.1"
    case .target: return "iCT §3.2"
    case .distance: return "iCT §3.3"
    case .curriculum: return "iCT §3.4"
    case .pairs: return "iCT §3.5"
    }
  }
}

/// Which paper's value every `ICTOption` takes.
public enum ICTSetting: String, Codable, Sendable, CaseIterable {
  /// CM's CT.
  case cm
  /// iCT.
  case ict
}

extension TrainingConfig {
  /// Sets one iCT option to CM's or iCT's value (see `ICTOption`). The curriculum and the target
  /// change only a CT schedule; the target keeps the curriculum, the curriculum keeps the target.
  public mutating func set(_ option: ICTOption, to setting: ICTSetting) {
    let ict = setting == .ict
    switch option {
    case .weighting: weighting = ict ? .ict : .uniform
    case .distance: metric = ict ? .pseudoHuber(c: pseudoHuberC(dimension: 2)) : .squaredL2
    case .pairs: pairSampling = ict ? .ict : .uniform
    case .target:
      let mu0 = ict ? 0 : 0.9
      switch schedule {
      case .ctCurriculum(let s0, let s1, _, let variant):
        schedule = .ctCurriculum(s0: s0, s1: s1, mu0: mu0, variant: variant)
      case .ictCurriculum(let s0, let s1, _): schedule = .ictCurriculum(s0: s0, s1: s1, mu0: mu0)
      case .fixed: break
      }
    case .curriculum:
      switch schedule {
      case .ctCurriculum(_, _, let mu0, _) where ict: schedule = .ictCurriculum(s0: 10, s1: 1280, mu0: mu0)
      case .ictCurriculum(_, _, let mu0) where !ict:
        schedule = .ctCurriculum(s0: 2, s1: 150, mu0: mu0, variant: .paper)
      default: break
      }
    }
  }

  /// Sets every iCT option to one paper's value: CM's CT (with CM's s₁ = 150) or iCT.
  public mutating func apply(_ setting: ICTSetting) {
    if case .ctCurriculum(_, _, let mu0, _) = schedule, setting == .cm {
      schedule = .ctCurriculum(s0: 2, s1: 150, mu0: mu0, variant: .paper)
    }
    for option in ICTOption.allCases { set(option, to: setting) }
  }

  /// The setting of one iCT option in this config: CM's or iCT's value, or nil when it is
  /// neither (L1, another P_mean, another μ₀, CD's fixed schedule, …).
  public func setting(of option: ICTOption) -> ICTSetting? {
    switch (option, schedule) {
    case (.weighting, _): return weighting == .ict ? .ict : .cm
    case (.distance, _):
      if metric == .squaredL2 { return .cm }
      return metric == .pseudoHuber(c: pseudoHuberC(dimension: 2)) ? .ict : nil
    case (.pairs, _): return pairSampling == .uniform ? .cm : (pairSampling == .ict ? .ict : nil)
    case (.target, .ctCurriculum(_, _, let mu0, _)), (.target, .ictCurriculum(_, _, let mu0)):
      return mu0 == 0 ? .ict : (mu0 == 0.9 ? .cm : nil)
    case (.curriculum, .ctCurriculum): return .cm
    case (.curriculum, .ictCurriculum): return .ict
    case (_, .fixed): return nil
    }
  }
}

extension TrainingConfig {
  /// Decodes a config, giving a field that older checkpoints (format version 2, written before
  /// the field existed) lack the value those runs used: `pairSampling` = `.uniform`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    method = try c.decode(TrainingMethod.self, forKey: .method)
    dataset = try c.decode(Dataset.self, forKey: .dataset)
    totalSteps = try c.decode(Int.self, forKey: .totalSteps)
    batchSize = try c.decode(Int.self, forKey: .batchSize)
    learningRate = try c.decode(Double.self, forKey: .learningRate)
    hiddenWidths = try c.decode([Int].self, forKey: .hiddenWidths)
    sigmaMin = try c.decode(Double.self, forKey: .sigmaMin)
    sigmaMax = try c.decode(Double.self, forKey: .sigmaMax)
    sigmaData = try c.decode(Double.self, forKey: .sigmaData)
    rho = try c.decode(Double.self, forKey: .rho)
    schedule = try c.decode(DiscretizationSchedule.self, forKey: .schedule)
    metric = try c.decode(DistanceMetric.self, forKey: .metric)
    weighting = try c.decode(LossWeighting.self, forKey: .weighting)
    pairSampling = try c.decodeIfPresent(PairSampling.self, forKey: .pairSampling) ?? .uniform
    seed = try c.decode(UInt64.self, forKey: .seed)
    logEvery = try c.decode(Int.self, forKey: .logEvery)
    targetNoiseLevel = try c.decode(TargetNoiseLevel.self, forKey: .targetNoiseLevel)
    evaluationEMADecay = try c.decode(Double.self, forKey: .evaluationEMADecay)
    solver = try c.decode(ODESolver.self, forKey: .solver)
    initializeFromTeacher = try c.decode(Bool.self, forKey: .initializeFromTeacher)
  }
}
