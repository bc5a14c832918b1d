// CD against CT on equal terms: the budgets of `cm compare`, and training with a learning curve.
//
// Not in the seed pseudocode or the paper's algorithms: this is the experiment that answers the
// seed's question by measurement. Every run starts from the same seed (so the same θ₀ and the
// same data, index and noise streams), trains for the same number of steps, and is scored by the
// same sample-quality probe.

import CMCore
import CMData
import CMMetrics
import CMTeacher
import CMNetwork
import CMTraining
import CMNetwork
import Foundation

/// How long `cm compare` trains and how many samples it scores: one named budget for every run.
public struct ComparisonBudget: Codable, Sendable, Equatable {
  /// The budget's name (`Name.rawValue`).
  public var name: String
  /// K: training steps of CT, CD-oracle and CD-EDM alike.
  public var steps: Int
  /// Pre-training steps of the EDM teacher.
  public var teacherSteps: Int
  /// F_θ of every network, the teacher's included.
  public var hiddenWidths: [Int]
  /// B, the batch size.
  public var batchSize: Int
  /// Adam's η for the consistency models.
  public var learningRate: Double
  /// How many points each learning curve has.
  public var curvePoints: Int
  /// Samples per curve point (and its reference sample).
  public var curveSampleCount: Int
  /// Samples in the scatter plots and the final scores.
  public var finalSampleCount: Int
  /// Points per σ in the consistency error.
  public var consistencySampleCount: Int

  /// The τ search's scan points (`tuneSamplingTaus`'s `gridPoints`): 9, as `cm tune-tau`; `tiny`
  /// scans 5, which keeps the tests' comparisons to seconds.
  public var tauSearchGridPoints: Int { name == Name.tiny.rawValue ? 5 : 9 }
  /// The τ search's golden-section steps after the scan: 16, as `cm tune-tau`; 4 in `tiny`.
  public var tauSearchGoldenSteps: Int { name == Name.tiny.rawValue ? 4 : 16 }

  /// The budgets by name: `tiny` for tests (seconds, even in a debug build), `default` for the
  /// README's main command (46 s on one core, release build), `full` for the README's numbers
  /// (165 s with other jobs beside it), `ablation` for `cm compare --ablation`, whose 18 runs (6
  /// variants × 3 seeds) it keeps to a few minutes.
  public static func named(_ name: Name) -> ComparisonBudget {
    switch name {
    case .ablation:
      return ComparisonBudget(
        name: name.rawValue, steps: 5_000, teacherSteps: 5_000, hiddenWidths: [128, 128, 128],
        batchSize: 256, learningRate: 5e-4, curvePoints: 5, curveSampleCount: 1_000,
        finalSampleCount: 4_000, consistencySampleCount: 200)
    case .tiny:
      return ComparisonBudget(
        name: name.rawValue, steps: 200, teacherSteps: 200, hiddenWidths: [32, 32], batchSize: 64,
        learningRate: 1e-3, curvePoints: 2, curveSampleCount: 200, finalSampleCount: 300,
        consistencySampleCount: 20)
    case .default:
      return ComparisonBudget(
        name: name.rawValue, steps: 10_000, teacherSteps: 10_000, hiddenWidths: [128, 128, 128],
        batchSize: 256, learningRate: 5e-4, curvePoints: 10, curveSampleCount: 2_000,
        finalSampleCount: 4_000, consistencySampleCount: 500)
    case .full:
      return ComparisonBudget(
        name: name.rawValue, steps: 30_000, teacherSteps: 30_000, hiddenWidths: [128, 128, 128],
        batchSize: 256, learningRate: 5e-4, curvePoints: 15, curveSampleCount: 4_000,
        finalSampleCount: 4_000, consistencySampleCount: 1_000)
    }
  }

  /// The budget names of `cm compare --budget`.
  public enum Name: String, Codable, Sendable, CaseIterable {
    /// 200 steps of a 32-wide MLP: seconds, even in a debug build (for tests).
    case tiny
    /// 10 000 steps: the README's main command.
    case `default`
    /// 30 000 steps: the README's numbers.
    case full
    /// 5000 steps: `cm compare --ablation`'s runs.
    case ablation
  }

