// Golden test of CDStep.swift (with ConsistencyUpdate.swift): one whole CD training step, CM
// Algorithm 2, against the independent NumPy reference in Fixtures/cd_step.json; and the check
// that CDStep.swift and CTStep.swift differ only in how the target input x̂_{t_n} is made.
//
// The frozen teacher is the exact denoiser of one Gaussian, so every value has a reference in
// closed form. Tolerances are the policy of Fixtures/README.md: 1e-12 + 1e-12·|reference|.
import CMCore
import CMData
import Foundation
import CMStorage
import CMTeacher
import Testing
import _TestSupport

@testable import CMTraining

/// The CD run the fixture records, for one case's solver, distance and weighting.
private func fixtureConfig(_ inputs: JSONValue, case c: JSONValue) throws -> TrainingConfig {
  var config = TrainingConfig.preset(.default, method: .cd)
  try config.applyFixtureRun(inputs)
  config.schedule = .fixed(N: try inputs("N").int, mu: try inputs("mu").double)
  config.solver = try #require(ODESolver(rawValue: try c("solver").string))
  try config.applyFixtureLoss(c)
  return config
}

/// The fixture's teacher: the exact denoiser of N(m, s²I), as a one-component mixture.
private func fixtureTeacher(_ inputs: JSONValue) throws -> Teacher {
  .oracle(
    GaussianMixture(
      weights: [1], means: [try inputs("teacher_mean").doubles], stds: [try inputs("teacher_std").double]))
}

@Suite struct CDStepGoldenTests {
  @Test(arguments: ["heun", "euler"])
  func oneStepMatchesReference(solver: String) throws {
    let fixture = try Fixture("cd_step")
    let inputs = try fixture.document("inputs")
    let c = try #require(try fixture.cases.first { try $0("solver").string == solver })
    let label = "\(solver), \(try c("metric").string)"

    var state = TrainingState<Double>(
      config: try fixtureConfig(inputs, case: c), teacher: try fixtureTeacher(inputs))
    state.theta = try inputs("theta").doubles
    state.thetaMinus = try inputs("theta_minus").doubles
    state.k = try inputs("k").int
    var buffers = state.makeBuffers()

    var traced: [String: [Double]] = [:]
    let record = state.cdStep(
      data: try flat(inputs("x")), teacher: try #require(state.teacher), buffers: &buffers,
      trace: { name, value in traced[name.rawValue] = value })
    func value(_ name: String) throws -> [Double] { try #require(traced[name], "no trace \"\(name)\"") }

    // The fixed grid, the draws (the same as the CT step's) and the online input.
    let N = try inputs("N").int
    #expect(try value("num_timesteps") == [Double(N)])
    #expect(try value("timesteps") == (try inputs("n").ints.map(Double.init)), "pair indices n")
    let k = try inputs("k").int
    #expect(record.N == N && record.k == k && state.k == record.k + 1)
    expectClose(try value("sigmas"), try inputs("sigmas").doubles, "Karras grid, \(label)")
    expectClose(try value("noise"), try flat(inputs("z")), "z, \(label)")
    expectClose(try value("next_noisy_data"), try flat(inputs("x_t_n_plus_1")), "x_{t_{n+1}}, \(label)")
    // The one line that differs from CT: the teacher's solver step.
    expectClose(try value("current_noisy_data"), try flat(c("x_t_n")), "x̂_{t_n} (teacher step), \(label)")

    // Predictions, loss, gradient, Adam, μ and the target EMA: the shared half of the step.
    try expectSharedHalf(value, case: c, label: label)
    #expect(try value("current_ema_decay_rate") == [try inputs("mu").double])
  }

  /// Heun is second order: on every row of the fixture's batch, the Swift Heun step of the
  /// Gaussian teacher lands closer to the exact ODE transport (recorded by the reference) than
  /// the Swift Euler step does (on N = 18's coarse steps the gain is 1.5× to 1400×).
  @Test func heunIsCloserToTheExactTransportThanEuler() throws {
    let fixture = try Fixture("cd_step")
    let inputs = try fixture.document("inputs")
    let teacher = try fixtureTeacher(inputs)
    let x = try flat(inputs("x_t_n_plus_1"))
    let tN = try inputs("t_n").doubles
    let tNPlus1 = try inputs("t_n_plus_1").doubles
    let firstCase = try fixture.cases[0]
    let exact = try flat(firstCase("x_t_n_exact"))
    func rowErrors(_ solver: ODESolver) -> [Double] {
      let xHat = solver.step(batch: x, from: tNPlus1, to: tN, denoiser: teacher.denoise)
      var errors: [Double] = []
      for b in 0..<tN.count {
        errors.append(max(abs(xHat[2 * b] - exact[2 * b]), abs(xHat[2 * b + 1] - exact[2 * b + 1])))
      }
      return errors
    }
    let heun = rowErrors(.heun)
    let euler = rowErrors(.euler)
    #expect(heun.count == 8)
    for (h, e) in zip(heun, euler) { #expect(h < e / 1.4, "Heun \(h), Euler \(e)") }
  }

  /// CT and CD differ in one statement (STYLE.md rule 4): after naming the step function the same,
  /// the code of CTStep.swift and CDStep.swift (comments aside) differs only in CD's teacher
  /// parameter and in the statement that makes `xTN`.
  @Test func ctAndCDStepsDifferOnlyInTheTargetInput() throws {
    let folder = repositoryRoot().appendingPathComponent("Sources/CMTraining")
    func codeStatements(_ file: String) throws -> [String] {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      var statements: [String] = []
      for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("//") { continue }
        // A line that continues the previous statement's open parenthesis joins it.
        if let last = statements.last, last.filter({ $0 == "(" }).count > last.filter({ $0 == ")" }).count {
          statements[statements.count - 1] = last + " " + trimmed
        } else {
          statements.append(trimmed)
        }
      }
      return statements.map {
        $0.replacingOccurrences(of: "cdStep", with: "STEP").replacingOccurrences(of: "ctStep", with: "STEP")
      }
    }
    let ct = try codeStatements("CTStep.swift")
    let cd = try codeStatements("CDStep.swift")
    #expect(ct.count == cd.count, "the two steps have the same number of statements")
    let differing = zip(ct, cd).filter { $0 != $1 }
    // The signature differs by CD's teacher φ (a parameter, so the type guarantees it is there),
    // and the body by the one statement that makes x̂_{t_n}.
    #expect(differing.count == 2, "the signature and one statement differ: \(differing)")
    #expect(differing.first?.1.contains("teacher: Teacher") == true)
    #expect(differing.first?.0.contains("teacher") == false)
    #expect(differing.last?.0.hasPrefix("let xTN = addNoise(") == true)
    #expect(differing.last?.1.hasPrefix("let xTN = config.solver.step(") == true)
  }
}
