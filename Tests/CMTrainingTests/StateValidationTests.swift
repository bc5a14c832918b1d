// Decoded states are checked like flags; the resource estimate refuses what the machine cannot
// hold; the run folder commits a checkpoint and its log together.

import CMCore
import CMData
import CMStorage
import CMNetwork
import CMTeacher
import Foundation
import Testing

@testable import CMTraining

@Suite struct StateValidationTests {
  @Test func aFreshStateHasNoProblem() {
    #expect(TrainingState<Float>(config: TrainingConfig.preset(.tiny)).problem == nil)
    let cd = TrainingState<Float>(
      config: TrainingConfig.preset(.tiny, method: .cd), teacher: .oracle(Dataset.ring8.mixture!))
    #expect(cd.problem == nil)
    #expect(EDMPretrainingState<Float>(config: EDMPretrainingConfig.preset(.tiny)).problem == nil)
  }

  /// Each field out of range is named in the message.
  @Test func eachFieldOutOfRangeIsNamed() {
    let cases: [(String, (inout TrainingConfig) -> Void)] = [
      ("totalSteps", { $0.totalSteps = 0 }), ("batchSize", { $0.batchSize = 0 }),
      ("learningRate", { $0.learningRate = .nan }), ("hiddenWidths", { $0.hiddenWidths = [] }),
      ("sigmaMin", { $0.sigmaMin = 0 }), ("sigmaMax", { $0.sigmaMax = 0.001 }),
      ("sigmaData", { $0.sigmaData = -1 }),
      ("rho", { $0.rho = 0 }), ("logEvery", { $0.logEvery = 0 }),
      ("evaluationEMADecay", { $0.evaluationEMADecay = 1 }),
      ("schedule s0", { $0.schedule = .ctCurriculum(s0: 1, s1: 40, mu0: 0.9, variant: .paper) }),
      ("schedule mu0", { $0.schedule = .ctCurriculum(s0: 2, s1: 40, mu0: 1, variant: .paper) }),
      ("schedule N", { $0.schedule = .fixed(N: 1, mu: 0.5) }),
      ("pseudo-Huber c", { $0.metric = .pseudoHuber(c: 0) }),
    ]
    for (name, change) in cases {
      var config = TrainingConfig.preset(.tiny)
      change(&config)
      #expect(config.problem?.contains(name) == true, "\(name): \(config.problem ?? "no problem found")")
    }
  }

  @Test func aStateWithShortArraysOrAZeroGeneratorIsRefused() throws {
    let state = TrainingState<Float>(config: TrainingConfig.preset(.tiny))
    let encoded = try JSONEncoder().encode(state)
    var object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    object["thetaMinus"] = [0.0]
    let short = try JSONDecoder().decode(
      TrainingState<Float>.self, from: try JSONSerialization.data(withJSONObject: object))
    #expect(short.problem?.contains("thetaMinus") == true)
    var generator = try #require(object["generator"] as? [String: Any])
    for word in ["s0", "s1", "s2", "s3"] { generator[word] = 0 }
    object["thetaMinus"] = (try JSONSerialization.jsonObject(with: encoded) as? [String: Any])?["thetaMinus"]
    object["generator"] = generator
    let zero = try JSONDecoder().decode(
      TrainingState<Float>.self, from: try JSONSerialization.data(withJSONObject: object))
    #expect(zero.problem?.contains("generator") == true)
  }

