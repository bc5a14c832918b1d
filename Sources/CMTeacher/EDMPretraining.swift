// Pre-training the EDM diffusion teacher D_θ that Consistency Distillation distils: the config,
// the state, one step of EDM's loss line by line, and the training loop.
//
// EDM (training/loss.py, EDMLoss.__call__):
//   rnd_normal = torch.randn([images.shape[0], 1, 1, 1], device=images.device)
//   sigma = (rnd_normal * self.P_std + self.P_mean).exp()
//   weight = (sigma ** 2 + self.sigma_data ** 2) / (sigma * self.sigma_data) ** 2
//   n = torch.randn_like(y) * sigma
//   D_yn = net(y + n, sigma, labels, augment_labels=augment_labels)
//   loss = weight * ((D_yn - y) ** 2)

import CMCore
import CMData
import CMNetwork
import Foundation

/// The configuration of one EDM pre-training run: one commented line per field, with EDM's value
/// where the toy setting departs from it. `EDMPretrainingConfig()` is the `default` preset.
///
/// Measured on ring8 (release build, one core; 18-step Heun samples, n = 2000, sample seeds
/// 0, 1, 2, sliced W1 against reference seed 0; noise floor 0.029, Gaussian baseline 0.132):
///
/// | run                       | time  | SW1, θ_EMA            | SW1, θ                |
/// |---------------------------|-------|-----------------------|-----------------------|
/// | exact mixture denoiser    |       | 0.026, 0.033, 0.034   |                       |
/// | default, K = 5 000        | ≈ 5 s | 0.024, 0.031, 0.033   | 0.031, 0.035, 0.031   |
/// | default, K = 10 000       | 10 s  | 0.027, 0.034, 0.036   | 0.043, 0.052, 0.053   |
/// | default, K = 20 000       | 20 s  | 0.028, 0.034, 0.035   | 0.024, 0.033, 0.036   |
/// | tiny, K = 1 000           | 0.4 s | 0.054, 0.057, 0.057   | 0.055, 0.058, 0.058   |
///
/// So the default teacher is as good as the exact denoiser under the same sampler (what is left
/// above the noise floor is the 18-step discretisation). Departures from EDM's CIFAR-10 setting:
/// a learning rate of 2e-3 (at K = 5 000, 1e-3 gave 0.028, 0.036, 0.037, a little behind; 3e-3
/// gave 0.021, 0.029, 0.031, within the noise, and was mixed on moons, spiral and checkerboard),
/// and an EMA half-life of 500 steps instead of 977, with EDM's ramp-up. The ramp-up matters in short runs (training seed 1, K = 5 000: 0.031, 0.037, 0.038
/// against 0.034, 0.040, 0.041 with a fixed β = 0.999), and the EMA in long ones (K = 10 000
/// above, where θ alone is at 0.05).
public struct EDMPretrainingConfig: Codable, Sendable, Equatable {
  /// 2-D data; every dataset has per-coordinate std σ_data.
  public var dataset: Dataset = .ring8
  /// K, the run's length (EDM CIFAR-10: 200 Mimg ≈ 390k steps).
  public var totalSteps: Int = 5_000
  /// B (EDM CIFAR-10: 512).
  public var batchSize: Int = 256
  /// Adam step size (EDM CIFAR-10: 1e-3).
  public var learningRate: Double = 2e-3
  /// The MLP F_θ, SiLU between layers.
  public var hiddenWidths: [Int] = [128, 128, 128]
  /// σ_data, the data's per-coordinate std.
  public var sigmaData: Double = 0.5
  /// P_mean, the mean of ln σ (EDM Table 1).
  public var pMean: Double = -1.2
  /// P_std, the std of ln σ (EDM Table 1).
  public var pStd: Double = 1.2
  /// Half-life in steps of the EMA of θ (EDM CIFAR-10: 500 kimg ≈ 977 steps).
  public var emaHalfLife: Double = 500
  /// The half-life is at most this fraction of k (EDM: ema_rampup_ratio 0.05).
  public var emaRampUp: Double = 0.05
  /// Seeds initialisation, data, σ and noise.
  public var seed: UInt64 = 0
  /// One log line every this many steps.
  public var logEvery: Int = 1000

  /// The `default` preset.
  public init() {}

  /// β(k), the decay of the EMA of θ after step k, with EDM's ramp-up (training/training_loop.py):
  /// the half-life is H steps, but at most r·k, so early on the EMA forgets the random
  /// initialisation quickly.
  ///
  /// ```
  /// h(k) = min(H, r·k),   β(k) = 0.5^(1 / h(k))        (β(0) = 0: θ_EMA starts as θ₁)
  /// ```
  ///
  /// Worked number: H = 500, r = 0.05 give β(2000) = 0.5^(1/100) = 0.99309249… and
  /// β(k) = 0.5^(1/500) = 0.99861466… for k ≥ 10 000.
  public func emaBeta(k: Int) -> Double {
    // ema_halflife_nimg = min(ema_halflife_nimg, cur_nimg * ema_rampup_ratio)
    let halfLife = min(emaHalfLife, Double(k) * emaRampUp)
    // ema_beta = 0.5 ** (batch_size / max(ema_halflife_nimg, 1e-8))
    return pow(0.5, 1 / max(halfLife, 1e-8))
  }

