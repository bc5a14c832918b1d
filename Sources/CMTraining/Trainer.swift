// The training loop: `for current_training_step in range(total_training_steps)`.

import CMCore
import CMTeacher
import CMData
import CMNetwork
import Foundation

// The trainers are generic over the network's Scalar, and a caller in another module (cm, a
// tutorial) would run them unspecialised: every multiply through BinaryFloatingPoint's witness
// table. `@_specialize` compiles Float and Double versions that generic calls dispatch to (as on
// MLP.forward/backward, Adam.update, updateTarget, ctStep and cdStep); without it, `cm bench`
// measured about half the steps per second.
extension TrainingState {
  /// Runs up to `steps` steps of Consistency Training (CM Algorithm 3) or, when the state has a
  /// teacher, Consistency Distillation (Algorithm 2) from the current k, calling `onStep` after
  /// each. Stops early, after a whole step, when `stop` returns true (the run driver's
  /// interruption and divergence checks).
  ///
  /// ```
  /// for k in k₀ ..< k₀ + steps:
  ///     data = data_distribution()           x ~ p_data, B points
  ///     ctStep(data)  or  cdStep(data, φ)     CTStep.swift / CDStep.swift: one line differs
  ///     θ_ema ← β θ_ema + (1 − β) θ           for sampling, not part of the algorithms
  /// ```
  ///
  /// Every draw comes from the state's generator, so a run split in two (with a checkpoint in
  /// between) gives bit for bit the same θ, θ⁻ and optimiser state as the run in one go.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func train(
    steps: Int, stoppingWhen stop: () -> Bool, onStep: (StepRecord) -> Void = { _ in }
  ) {
    var buffers = makeBuffers()
    let teacher = self.teacher  // φ for CD; nil for CT
    var x: [Double] = []  // the batch, refilled in place: no allocation per step
    for _ in 0..<steps {
      // data = data_distribution()
      config.dataset.sample(count: config.batchSize, using: &generator, into: &x)
      let record: StepRecord
      if let teacher {
        record = cdStep(data: x, teacher: teacher, buffers: &buffers)
      } else {
        record = ctStep(data: x, buffers: &buffers)
      }
      updateEvaluationEMA()
      onStep(record)
      if stop() { return }
    }
  }
}

extension TrainingState {
  /// Runs `steps` steps, calling `onStep` after each: `train(steps:stoppingWhen:onStep:)` that
  /// never stops early.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func train(steps: Int, onStep: (StepRecord) -> Void = { _ in }) {
    train(steps: steps, stoppingWhen: { false }, onStep: onStep)
  }

  /// θ_ema ← β·θ_ema + (1 − β)·θ after step k, with β = min(μ_ema, (1 + k)/(10 + k)): the ramp
  /// lets θ_ema forget the random initialisation within the first few dozen steps (the
  /// `num_updates` form of TensorFlow's ExponentialMovingAverage), and μ_ema rules afterwards.
  /// Not part of CM Algorithms 2 and 3, which never read θ_ema; sampling does.
  ///
  /// Worked number: after step k = 0, β = 1/10; from k = 8 990 on, β = μ_ema = 0.999.
  mutating func updateEvaluationEMA() {
    let beta = evaluationEMABeta(afterStep: k - 1, decay: config.evaluationEMADecay)
    updateTarget(thetaMinus: &thetaEMA, theta: theta, mu: beta)
  }
}

/// β of θ_ema after step k (0-based): min(μ_ema, (1 + k)/(10 + k)).
public func evaluationEMABeta(afterStep k: Int, decay muEMA: Double) -> Double {
  min(muEMA, (1 + Double(k)) / (10 + Double(k)))
}

/// The one-line log of STYLE.md: `k 1200  N(k)=17  μ(k)=0.9712  loss 0.0831`.
public enum TrainingLog {
  /// One log line after step k (1-based: the steps done); the loss is the interval's mean.
  public static func line(k: Int, N: Int, mu: Double, loss: Double) -> String {
    "k \(k)  N(k)=\(N)  μ(k)=\(format(mu, digits: 4))  loss \(format(loss, digits: 4, scientific: loss < 1e-3))"
  }
}
