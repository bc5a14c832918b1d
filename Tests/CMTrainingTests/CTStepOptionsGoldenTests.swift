// Golden test of the five iCT options of the CT step (iCT §3.1–3.5) against the NumPy reference
// in Fixtures/ct_step_options.json: the ablation's ladder from CM's CT to iCT, one option added at
// a time, and each option alone on CM's CT. Every case pins N(k), the pair indices, z, both
// predictions, the loss, ∇_θ L, θ after Adam, μ(k) and θ⁻ after the EMA, at the tolerance of
// Fixtures/README.md (|swift − reference| ≤ 1e-12 + 1e-12·|reference|; integers exactly).
import CMCore
import CMStorage
import CMTeacher
import Foundation
import Testing
import _TestSupport

@testable import CMTraining

/// The fixture's value of each option, as a setting: its first listed value is CM's.
private func settings(_ c: JSONValue, _ inputs: JSONValue) throws -> [ICTOption: ICTSetting] {
  var result: [ICTOption: ICTSetting] = [:]
  for option in ICTOption.allCases {
    let values = try inputs("option_values (CM, iCT)")(option.rawValue).array.map { try $0.string }
    let given = try c("options")(option.rawValue).string
    result[option] = given == values[0] ? .cm : (given == values[1] ? .ict : nil)
    #expect(result[option] != nil, "unknown value \(given) of \(option)")
  }
  return result
}

/// CM's CT with the fixture's size, then each option set as the case says.
private func caseConfig(_ c: JSONValue, _ inputs: JSONValue) throws -> TrainingConfig {
  var config = TrainingConfig.preset(.cm)
  try config.applyFixtureRun(inputs, grid: false)
  for (option, setting) in try settings(c, inputs) { config.set(option, to: setting) }
  return config
}

@Suite struct CTStepOptionsGoldenTests {
  /// The presets hold exactly the fixture's CM and iCT values, and the ladder is the paper's order.
  @Test func presetsAndOrderMatchTheReference() throws {
    let fixture = try Fixture("ct_step_options")
    let inputs = try fixture.document("inputs")
    #expect(try inputs("option_order").array.map { try $0.string } == ICTOption.allCases.map(\.rawValue))
    let cm = try #require(try fixture.cases.first { try $0("name").string == "cm" })
    let ict = try #require(try fixture.cases.first { try $0("name").string == "ict" })
    for option in ICTOption.allCases {
      #expect(try settings(cm, inputs)[option] == .cm)
      #expect(try settings(ict, inputs)[option] == .ict)
      #expect(TrainingConfig.preset(.cm).setting(of: option) == .cm, "\(option)")
      #expect(TrainingConfig.preset(.ict).setting(of: option) == .ict, "\(option)")
    }
    // The presets' numbers, as the fixture records them.
    #expect(TrainingConfig.preset(.cm).schedule == .ctCurriculum(s0: 2, s1: 150, mu0: 0.9, variant: .paper))
    #expect(TrainingConfig.preset(.ict).schedule == .ictCurriculum(s0: 10, s1: 1280, mu0: 0))
    #expect(TrainingConfig.preset(.ict).pairSampling == .lognormal(pMean: -1.1, pStd: 2.0))
    #expect(try inputs("lognormal")("P_mean").double == -1.1 && inputs("lognormal")("P_std").double == 2.0)
    #expect(try inputs("ict_curriculum")("s0").int == 10 && inputs("ict_curriculum")("s1").int == 1280)
    #expect(try inputs("cm_curriculum")("s1").int == 150)
    // Ten cases: the ladder of six, and four options alone (the weighting alone is the ladder's second).
    #expect(try fixture.cases.count == 10)
  }