  /// A named preset.
  public static func preset(_ name: Preset) -> EDMPretrainingConfig {
    var config = EDMPretrainingConfig()
    switch name {
    case .tiny:
      config.totalSteps = 1_000
      config.hiddenWidths = [64, 64, 64]
      config.logEvery = 100
    case .default:
      break
    }
    return config
  }

  /// The named presets: `tiny` trains in a second or two, `default` in well under a minute.
  public enum Preset: String, Codable, Sendable, CaseIterable {
    /// 1000 steps of a 64-wide MLP: a second or two, for tests.
    case tiny
    /// 5000 steps of a 128-wide MLP: as good as the exact denoiser under the 18-step sampler.
    case `default`
  }
}

/// The state of an EDM pre-training run at step k: θ, its EMA, the optimiser, the random source.
public struct EDMPretrainingState<Scalar: NetworkScalar>: Sendable, Codable, Equatable {
  /// The run's configuration.
  public let config: EDMPretrainingConfig
  /// D_θ's structure and scalings.
  public let model: DiffusionModel<Scalar>
  /// k, the index of the next training step.
  public internal(set) var k: Int
  /// θ, the parameters Adam trains.
  public internal(set) var theta: [Scalar]
  /// θ_EMA ← β·θ_EMA + (1 − β)·θ after every step: the parameters the teacher samples with.
  public internal(set) var thetaEMA: [Scalar]
  /// Adam's moments and step count.
  public internal(set) var optimizer: Adam<Scalar>
  /// The source of every random draw (data, σ, noise).
  public internal(set) var generator: SeededGenerator

  /// A fresh run: θ initialised from `config.seed`, θ_EMA = θ, k = 0. The generator for data, σ
  /// and noise is seeded with `config.seed + 1`, as in consistency training.
  public init(config: EDMPretrainingConfig, initialTheta: [Scalar]? = nil) {
    self.config = config
    model = DiffusionModel(dimension: 2, hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData)
    let theta = initialTheta ?? model.network.initialParameters(seed: config.seed)
    precondition(
      theta.count == model.network.parameterCount, "EDMPretrainingState: θ has the wrong length")
    self.theta = theta
    thetaEMA = theta
    optimizer = Adam(parameterCount: theta.count, learningRate: config.learningRate)
    generator = SeededGenerator(seed: config.seed &+ 1)
    k = 0
  }

  /// Buffers reused from step to step (not part of the state: rebuilt after a resume).
  public struct Buffers: Sendable {
    var workspace: DiffusionModel<Scalar>.Workspace
    var gradient: [Scalar] = []
  }

  /// Buffers for this run's batch size.
  public func makeBuffers() -> Buffers {
    Buffers(workspace: model.makeWorkspace(batchSize: config.batchSize))
  }
}

/// What one pre-training step reports: one line of the log.
public struct EDMStepRecord: Sendable, Codable, Equatable {
  /// k, the step just taken.
  public var k: Int
  /// The batch loss (1/B) Σ_b λ(σ_b)·‖D_θ(y_b + n_b, σ_b) − y_b‖².
  public var loss: Double

  /// A record of step k's loss.
  public init(k: Int, loss: Double) {
    self.k = k
    self.loss = loss
  }
}

