// Golden test of CTStep.swift (with ConsistencyUpdate.swift): one whole CT training step, CM
// Algorithm 3, against the independent NumPy reference in Fixtures/ct_step.json.
//
// Given fixed weights θ and θ⁻, a fixed batch x, and the pair indices and noise drawn from the
// state's generator, the fixture pins every value the step traces: N(k), the grid, n, z, both noisy
// inputs, both predictions, the per-sample distances, the loss, every entry of ∇_θ L, θ after one
// Adam step, μ(k), and θ⁻ after the EMA. Tolerances are the policy of Fixtures/README.md:
// |swift − reference| ≤ 1e-12 + 1e-12·|reference| for floats, integers exactly.
import CMCore
import CMStorage
import CMTeacher
import Testing
import _TestSupport

@testable import CMTraining

@Suite struct CTStepGoldenTests {
  @Test func fixtureRecordsTheExpectedSetting() throws {
    let fixture = try Fixture("ct_step")
    let inputs = try fixture.document("inputs")
    #expect(try fixture.cases.map { try $0("metric").string } == ["squared_l2", "pseudo_huber"])
    // k = 3 of K = 10 with s₀ = 2, s₁ = 150: N = ⌈√(0.3·(151² − 4) + 4)⌉ = ⌈82.72…⌉ = 83.
    #expect(try inputs("N").int == 83)
    #expect(try inputs("N").int == ctDiscretizationSteps(k: 3, K: 10, s0: 2, s1: 150))
    #expect(try inputs("B").int == 8 && inputs("D").int == 2)
    #expect(try inputs("parameter_count").int == 370)
  }

  /// θ and θ⁻ are the documented initialisation (MLP.swift) of the two recorded seeds, bit for bit:
  /// it uses only +, −, ×, ÷ and √, which are correctly rounded on both sides.
  @Test func initialisationMatchesReferenceExactly() throws {
    let fixture = try Fixture("ct_step")
    let inputs = try fixture.document("inputs")
    let state = TrainingState<Double>(config: try ctFixtureConfig(inputs, case: try fixture.cases[0]))
    #expect(state.model.network.layout.widths == (try inputs("widths").ints))
    #expect(state.theta == (try inputs("theta").doubles))
    let seedMinus = UInt64(try inputs("theta_minus_seed").int)
    #expect(state.model.network.initialParameters(seed: seedMinus) == (try inputs("theta_minus").doubles))
  }

  @Test(arguments: ["squared_l2", "pseudo_huber"])
  func oneStepMatchesReference(metric: String) throws {
    let fixture = try Fixture("ct_step")
    let inputs = try fixture.document("inputs")
    let c = try #require(try fixture.cases.first { try $0("metric").string == metric })
    let label = "\(metric), \(try c("weighting").string)"

    // The state at step k with the recorded θ and θ⁻; Adam's moments are fresh, the training
    // generator freshly seeded with config.seed + 1 (TrainingState.init).
    var state = TrainingState<Double>(config: try ctFixtureConfig(inputs, case: c))
    state.theta = try inputs("theta").doubles
    state.thetaMinus = try inputs("theta_minus").doubles
    state.k = try inputs("k").int
    var buffers = state.makeBuffers()

    var traced: [String: [Double]] = [:]
    let record = state.ctStep(
      data: try flat(inputs("x")), buffers: &buffers, trace: { name, value in traced[name.rawValue] = value })
    func value(_ name: String) throws -> [Double] { try #require(traced[name], "no trace \"\(name)\"") }

    // Integers exactly: N(k) and the pair indices n (Lemire draws below N − 1).
    let N = try inputs("N").int
    #expect(try value("num_timesteps") == [Double(N)])
    #expect(try value("timesteps") == (try inputs("n").ints.map(Double.init)), "pair indices n")
    #expect(record.k == (try inputs("k").int) && record.N == N && state.k == record.k + 1)

    // Schedule, noise and noisy inputs.
    expectClose(try value("sigmas"), try inputs("sigmas").doubles, "Karras grid, \(label)")
    expectClose(try value("noise"), try flat(inputs("z")), "z, \(label)")
    expectClose(try value("next_noisy_data"), try flat(inputs("x_t_n_plus_1")), "x_{t_{n+1}}, \(label)")
    expectClose(try value("current_noisy_data"), try flat(inputs("x_t_n")), "x_{t_n}, \(label)")

    // Predictions, per-sample distances, loss.
    let online = try value("student_model_prediction")
    let target = try value("teacher_model_prediction")
    expectClose(online, try flat(c("student_model_prediction")), "f_θ(x_{t_{n+1}}, t_{n+1}), \(label)")
    expectClose(target, try flat(c("teacher_model_prediction")), "f_θ⁻(x_{t_n}, t_n), \(label)")
    let D = try inputs("D").int
    let d = (0..<(online.count / D)).map { b in
      distance(
        Array(online[(b * D)..<(b * D + D)]), Array(target[(b * D)..<(b * D + D)]),
        metric: state.config.metric)
    }
    expectClose(d, try c("distances").doubles, "per-sample d, \(label)")
    expectClose(try value("loss"), [try c("loss").double], "loss, \(label)")
    expectClose(record.loss, try c("loss").double, "StepRecord.loss, \(label)")

    // ∇_θ L, one Adam step, μ(k), the target EMA.
    expectClose(try value("grad_theta"), try c("grad_theta").doubles, "∇_θ L, \(label)")
    // From fresh moments m̂ = g and v̂ = g², so Adam's first step is θ − α·g/(|g| + ε): a relative
    // error δ in g moves θ by only α·δ·ε/(|g| + ε) (the smallest |g| here is 1.5e-7 ≫ ε = 1e-8).
    expectClose(
      try value("student_model_params"), try c("theta_after_adam").doubles, "θ after Adam, \(label)")
    expectClose(try value("current_ema_decay_rate"), [try inputs("mu").double], "μ(k), \(label)")
    expectClose(record.mu, try inputs("mu").double, "StepRecord.mu, \(label)")
    expectClose(
      try value("teacher_model_params"), try c("theta_minus_after_ema").doubles, "θ⁻ after EMA, \(label)")
    // The state holds what the step traced.
    #expect(state.theta == (try value("student_model_params")))
    #expect(state.thetaMinus == (try value("teacher_model_params")))
  }
}
