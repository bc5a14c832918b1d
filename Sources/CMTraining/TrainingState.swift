// Everything that changes during training, in one value: what a checkpoint saves.

import CMCore
import CMNetwork
import CMStorage
import CMTeacher

/// The state of a consistency-training run at step k: θ, θ⁻, the optimiser, the random source.
///
/// Seed pseudocode names: θ is `student_model_params`, θ⁻ is `teacher_model_params` (the paper's
/// target network, an EMA of θ — not a pre-trained teacher).
public struct TrainingState<Scalar: NetworkScalar>: Sendable, Codable, Equatable {
  /// The run's configuration (K, batch size, schedules, …).
  public let config: TrainingConfig
  /// f_θ's structure and scalings.
  public let model: ConsistencyModel<Scalar>
  /// k, the index of the next training step (`current_training_step`).
  public internal(set) var k: Int
  /// θ, the online network (`student_model_params`).
  public internal(set) var theta: [Scalar]
  /// θ⁻, the target network (`teacher_model_params`).
  public internal(set) var thetaMinus: [Scalar]
  /// θ_ema, a slow EMA of θ used for sampling and evaluation (CM's code keeps one beside θ⁻, its
  /// `ema_rate`); not part of Algorithms 2 and 3, which never read it.
  public internal(set) var thetaEMA: [Scalar]
  /// Adam's moments and step count.
  public internal(set) var optimizer: Adam<Scalar>
  /// The source of every random draw (data, pair indices, noise).
  public internal(set) var generator: SeededGenerator
  /// CD's frozen teacher φ (nil for CT). Not the seed's `teacher_model`, which is θ⁻.
  public let teacher: Teacher?

  /// A fresh run: θ initialised from `config.seed`, θ⁻ = θ, k = 0. The generator for data,
  /// indices and noise is seeded with `config.seed + 1`, so initialisation and training draws
  /// never share a stream.
  ///
  /// CD (`config.method == .cd`) needs a `teacher`; CT must not have one. With
  /// `config.initializeFromTeacher`, θ (and so θ⁻ and θ_ema) starts as the EDM teacher's
  /// weights, which must have the same hidden widths (`Teacher.initialWeights`). CT with
  /// `config.initializeFromTeacher` is consistency tuning: use `init(config:tuningFrom:)`.
  public init(config: TrainingConfig, teacher: Teacher? = nil, initialTheta: [Scalar]? = nil) {
    precondition(
      (config.method == .cd) == (teacher != nil), "TrainingState: CD needs a teacher and CT has none")
    precondition(
      config.method == .cd || !config.initializeFromTeacher || initialTheta != nil,
      "TrainingState: CT from the teacher's weights needs them: use init(config:tuningFrom:)")
    self.teacher = teacher
    self.config = config
    model = ConsistencyModel(
      dimension: 2, hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData,
      sigmaMin: config.sigmaMin)
    var fromTeacher: [Scalar]? = nil
    if config.initializeFromTeacher && config.method == .cd {
      guard let weights = teacher?.initialWeights(hiddenWidths: config.hiddenWidths) else {
        preconditionFailure("TrainingState: initializeFromTeacher needs an EDM teacher of the same widths")
      }
      fromTeacher = weights.map { Scalar($0) }
    }
    let theta = initialTheta ?? fromTeacher ?? model.network.initialParameters(seed: config.seed)
    precondition(theta.count == model.network.parameterCount, "TrainingState: θ has the wrong length")
    self.theta = theta
    thetaMinus = theta
    thetaEMA = theta
    optimizer = Adam(parameterCount: theta.count, learningRate: config.learningRate)
    generator = SeededGenerator(seed: config.seed &+ 1)
    k = 0
  }

