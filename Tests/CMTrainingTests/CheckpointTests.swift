import CMCore
import Foundation
import CMStorage
import CMTeacher
import Testing

@testable import CMTraining

private func tinyConfig() -> TrainingConfig {
  var config = TrainingConfig()
  config.hiddenWidths = [16, 16]
  config.batchSize = 32
  config.totalSteps = 40
  return config
}

private func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("cm-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Test("K steps, a checkpoint written and read back, then K more steps equal 2K steps bit for bit")
func resumeIsBitExact() throws {
  var straight = TrainingState<Float>(config: tinyConfig())
  straight.train(steps: 40)

  var first = TrainingState<Float>(config: tinyConfig())
  first.train(steps: 20)
  let folder = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: folder) }
  let url = folder.appendingPathComponent("checkpoint.cmck")
  try Checkpoint(kind: "ct", state: first, history: []).write(to: url)
  var resumed = try Checkpoint.read(from: url).state
  #expect(resumed == first)
  resumed.train(steps: 20)

  #expect(resumed.k == 40)
  #expect(resumed.theta == straight.theta)
  #expect(resumed.thetaMinus == straight.thetaMinus)
  #expect(resumed.optimizer == straight.optimizer)
  #expect(resumed.generator == straight.generator)
  #expect(resumed == straight)
}

@Test("a truncated, corrupted or foreign checkpoint gets a clear error and is left untouched")
func damagedCheckpointsAreRejected() throws {
  var state = TrainingState<Float>(config: tinyConfig())
  state.train(steps: 3)
  let good = try Checkpoint(kind: "ct", state: state, history: []).encoded()
  let folder = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: folder) }

  var flipped = good
  flipped[good.count - 40] ^= 0x01
  let cases: [(String, Data, String)] = [
    ("truncated", good.prefix(good.count - 100), "truncated"),
    ("flipped", flipped, "corrupt"),
    ("foreign", Data("x,y\n1,2\n".utf8), "not a cm checkpoint"),
    ("empty", Data(), "not a cm checkpoint"),
  ]
  for (name, bytes, expected) in cases {
    let url = folder.appendingPathComponent(name)
    try bytes.write(to: url)
    #expect(throws: CheckpointError.self) { try Checkpoint.read(from: url) }
    do {
      _ = try Checkpoint.read(from: url)
    } catch {
      #expect(error.description.contains(expected), "\(name): \(error.description)")
      #expect(error.description.contains(url.path))
    }
    #expect(try Data(contentsOf: url) == bytes, "\(name) must be left as it was")
  }
  let missing = folder.appendingPathComponent("missing")
  #expect(throws: CheckpointError.self) { try Checkpoint.read(from: missing) }
}

@Test("writing over an existing checkpoint is atomic: a failed write leaves the old file")
func failedWriteLeavesOldFile() throws {
  let folder = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: folder) }
  let url = folder.appendingPathComponent("file")
  try writeAtomically(Data("old".utf8), to: url)
  try writeAtomically(Data("new".utf8), to: url)
  #expect(try String(contentsOf: url, encoding: .utf8) == "new")
  // A destination in a folder that does not exist cannot be written; nothing is left behind.
  let bad = folder.appendingPathComponent("no/such/folder/file")
  #expect(throws: FileWriteError.self) { try writeAtomically(Data("x".utf8), to: bad) }
  let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
  #expect(leftovers == ["file"])
}

@Test("an edm teacher checkpoint and a consistency-model checkpoint are told apart by their header")
func checkpointKindsAreKeptApart() throws {
  let folder = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: folder) }
  var config = EDMPretrainingConfig.preset(.tiny)
  config.hiddenWidths = [8]
  config.batchSize = 8
  var teacherState = EDMPretrainingState<Float>(config: config)
  teacherState.trainEDM(steps: 2)
  let teacherURL = folder.appendingPathComponent("teacher.cmck")
  try EDMCheckpoint(state: teacherState, history: []).write(to: teacherURL)
  let ctURL = folder.appendingPathComponent("checkpoint.cmck")
  try Checkpoint(kind: "ct", state: TrainingState<Float>(config: tinyConfig()), history: []).write(to: ctURL)

  #expect(try CheckpointFile.kind(of: teacherURL) == "edm")
  #expect(try CheckpointFile.kind(of: ctURL) == "ct")
  #expect(try EDMCheckpoint.read(from: teacherURL).state == teacherState)
  #expect(try EDMCheckpoint.read(from: teacherURL).teacher == EDMTeacher(state: teacherState))
  do {
    _ = try Checkpoint.read(from: teacherURL)
    Issue.record("an edm checkpoint was read as a consistency model")
  } catch {
    #expect(
      error.description
        == "\(teacherURL.path) is an edm teacher checkpoint, not a consistency-model checkpoint")
  }
  do {
    _ = try EDMCheckpoint.read(from: ctURL)
    Issue.record("a ct checkpoint was read as an edm teacher")
  } catch {
    #expect(
      error.description == "\(ctURL.path) is a ct consistency-model checkpoint, not an edm teacher checkpoint"
    )
  }
  // Peeking needs only the header: it names a missing or foreign file like `read` does.
  let foreign = folder.appendingPathComponent("foreign")
  try Data("x,y\n1,2\n".utf8).write(to: foreign)
  #expect(
    throws: CheckpointError(description: "\(foreign.path) is not a cm checkpoint (no cm-checkpoint header)")
  ) {
    try CheckpointFile.kind(of: foreign)
  }
  #expect(throws: CheckpointError.self) {
    try CheckpointFile.kind(of: folder.appendingPathComponent("missing"))
  }
  // A damaged teacher gets the same errors as a damaged consistency model.
  let good = try Data(contentsOf: teacherURL)
  let truncated = folder.appendingPathComponent("truncated")
  try good.prefix(good.count - 10).write(to: truncated)
  #expect(try CheckpointFile.kind(of: truncated) == "edm")
  do {
    _ = try EDMCheckpoint.read(from: truncated)
    Issue.record("a truncated teacher was read")
  } catch {
    #expect(error.description.contains("truncated") && error.description.contains(truncated.path))
  }
}

@Test("a checkpoint whose kind, method, teacher or parameter counts disagree is refused on read")
func inconsistentCheckpointsAreRefused() throws {
  let folder = try temporaryDirectory()
  defer { try? FileManager.default.removeItem(at: folder) }
  let ct = TrainingState<Float>(config: tinyConfig())
  // A CT state labelled cd: the header and payload agree with each other, but not with the state.
  let mislabelled = folder.appendingPathComponent("mislabelled.cmck")
  try Checkpoint(kind: "cd", state: ct, history: []).write(to: mislabelled)
  #expect(throws: CheckpointError.self) { try Checkpoint.read(from: mislabelled) }
  do {
    _ = try Checkpoint.read(from: mislabelled)
  } catch {
    #expect(error.description.contains("inconsistent") && error.description.contains(mislabelled.path))
  }
  // The same state labelled as what it is reads back.
  let fine = folder.appendingPathComponent("fine.cmck")
  try Checkpoint(kind: "ct", state: ct, history: []).write(to: fine)
  #expect(try Checkpoint.read(from: fine).state == ct)
}