  /// Adam's step count must be k (one update per step): a huge t, or one that disagrees with k,
  /// is refused by name.
  @Test func anOptimizerStepCountOtherThanKIsRefused() throws {
    let state = TrainingState<Float>(config: TrainingConfig.preset(.tiny))
    var object = try #require(
      try JSONSerialization.jsonObject(with: try JSONEncoder().encode(state)) as? [String: Any])
    for t in [1_000_000_000_000, 1, -1] {
      var optimizer = try #require(object["optimizer"] as? [String: Any])
      optimizer["t"] = t
      object["optimizer"] = optimizer
      let decoded = try JSONDecoder().decode(
        TrainingState<Float>.self, from: try JSONSerialization.data(withJSONObject: object))
      #expect(decoded.problem?.contains("optimizer step count t must equal k") == true, "t = \(t)")
    }
  }

  /// An EDM teacher whose network is not 3 → widths → 2 (here a 3-D denoiser, 4 → 4 → 3, whose φ
  /// has the right length for its own layout) is refused before the CD step could reach it.
  @Test func aTeacherOfAnotherShapeIsRefused() {
    let model = DiffusionModel<Float>(dimension: 3, hiddenWidths: [4], sigmaData: 0.5)
    let teacher = Teacher.edm(
      EDMTeacher(model: model, parameters: [Float](repeating: 0, count: model.network.parameterCount)))
    #expect(teacher.problem(dataset: .ring8)?.contains("model must be a 2-D denoiser") == true)
    let right = DiffusionModel<Float>(dimension: 2, hiddenWidths: [4], sigmaData: 0.5)
    let good = Teacher.edm(
      EDMTeacher(model: right, parameters: [Float](repeating: 0, count: right.network.parameterCount)))
    #expect(good.problem(dataset: .ring8) == nil)
  }

  /// An EDM pre-training config with a hidden width of 0 is named, not trapped on in
  /// ParameterLayout while the model is compared with it.
  @Test func anEDMStateWithAZeroWidthIsRefusedByName() throws {
    let state = EDMPretrainingState<Float>(config: EDMPretrainingConfig.preset(.tiny))
    var object = try #require(
      try JSONSerialization.jsonObject(with: try JSONEncoder().encode(state)) as? [String: Any])
    var config = try #require(object["config"] as? [String: Any])
    config["hiddenWidths"] = [0]
    object["config"] = config
    let decoded = try JSONDecoder().decode(
      EDMPretrainingState<Float>.self, from: try JSONSerialization.data(withJSONObject: object))
    #expect(decoded.problem?.contains("hiddenWidths") == true)
  }

  /// The default run fits in a few MiB; eight layers of 4096 at B = 65 536 need hundreds of GiB.
  @Test func resourceEstimate() {
    let small = TrainingConfig().resourceEstimate(teacher: nil)
    #expect(small.memoryBytes < 64 * 1_048_576 && small.fitsInMemory())
    var huge = TrainingConfig()
    huge.batchSize = 65_536
    huge.hiddenWidths = Array(repeating: 4096, count: 8)
    #expect(huge.resourceEstimate(teacher: nil).memoryBytes > 100 * 1_073_741_824)
    #expect(!huge.resourceEstimate(teacher: nil).fitsInMemory())
    // One workspace row of 3 → 128 → 128 → 128 → 2: 3 + 2·384 + 2·128.
    #expect(ParameterLayoutRow.of([128, 128, 128]) == 3 + 768 + 256)
  }
}

/// The workspace row of the consistency model's MLP with these hidden widths.
enum ParameterLayoutRow {
  static func of(_ widths: [Int]) -> Int {
    ParameterLayout(inputDim: 3, hiddenWidths: widths, outputDim: 2).workspaceRow
  }
}

@Suite struct RunFolderTests {
  @Test func refusesAnEmptyPathAndAFileAndChecksFreeSpace() throws {
    #expect(throws: OutputPathError.self) { _ = try RunFolder.prepare(path: "", checkpointName: "c.cmck") }
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cm-runfolder-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    let folder = try RunFolder.prepare(path: base.path, checkpointName: "c.cmck")
    #expect(!folder.hasCheckpoint && folder.existingLog() == "")
    // No disk has an exbibyte free: a run that needs one is refused before it starts.
    #expect(throws: OutputPathError.self) { try folder.requireFreeSpace(1 << 60) }
    try folder.requireFreeSpace(1)
    try folder.commit(checkpoint: Data("state".utf8), log: "k 1  loss 0.5\n")
    #expect(folder.hasCheckpoint && folder.existingLog() == "k 1  loss 0.5\n")
    let file = base.appendingPathComponent("c.cmck").path
    #expect(throws: OutputPathError.self) { _ = try RunFolder.prepare(path: file, checkpointName: "c.cmck") }
  }
}