extension EDMPretrainingState {
  /// One training step of EDM's denoising score matching loss (EDM Eq. 2 and 8, `EDMLoss`) on the
  /// clean batch y (B × D, row-major), drawing σ and the noise from the state's generator.
  ///
  /// ```
  /// rnd_normal ~ N(0, 1);   σ = exp(P_std·rnd_normal + P_mean);   λ(σ) = (σ² + σ_data²)/(σ·σ_data)²
  /// n = σ·z,  z ~ N(0, I)
  /// L(θ) = (1/B) Σ_b λ(σ_b)·‖D_θ(y_b + n_b, σ_b) − y_b‖²
  /// θ ← θ − η·Adam(∇_θ L);   θ_EMA ← β·θ_EMA + (1 − β)·θ
  /// ```
  ///
  /// Through c_out the weighted loss is the plain ‖F_θ − F*‖² (λ·c_out² = 1, `edmLossWeight`).
  public mutating func edmStep(
    data y: [Double], buffers: inout Buffers, trace: TraceHook<EDMStepValue>? = nil
  )
    -> EDMStepRecord
  {
    let D = model.dimension
    let B = y.count / D
    // rnd_normal = torch.randn([images.shape[0], 1, 1, 1])
    let rnd_normal = generator.gaussians(count: B)
    trace?(.rndNormal, rnd_normal)
    // sigma = (rnd_normal * self.P_std + self.P_mean).exp()
    let (P_mean, P_std) = (config.pMean, config.pStd)
    let sigma = rnd_normal.map { edmTrainingSigma(rndNormal: $0, pMean: P_mean, pStd: P_std) }
    trace?(.sigma, sigma)
    // weight = (sigma ** 2 + self.sigma_data ** 2) / (sigma * self.sigma_data) ** 2
    let weight = sigma.map { edmLossWeight(sigma: $0, sigmaData: config.sigmaData) }
    trace?(.weight, weight)
    // n = torch.randn_like(y) * sigma
    let z = generator.gaussians(count: y.count)
    let n = (0..<y.count).map { i in z[i] * sigma[i / D] }
    trace?(.n, n)
    // D_yn = net(y + n, sigma)
    let yn = (0..<y.count).map { i in y[i] + n[i] }
    let D_yn = model(parameters: theta, x: yn, sigma: sigma, workspace: &buffers.workspace)
    trace?(.dYN, D_yn)
    // loss = weight * ((D_yn - y) ** 2), summed over coordinates, averaged over the batch
    var loss = 0.0
    var dLdD = [Double](repeating: 0, count: y.count)
    for b in 0..<B {
      for i in 0..<D {
        let residual = D_yn[b * D + i] - y[b * D + i]
        loss += weight[b] * residual * residual / Double(B)
        // loss.backward(), first link: ∂L/∂D_yn = 2·weight·(D_yn − y)/B
        dLdD[b * D + i] = 2 * weight[b] * residual / Double(B)
      }
    }
    trace?(.loss, [loss])
    // loss.backward(): through c_out and F_θ to ∂L/∂θ
    model.backward(
      parameters: theta, outputGradient: dLdD, gradient: &buffers.gradient,
      workspace: &buffers.workspace)
    trace?(.gradTheta, buffers.gradient.map { Double($0) })
    // optimizer.step(): θ ← θ − η·Adam(∇_θ L)
    optimizer.update(parameters: &theta, gradient: buffers.gradient)
    trace?(.theta, theta.map { Double($0) })
    // ema_beta = 0.5 ** (batch_size / max(ema_halflife_nimg, 1e-8))
    let emaBeta = config.emaBeta(k: k)
    trace?(.emaBeta, [emaBeta])
    // p_ema.copy_(p_net.detach().lerp(p_ema, ema_beta)): θ_EMA ← β·θ_EMA + (1 − β)·θ
    updateTarget(thetaMinus: &thetaEMA, theta: theta, mu: emaBeta)
    trace?(.thetaEMA, thetaEMA.map { Double($0) })
    let record = EDMStepRecord(k: k, loss: loss)
    k += 1
    return record
  }

  /// Runs `steps` steps of EDM pre-training from the current k, calling `onStep` after each.
  ///
  /// ```
  /// for k in k₀ ..< k₀ + steps:
  ///     y ~ p_data, B points
  ///     edmStep(y)
  /// ```
  ///
  /// Every draw comes from the state's generator, so a run split in two (with a checkpoint in
  /// between) gives bit for bit the same θ, θ_EMA and optimiser state as the run in one go.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func trainEDM(steps: Int, onStep: (EDMStepRecord) -> Void = { _ in }) {
    trainEDM(steps: steps, stoppingWhen: { false }, onStep: onStep)
  }

  /// `trainEDM(steps:onStep:)` that stops after a step for which `stop` returns true (the run
  /// driver's interruption and divergence checks).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func trainEDM(
    steps: Int, stoppingWhen stop: () -> Bool, onStep: (EDMStepRecord) -> Void
  ) {
    var buffers = makeBuffers()
    for _ in 0..<steps {
      // images = next(dataset_iterator)
      let y = config.dataset.sample(count: config.batchSize, using: &generator)
      onStep(edmStep(data: y, buffers: &buffers))
      if stop() { return }
    }
  }
}

extension EDMTeacher {
  /// The teacher D_φ of a pre-training run: its network with φ = θ_EMA.
  public init(state: EDMPretrainingState<Float>) {
    self.init(model: state.model, parameters: state.thetaEMA)
  }
}

/// The one-line log of pre-training: `k 1200  loss 0.0831`.
public enum EDMPretrainingLog {
  /// One log line after step k (1-based: the steps done); the loss is the interval's mean.
  public static func line(k: Int, loss: Double) -> String {
    "k \(k)  loss \(format(loss, digits: 4, scientific: loss < 1e-3))"
  }
}