  /// The training configuration of one consistency run under this budget: the method's default
  /// preset (CT as iCT: exponential curriculum, μ = 0, lognormal pairs; CD: constant N = 18 and
  /// μ = 0.95, uniform pairs) with the budget's K, B, η and widths.
  public func trainingConfig(method: TrainingMethod, dataset: Dataset, seed: UInt64) -> TrainingConfig {
    var config = TrainingConfig.preset(.default, method: method)
    config.dataset = dataset
    config.totalSteps = steps
    config.batchSize = batchSize
    config.learningRate = learningRate
    config.hiddenWidths = hiddenWidths
    config.seed = seed
    config.logEvery = max(1, steps / curvePoints)
    return config
  }

  /// The EDM teacher's pre-training configuration under this budget.
  public func teacherConfig(dataset: Dataset, seed: UInt64) -> EDMPretrainingConfig {
    var config = EDMPretrainingConfig.preset(.default)
    config.dataset = dataset
    config.totalSteps = teacherSteps
    config.batchSize = batchSize
    config.hiddenWidths = hiddenWidths
    config.seed = seed
    config.logEvery = max(1, teacherSteps / curvePoints)
    return config
  }
}

/// Sliced Wasserstein-1 of generated samples against one fixed reference sample of the data, with
/// that reference's noise floor and Gaussian baseline (`EvaluationReport`), so that every run and
/// every curve point is scored against the same yardstick.
public struct QualityProbe: Sendable {
  /// n, the number of samples each score uses.
  public let count: Int
  /// The reference sample R (n × 2).
  public let reference: [Double]
  /// SW1 of a second true sample against R: what a perfect sampler scores.
  public let noiseFloor: Double
  /// SW1 of a moment-matched Gaussian against R: what a poor sampler scores.
  public let gaussianBaseline: Double
  /// The seed of the sampler's noise: every model is sampled from the same z.
  public let samplingSeed: UInt64

  /// A probe of n samples for `dataset`, its reference drawn as `EvaluationReport` draws it.
  public init(dataset: Dataset, count: Int, referenceSeed: UInt64, samplingSeed: UInt64) {
    self.count = count
    var generator = SeededGenerator(seed: referenceSeed)
    reference = dataset.sample(count: count, using: &generator)
    let report = EvaluationReport(generated: reference, dataset: dataset, referenceSeed: referenceSeed)
    noiseFloor = report.slicedWasserstein1.noiseFloor
    gaussianBaseline = report.slicedWasserstein1.gaussianBaseline
    self.samplingSeed = samplingSeed
  }

  /// SW₁ of `samples` against the reference.
  public func score(_ samples: [Double]) -> Double { slicedWasserstein1(samples, reference) }

  /// 1-step and 2-step samples of a consistency model (θ_ema), from the probe's seed.
  public func samples(
    of state: TrainingState<Float>, steps: Int, count: Int? = nil
  ) -> [Double] {
    var generator = SeededGenerator(seed: samplingSeed)
    let taus = steps == 1 ? [] : [defaultSamplingTau]
    return state.model.sample(
      parameters: state.thetaEMA, count: count ?? self.count, taus: taus,
      sigmaMax: state.config.sigmaMax, generator: &generator)
  }
}

/// τ₁ of 2-step sampling in `cm compare` (and `cm sample`'s default): measured on ring8 (tutorial 08).
public let defaultSamplingTau = 0.8

/// One point of a learning curve: the mean loss over the interval ending at step k, and the
/// sample quality of θ_ema at k.
public struct CurvePoint: Codable, Sendable, Equatable {
  /// k, the step the interval ends at.
  public var k: Int
  /// The mean training loss over the interval.
  public var loss: Double
  /// SW1 of θ_ema's 1-step samples at k.
  public var sw1OneStep: Double
  /// SW1 of θ_ema's 2-step samples at k (τ = `defaultSamplingTau`).
  public var sw1TwoStep: Double
}