  @Test func everyCaseMatchesReference() throws {
    let fixture = try Fixture("ct_step_options")
    let inputs = try fixture.document("inputs")
    for c in try fixture.cases {
      let label = try c("name").string
      var state = TrainingState<Double>(config: try caseConfig(c, inputs))
      #expect(state.theta == (try inputs("theta").doubles), "θ₀, \(label)")
      state.thetaMinus = try inputs("theta_minus").doubles
      state.k = try inputs("k").int
      var buffers = state.makeBuffers()
      var traced: [String: [Double]] = [:]
      let record = state.ctStep(
        data: try flat(inputs("x")), buffers: &buffers,
        trace: { name, value in traced[name.rawValue] = value })
      func value(_ name: String) throws -> [Double] { try #require(traced[name], "no trace \"\(name)\"") }

      #expect(try value("num_timesteps") == [Double(try c("N").int)], "N(k), \(label)")
      #expect(try value("timesteps") == (try c("n").ints.map(Double.init)), "pair indices n, \(label)")
      expectClose(try value("sigmas"), try c("sigmas").doubles, "grid, \(label)")
      expectClose(try value("noise"), try flat(c("z")), "z, \(label)")
      expectClose(try value("next_noisy_data"), try flat(c("x_t_n_plus_1")), "x_{t_{n+1}}, \(label)")
      expectClose(try value("current_noisy_data"), try flat(c("x_t_n")), "x_{t_n}, \(label)")
      try expectSharedHalf(value, case: c, label: label)
      expectClose(try value("current_ema_decay_rate"), [try c("mu").double], "μ(k), \(label)")
      expectClose(record.mu, try c("mu").double, "StepRecord.mu, \(label)")
      // The lognormal cases' probabilities, from the same CMCore function the step calls.
      if case .lognormal(let pMean, let pStd) = state.config.pairSampling {
        expectClose(
          lognormalPairProbabilities(sigmas: try c("sigmas").doubles, pMean: pMean, pStd: pStd),
          try c("pair_probabilities").doubles, "p(n), \(label)")
      }
    }
  }

  /// With μ = 0 the target network after the step is the online network: θ⁻ = stopgrad θ.
  @Test func stopGradientTargetEqualsTheOnlineNetwork() throws {
    var config = TrainingConfig.preset(.tiny)
    config.set(.target, to: .ict)
    var state = TrainingState<Double>(config: config)
    var buffers = state.makeBuffers()
    var generator = SeededGenerator(seed: 5)
    for _ in 0..<3 {
      let record = state.ctStep(
        data: config.dataset.sample(count: config.batchSize, using: &generator), buffers: &buffers)
      #expect(record.mu == 0)
      #expect(state.thetaMinus == state.theta)
    }
  }
}

@Suite struct ICTScheduleAndDecodingTests {
  /// iCT's curriculum in the schedule: N(k) is `ictDiscretizationSteps`, μ(0) = μ₀ and μ rises
  /// with N; μ₀ = 0 gives μ ≡ 0 on either curriculum.
  @Test func ictCurriculumAndStopGradientTarget() {
    let schedule = DiscretizationSchedule.ictCurriculum(s0: 10, s1: 1280, mu0: 0.9)
    #expect(schedule.N(k: 0, K: 400_000) == 11 && schedule.N(k: 400_000, K: 400_000) == 1281)
    #expect(abs(schedule.mu(k: 0, K: 400_000) - 0.9) <= 1e-15)
    #expect(schedule.mu(k: 50_000, K: 400_000) > 0.9)
    #expect(DiscretizationSchedule.ictCurriculum(s0: 10, s1: 1280, mu0: 0).mu(k: 7, K: 100) == 0)
    #expect(
      DiscretizationSchedule.ctCurriculum(s0: 2, s1: 150, mu0: 0, variant: .paper).mu(k: 7, K: 100) == 0)
    var config = TrainingConfig.preset(.tiny)
    config.schedule = .ictCurriculum(s0: 0, s1: 1280, mu0: 0)
    #expect(config.problem?.contains("schedule s0") == true)
    config.schedule = .ictCurriculum(s0: 10, s1: 1280, mu0: -0.1)
    #expect(config.problem?.contains("schedule mu0") == true)
    config.schedule = .ictCurriculum(s0: 10, s1: 1280, mu0: 0)
    config.pairSampling = .lognormal(pMean: -1.1, pStd: 0)
    #expect(config.problem?.contains("pairSampling") == true)
  }

  /// A config written before `pairSampling` existed (checkpoint format version 2) decodes with the
  /// uniform pairs those runs used; every other field is still required.
  @Test func olderConfigsDecodeWithUniformPairs() throws {
    var config = TrainingConfig.preset(.ict)
    config.pairSampling = .ict
    let encoded = try JSONEncoder().encode(config)
    var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    #expect(object["pairSampling"] != nil)
    #expect(try JSONDecoder().decode(TrainingConfig.self, from: encoded) == config)
    object["pairSampling"] = nil
    let old = try JSONDecoder().decode(
      TrainingConfig.self, from: try JSONSerialization.data(withJSONObject: object))
    #expect(old.pairSampling == .uniform)
    object["weighting"] = nil
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(TrainingConfig.self, from: try JSONSerialization.data(withJSONObject: object))
    }
  }

  /// Consistency tuning starts θ, θ⁻ and θ_ema at the EDM teacher's weights and keeps no teacher.
  @Test func consistencyTuningStartsFromTheTeacher() throws {
    var config = TrainingConfig.preset(.tiny)
    config.initializeFromTeacher = true
    let model = DiffusionModel<Float>(hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData)
    let phi = model.network.initialParameters(seed: 77)
    let state = try #require(
      TrainingState<Float>(config: config, tuningFrom: EDMTeacher(model: model, parameters: phi)))
    #expect(state.theta == phi && state.thetaMinus == phi && state.thetaEMA == phi && state.teacher == nil)
    #expect(state.problem == nil)
    config.hiddenWidths = [8, 8]
    #expect(
      TrainingState<Float>(config: config, tuningFrom: EDMTeacher(model: model, parameters: phi)) == nil)
  }
}
