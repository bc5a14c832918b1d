// What the step fixtures (Fixtures/ct_step.json, cd_step.json, ct_step_options.json) share: the
// run's size and grid as their "inputs" record it, a case's distance, and matrices flattened.
import CMCore
import Testing
import _TestSupport

@testable import CMTraining

extension TrainingConfig {
  /// Seed, K, batch, learning rate and hidden widths from a step fixture's inputs; also ε, T,
  /// σ_data and ρ when `grid` (the options fixture keeps the presets' grid).
  mutating func applyFixtureRun(_ inputs: JSONValue, grid: Bool = true) throws {
    seed = UInt64(try inputs("seed").int)
    totalSteps = try inputs("K").int
    batchSize = try inputs("B").int
    learningRate = try inputs("learning_rate").double
    hiddenWidths = try inputs("hidden_widths").ints
    guard grid else { return }
    sigmaMin = try inputs("sigma_min").double
    sigmaMax = try inputs("sigma_max").double
    sigmaData = try inputs("sigma_data").double
    rho = try inputs("rho").double
  }

  /// A case's distance ("squared_l2" or "pseudo_huber" with its c) and weighting.
  mutating func applyFixtureLoss(_ c: JSONValue) throws {
    switch try c("metric").string {
    case "squared_l2": metric = .squaredL2
    case "pseudo_huber": metric = .pseudoHuber(c: try c("c").double)
    case let other: Issue.record("unknown metric \(other)")
    }
    weighting = try #require(LossWeighting(rawValue: try c("weighting").string))
  }
}

/// The CT fixture's run (Fixtures/ct_step.json), for one case's distance and weighting.
func ctFixtureConfig(_ inputs: JSONValue, case c: JSONValue) throws -> TrainingConfig {
  var config = TrainingConfig()
  try config.applyFixtureRun(inputs)
  let variant = try #require(EMADecayVariant(rawValue: try inputs("mu_variant").string))
  config.schedule = .ctCurriculum(
    s0: try inputs("s0").int, s1: try inputs("s1").int, mu0: try inputs("mu0").double,
    variant: variant)
  try config.applyFixtureLoss(c)
  config.targetNoiseLevel = .currentSigmas  // f_θ⁻ at t_n, as in CM Alg. 3
  return config
}

/// A fixture's matrix (B rows) flattened row-major, as the step traces it.
func flat(_ value: JSONValue) throws -> [Double] { try value.matrix.flatMap { $0 } }

/// The half of a step that CT and CD share (ConsistencyUpdate.swift) against a fixture case:
/// both predictions, the loss, ∇_θ L, θ after Adam and θ⁻ after the EMA. `value` reads a traced
/// line by its seed name.
func expectSharedHalf(
  _ value: (String) throws -> [Double], case c: JSONValue, label: String,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let pairs: [(trace: String, fixture: String, what: String)] = [
    ("student_model_prediction", "student_model_prediction", "f_θ"),
    ("teacher_model_prediction", "teacher_model_prediction", "f_θ⁻"),
    ("grad_theta", "grad_theta", "∇_θ L"),
    ("student_model_params", "theta_after_adam", "θ after Adam"),
    ("teacher_model_params", "theta_minus_after_ema", "θ⁻ after EMA"),
  ]
  for (trace, fixture, what) in pairs {
    let expected = try c(fixture)
    let values = trace.hasSuffix("prediction") ? try flat(expected) : try expected.doubles
    expectClose(try value(trace), values, "\(what), \(label)", sourceLocation: sourceLocation)
  }
  expectClose(try value("loss"), [try c("loss").double], "loss, \(label)", sourceLocation: sourceLocation)
}
