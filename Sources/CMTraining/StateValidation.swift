// Every value a checkpoint decodes is checked like a flag: a file whose checksum is right can
// still hold values no flag would have accepted (written by another tool, or edited), and
// those must be refused with a message, never reach a precondition.

import CMCore
import CMData
import CMNetwork
import CMTeacher

extension TrainingConfig {
  /// The first field outside its range, as one line naming the field; nil when every field is in
  /// range. A config that passes can be trained without reaching any precondition.
  public var problem: String? {
    var checks: [(ok: Bool, message: String)] = [
      (SettingRange.steps.contains(totalSteps), "totalSteps must be in 1…100000000 (got \(totalSteps))"),
      (SettingRange.batchSize.contains(batchSize), "batchSize must be in 1…65536 (got \(batchSize))"),
      (
        learningRate.isFinite && learningRate > 0,
        "learningRate must be a finite number > 0 (got \(learningRate))"
      ),
      (
        SettingRange.hiddenLayers.contains(hiddenWidths.count)
          && hiddenWidths.allSatisfy(SettingRange.width.contains),
        "hiddenWidths must be 1 to 8 widths, each in 1…4096 (got \(hiddenWidths))"
      ),
      (sigmaMin.isFinite && sigmaMin > 0, "sigmaMin must be a finite number > 0 (got \(sigmaMin))"),
      (
        sigmaMax.isFinite && sigmaMax > sigmaMin,
        "sigmaMax must be a finite number > sigmaMin (got \(sigmaMax))"
      ),
      (sigmaData.isFinite && sigmaData > 0, "sigmaData must be a finite number > 0 (got \(sigmaData))"),
      (rho.isFinite && rho > 0, "rho must be a finite number > 0 (got \(rho))"),
      (logEvery >= 1, "logEvery must be ≥ 1 (got \(logEvery))"),
      (
        evaluationEMADecay >= 0 && evaluationEMADecay < 1,
        "evaluationEMADecay must be in [0, 1) (got \(evaluationEMADecay))"
      ),
    ]
    switch schedule {
    case .ctCurriculum(let s0, let s1, let mu0, _):
      checks.append(
        (
          SettingRange.gridSize.contains(s0) && SettingRange.gridSize.contains(s1) && s0 <= s1,
          "schedule s0, s1 must satisfy 2 ≤ s0 ≤ s1 ≤ 10000 (got \(s0), \(s1))"
        ))
      checks.append((mu0 >= 0 && mu0 < 1, "schedule mu0 must be in [0, 1) (got \(mu0))"))
    case .ictCurriculum(let s0, let s1, let mu0):
      checks.append(
        (
          (1...10_000).contains(s0) && (1...10_000).contains(s1) && s0 <= s1,
          "schedule s0, s1 must satisfy 1 ≤ s0 ≤ s1 ≤ 10000 (got \(s0), \(s1))"
        ))
      checks.append((mu0 >= 0 && mu0 < 1, "schedule mu0 must be in [0, 1) (got \(mu0))"))
    case .fixed(let N, let mu):
      checks.append((SettingRange.gridSize.contains(N), "schedule N must be in 2…10000 (got \(N))"))
      checks.append((mu >= 0 && mu < 1, "schedule mu must be in [0, 1) (got \(mu))"))
    }
    if case .lognormal(let pMean, let pStd) = pairSampling {
      checks.append(
        (
          pMean.isFinite && pStd.isFinite && pStd > 0,
          "pairSampling's lognormal needs a finite P_mean and a finite P_std > 0 (got \(pMean), \(pStd))"
        ))
    }
    if case .pseudoHuber(let c) = metric {
      checks.append((c.isFinite && c > 0, "metric's pseudo-Huber c must be a finite number > 0 (got \(c))"))
    }
    return firstProblem(checks)
  }
}

extension TrainingState {
  /// The first inconsistency of a decoded state, as one line naming the field; nil when it is
  /// one that `init(config:teacher:)` and training could have produced.
  public var problem: String? {
    if let problem = config.problem { return "config: " + problem }
    let structure = ConsistencyModel<Scalar>(
      dimension: 2, hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData,
      sigmaMin: config.sigmaMin)
    // Compared before |θ| is computed from the model's own widths (which could overflow).
    guard model == structure else { return "model does not match the config's widths and scalings" }
    let P = model.network.parameterCount
    let checks: [(ok: Bool, message: String)] =
      [
        ((config.method == .cd) == (teacher != nil), "method \(config.method.rawValue) and teacher disagree")
      ]
      + runStateChecks(
        k: k, parameterCount: P,
        vectors: [("theta", theta.count), ("thetaMinus", thetaMinus.count), ("thetaEMA", thetaEMA.count)],
        optimizer: optimizer, generator: generator)
    if let problem = firstProblem(checks) { return problem }
    if let teacher, let problem = teacher.problem(dataset: config.dataset) { return "teacher: " + problem }
    // CT's consistency tuning keeps no teacher (θ₀ was its weights; CT never calls it).
    if config.method == .cd, config.initializeFromTeacher,
      teacher?.initialWeights(hiddenWidths: config.hiddenWidths) == nil
    {
      return "initializeFromTeacher needs an EDM teacher with the student's widths"
    }
    return nil
  }
}
