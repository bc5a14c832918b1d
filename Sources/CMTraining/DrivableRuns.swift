// The two kinds of run the driver trains: a consistency model (CT or CD) and the EDM teacher.

import CMCore
import CMNetwork
import CMTeacher

extension TrainingState: DrivableRun {
  public var intervalLength: Int { config.logEvery }

  /// `train(steps:stoppingWhen:onStep:)`: CT or CD steps, as the state's teacher says.
  public mutating func advance(steps: Int, stoppingWhen stop: () -> Bool, onStep: (StepRecord) -> Void) {
    train(steps: steps, stoppingWhen: stop, onStep: onStep)
  }
}

extension StepRecord: IntervalRecord {
  public func replacingLoss(_ loss: Double) -> StepRecord {
    StepRecord(k: k, N: N, mu: mu, loss: loss)
  }

  /// `k 1200  N(k)=17  μ(k)=0.9712  loss 0.0831`, with k the number of steps done.
  public var logLine: String { TrainingLog.line(k: k + 1, N: N, mu: mu, loss: loss) }
}

extension EDMPretrainingState: DrivableRun {
  public var intervalLength: Int { config.logEvery }

  /// `trainEDM(steps:stoppingWhen:onStep:)`.
  public mutating func advance(steps: Int, stoppingWhen stop: () -> Bool, onStep: (EDMStepRecord) -> Void) {
    trainEDM(steps: steps, stoppingWhen: stop, onStep: onStep)
  }
}

extension EDMStepRecord: IntervalRecord {
  public func replacingLoss(_ loss: Double) -> EDMStepRecord { EDMStepRecord(k: k, loss: loss) }

  /// `k 1200  loss 0.0831`, with k the number of steps done.
  public var logLine: String { EDMPretrainingLog.line(k: k + 1, loss: loss) }
}
