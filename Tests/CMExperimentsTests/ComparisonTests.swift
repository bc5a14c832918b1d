// The budgets and the learning-curve trainer behind `cm compare`, and the evaluation EMA θ_ema.

import CMCore
import CMData
import CMStorage
import CMTeacher
import Testing

@testable import CMExperiments
@testable import CMTraining

@Suite struct ComparisonTests {
  /// Equal terms: under every budget, CT and CD get the same K, B, η, widths, seed, distance and
  /// weighting, and differ only in what the method's preset says: CT's iCT curriculum with
  /// μ = 0 and lognormal pairs (the toy default), CD's constant N = 18 and μ = 0.95 with uniform
  /// pairs (as CM's CD).
  @Test(arguments: ComparisonBudget.Name.allCases)
  func runsDifferOnlyInTheMethodPreset(name: ComparisonBudget.Name) {
    let budget = ComparisonBudget.named(name)
    var ct = budget.trainingConfig(method: .ct, dataset: .ring8, seed: 9)
    let cd = budget.trainingConfig(method: .cd, dataset: .ring8, seed: 9)
    #expect(ct.method == .ct && cd.method == .cd)
    #expect(cd.schedule == .fixed(N: 18, mu: 0.95) && cd.pairSampling == .uniform)
    #expect(ICTOption.allCases.allSatisfy { ct.setting(of: $0) == .ict })
    ct.method = .cd
    ct.schedule = cd.schedule
    ct.pairSampling = cd.pairSampling
    #expect(ct == cd)
    #expect(budget.teacherConfig(dataset: .ring8, seed: 9).hiddenWidths == cd.hiddenWidths)
  }

  /// With `initializeFromTeacher`, θ, θ⁻ and θ_ema all start as the EDM teacher's weights.
  @Test func initialisedFromTheTeacher() {
    var config = TrainingConfig.preset(.tiny, method: .cd)
    config.initializeFromTeacher = true
    let model = DiffusionModel<Float>(hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData)
    let phi = model.network.initialParameters(seed: 77)
    let state = TrainingState<Float>(config: config, teacher: .edm(EDMTeacher(model: model, parameters: phi)))
    #expect(state.k == 0)
    #expect(state.theta == phi && state.thetaMinus == phi && state.thetaEMA == phi)
    #expect(state.theta != TrainingState<Float>(config: TrainingConfig.preset(.tiny)).theta)
  }

  /// θ_ema's ramp: β = min(μ_ema, (1 + k)/(10 + k)) after step k, so after the first step θ_ema
  /// is 1/10 of the initial θ plus 9/10 of the new θ; the algorithm's θ and θ⁻ do not see it.
  /// Both methods keep it (sampling reads θ_ema for CT and CD alike).
  @Test(arguments: [TrainingMethod.ct, .cd])
  func evaluationEMARampsUp(method: TrainingMethod) {
    var config = TrainingConfig.preset(.tiny, method: method)
    config.batchSize = 8
    let teacher: Teacher? = method == .cd ? .oracle(Dataset.ring8.mixture!) : nil
    var state = TrainingState<Float>(config: config, teacher: teacher)
    let theta0 = state.theta
    state.train(steps: 1)
    for i in stride(from: 0, to: theta0.count, by: 97) {
      let expected = 0.1 * theta0[i] + 0.9 * state.theta[i]
      #expect(abs(state.thetaEMA[i] - expected) <= 1e-6 * max(1, abs(expected)))
    }
    // β reaches μ_ema = 0.999 at k = 8 990: (1 + k)/(10 + k) ≥ 0.999 ⇔ k ≥ 8 990.
    #expect(evaluationEMABeta(afterStep: 0, decay: 0.999) == 0.1)
    #expect(evaluationEMABeta(afterStep: 8_989, decay: 0.999) < 0.999)
    #expect(evaluationEMABeta(afterStep: 8_990, decay: 0.999) == 0.999)
    #expect(evaluationEMABeta(afterStep: 1_000_000, decay: 0.999) == 0.999)
  }
}
