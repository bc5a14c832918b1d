// The trace hook observes and never changes: a traced step computes bit for bit what an untraced
// one does, and reports every `ConsistencyStepValue` once, in declaration order.

import CMCore
import CMData
import CMStorage
import CMTeacher
import Testing

@testable import CMTraining

@Suite struct TraceTests {
  /// The same state stepped with and without a hook ends bit for bit equal, for CT and for CD.
  @Test(arguments: [TrainingMethod.ct, .cd])
  func tracingOnAndOffGiveTheSameState(method: TrainingMethod) {
    var config = TrainingConfig.preset(.tiny, method: method)
    config.batchSize = 8
    let teacher: Teacher? = method == .cd ? .oracle(Dataset.ring8.mixture!) : nil
    var quiet = TrainingState<Double>(config: config, teacher: teacher)
    quiet.train(steps: 5)  // past k = 0, so that N(k) and the pairs are not trivial
    var traced = quiet
    var quietBuffers = quiet.makeBuffers()
    var tracedBuffers = traced.makeBuffers()
    var names: [ConsistencyStepValue] = []
    for _ in 0..<3 {
      var dataGenerator = SeededGenerator(seed: UInt64(quiet.k))
      let x = config.dataset.sample(count: config.batchSize, using: &dataGenerator)
      let hook: TraceHook<ConsistencyStepValue> = { name, _ in names.append(name) }
      let a: StepRecord
      let b: StepRecord
      if let teacher {
        a = quiet.cdStep(data: x, teacher: teacher, buffers: &quietBuffers)
        b = traced.cdStep(data: x, teacher: teacher, buffers: &tracedBuffers, trace: hook)
      } else {
        a = quiet.ctStep(data: x, buffers: &quietBuffers)
        b = traced.ctStep(data: x, buffers: &tracedBuffers, trace: hook)
      }
      #expect(a == b)
    }
    #expect(quiet == traced, "θ, θ⁻, Adam and the generator agree bit for bit")
    #expect(names == Array(repeating: ConsistencyStepValue.allCases, count: 3).flatMap { $0 })
  }
}