  /// **Consistency tuning**: a CT run (`config.method == .ct`, `config.initializeFromTeacher`)
  /// whose θ, θ⁻ and θ_ema start as the pre-trained EDM teacher's weights instead of a random
  /// initialisation: the CT counterpart of CD's initialisation from its teacher (CM §6). The
  /// teacher is used for θ₀ only; CT never evaluates it, and the state does not keep it. Returns
  /// nil when the teacher's hidden widths differ from `config.hiddenWidths`.
  ///
  /// The EDM network F_φ and the consistency model's F_θ have the same inputs
  /// [c_in·x, c_noise] and outputs; only the boundary scalings around them differ (c_skip, c_out
  /// shifted by ε in f_θ), so f_θ starts close to the teacher's denoiser D_φ, which is what the
  /// consistency function is at small t.
  public init?(config: TrainingConfig, tuningFrom teacher: EDMTeacher) {
    precondition(
      config.method == .ct && config.initializeFromTeacher,
      "TrainingState: consistency tuning is CT with initializeFromTeacher")
    guard let weights = Teacher.edm(teacher).initialWeights(hiddenWidths: config.hiddenWidths) else {
      return nil
    }
    self.init(config: config, initialTheta: weights.map { Scalar($0) })
  }

  /// Buffers reused from step to step (not part of the state: rebuilt after a resume). A step
  /// refills them in place (StepBuffers.swift), so that after the first step a CT or CD step
  /// allocates nothing.
  public struct Buffers: Sendable {
    var online: ConsistencyModel<Scalar>.Workspace
    var target: ConsistencyModel<Scalar>.Workspace
    var gradient: [Scalar] = []
    /// The Karras grid of the last step's N (`sigmas`): N = sigmas.count.
    var sigmas: [Double] = []
    /// The pair indices n (`timesteps`) and the noise z (`noise`).
    var pairIndices: [Int] = []
    /// iCT's lognormal pair probabilities on the grid of the last lognormal step's N, as running
    /// sums p(0), p(0) + p(1), … (N − 1 of them).
    var pairCumulative: [Double] = []
    var noise: [Double] = []
    /// x_{t_{n+1}} (`next_noisy_data`) and x̂_{t_n} (`current_noisy_data`).
    var nextNoisyData: [Double] = []
    var currentNoisyData: [Double] = []
    /// t_n and t_{n+1} of each row, for the loss.
    var tN: [Double] = []
    var tNPlus1: [Double] = []
    /// t_{n+1} and t_n of each row for CD's ODE-solver step, and the solver's scratch.
    var solverFrom: [Double] = []
    var solverTo: [Double] = []
    var solverScratch = SolverScratch()
    /// ∂L/∂f_θ (B × D).
    var outputGradient: [Double] = []
  }

  /// Buffers for this run's batch size, with room for the largest grid the schedule reaches.
  public func makeBuffers() -> Buffers {
    var buffers = Buffers(
      online: model.makeWorkspace(batchSize: config.batchSize),
      target: model.makeWorkspace(batchSize: config.batchSize))
    let K = config.totalSteps
    // Room for the run's largest grid and its pair sums: a growing curriculum then reallocates
    // neither in a later step.
    let largest = max(config.schedule.N(k: 0, K: K), config.schedule.N(k: K, K: K)) + 1
    buffers.sigmas.reserveCapacity(largest)
    buffers.pairCumulative.reserveCapacity(largest)
    return buffers
  }
}

/// What one training step reports: one line of the log.
public struct StepRecord: Sendable, Codable, Equatable {
  /// k, the step just taken.
  public var k: Int
  /// N(k), the grid size used.
  public var N: Int
  /// μ(k), the target decay used.
  public var mu: Double
  /// The batch loss (1/B) Σ_b λ(t_n) d(f_θ(x_{t_{n+1}}), f_θ⁻(x̂_{t_n})).
  public var loss: Double

  /// A record of step k: the grid size, the target decay and the batch loss it used.
  public init(k: Int, N: Int, mu: Double, loss: Double) {
    self.k = k
    self.N = N
    self.mu = mu
    self.loss = loss
  }
}
