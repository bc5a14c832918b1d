// Every value a checkpoint decodes is checked like a flag (see CMTraining's StateValidation.swift):
// the ranges, Adam's hyper-parameters, a teacher, and an EDM pre-training state.

import CMCore
import CMData
import CMNetwork

/// The ranges a run's settings must lie in: the same as `cm train`'s flags accept.
public enum SettingRange {
  /// Training steps, K and k.
  public static let steps = 1...100_000_000
  /// B.
  public static let batchSize = 1...65_536
  /// Hidden layers.
  public static let hiddenLayers = 1...8
  /// The width of each hidden layer.
  public static let width = 1...4096
  /// N of a fixed grid, and s₀, s₁ of a curriculum.
  public static let gridSize = 2...10_000
}

/// The first problem found among `checks` (a field name and whether it is in range), worded as
/// "FIELD must be REQUIREMENT (got VALUE)".
package func firstProblem(_ checks: [(ok: Bool, message: String)]) -> String? {
  checks.first { !$0.ok }.map { $0.message }
}

extension Adam {
  /// The first of Adam's hyper-parameters out of range, or nil.
  public var problem: String? {
    firstProblem([
      (learningRate.isFinite && learningRate > 0, "learningRate must be > 0 (got \(learningRate))"),
      (beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1) (got \(beta1))"),
      (beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1) (got \(beta2))"),
      (epsilon.isFinite && epsilon > 0, "epsilon must be > 0 (got \(epsilon))"),
    ])
  }
}

extension Teacher {
  /// The first inconsistency of a decoded teacher, or nil.
  public func problem(dataset: Dataset) -> String? {
    switch self {
    case .oracle(let mixture):
      return mixture == dataset.mixture ? nil : "the oracle is not \(dataset.name)'s exact denoiser"
    case .edm(let teacher):
      let layout = teacher.model.network.layout
      let widths = Array(layout.widths.dropFirst().dropLast())
      guard
        SettingRange.hiddenLayers.contains(widths.count) && widths.allSatisfy(SettingRange.width.contains)
      else { return "hidden widths must be 1 to 8 widths, each in 1…4096 (got \(widths))" }
      // A 2-D teacher is D_φ over an MLP 3 → widths → 2, the structure `DiffusionModel(dimension:
      // 2, …)` builds: a file may hold another input or output width (which the CD step would
      // reach as a precondition, or |φ| as an overflow), so it is compared before |φ| is computed.
      let expected = DiffusionModel<Float>(
        dimension: 2, hiddenWidths: widths, sigmaData: teacher.model.sigmaData)
      guard teacher.model == expected else {
        return
          "model must be a 2-D denoiser, an MLP of input width 3 and output width 2 (got widths \(layout.widths))"
      }
      let P = teacher.model.network.parameterCount
      return firstProblem([
        (
          teacher.parameters.count == P, "parameters must have \(P) entries (got \(teacher.parameters.count))"
        ),
        (
          teacher.model.sigmaData.isFinite && teacher.model.sigmaData > 0,
          "sigmaData must be > 0 (got \(teacher.model.sigmaData))"
        ),
      ])
    }
  }
}

extension EDMPretrainingState {
  /// The first inconsistency of a decoded pre-training state, as one line naming the field.
  public var problem: String? {
    // The config first (a width of 0 would trap in ParameterLayout), then the model against it
    // (before |θ| is computed from the model's own widths, which could overflow), then the rest.
    let configChecks: [(ok: Bool, message: String)] = [
      (
        SettingRange.steps.contains(config.totalSteps),
        "totalSteps must be in 1…100000000 (got \(config.totalSteps))"
      ),
      (
        SettingRange.batchSize.contains(config.batchSize),
        "batchSize must be in 1…65536 (got \(config.batchSize))"
      ),
      (
        config.learningRate.isFinite && config.learningRate > 0,
        "learningRate must be a finite number > 0 (got \(config.learningRate))"
      ),
      (
        SettingRange.hiddenLayers.contains(config.hiddenWidths.count)
          && config.hiddenWidths.allSatisfy(SettingRange.width.contains),
        "hiddenWidths must be 1 to 8 widths, each in 1…4096 (got \(config.hiddenWidths))"
      ),
      (
        config.sigmaData.isFinite && config.sigmaData > 0, "sigmaData must be > 0 (got \(config.sigmaData))"
      ),
      (config.pMean.isFinite, "pMean must be finite (got \(config.pMean))"),
      (config.pStd.isFinite && config.pStd > 0, "pStd must be > 0 (got \(config.pStd))"),
      (
        config.emaHalfLife.isFinite && config.emaHalfLife >= 0,
        "emaHalfLife must be ≥ 0 (got \(config.emaHalfLife))"
      ),
      (
        config.emaRampUp.isFinite && config.emaRampUp >= 0,
        "emaRampUp must be ≥ 0 (got \(config.emaRampUp))"
      ),
      (config.logEvery >= 1, "logEvery must be ≥ 1 (got \(config.logEvery))"),
    ]
    if let problem = firstProblem(configChecks) { return problem }
    guard
      model == DiffusionModel(dimension: 2, hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData)
    else { return "model does not match the config's widths and σ_data" }
    let P = model.network.parameterCount
    return firstProblem(
      runStateChecks(
        k: k, parameterCount: P, vectors: [("theta", theta.count), ("thetaEMA", thetaEMA.count)],
        optimizer: optimizer, generator: generator))
  }
}

/// The checks every decoded run shares, whatever its kind: k, the length of each parameter
/// vector, Adam's moments and hyper-parameters, and the generator.
package func runStateChecks<Scalar: NetworkScalar>(
  k: Int, parameterCount P: Int, vectors: [(name: String, count: Int)], optimizer: Adam<Scalar>,
  generator: SeededGenerator
) -> [(ok: Bool, message: String)] {
  [(k >= 0 && k <= SettingRange.steps.upperBound, "k must be in 0…100000000 (got \(k))")]
    + vectors.map { ($0.count == P, "\($0.name) must have \(P) entries (got \($0.count))") }
    + [
      (
        optimizer.m.count == P && optimizer.v.count == P,
        "optimizer moments must have \(P) entries each (got \(optimizer.m.count), \(optimizer.v.count))"
      ),
      (
        optimizer.t == k,
        "optimizer step count t must equal k (one Adam update per step), in 0…100000000 (got t = \(optimizer.t), k = \(k))"
      ),
      (optimizer.problem == nil, "optimizer: \(optimizer.problem ?? "")"),
      (generator.isUsable, "generator state must not be all zero (xoshiro256** would repeat 0 forever)"),
    ]
}
