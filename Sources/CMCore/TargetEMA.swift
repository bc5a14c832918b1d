// The target network's update: θ⁻ follows θ by an exponential moving average.
//
// Seed pseudocode:
//   teacher_model_params = current_ema_decay_rate * teacher_model_params
//                        + (1 - current_ema_decay_rate) * student_model_params

/// The target-network update of CM Eq. 8 on flat parameter vectors.
///
/// `teacher_model_params` in the seed pseudocode is θ⁻, the paper's *target network*: an EMA copy
/// of the online network θ (`student_model_params`), not a pre-trained distillation teacher.
///
/// ```
/// θ⁻ ← stopgrad( μ · θ⁻ + (1 − μ) · θ )
/// ```
///
/// Mathematical properties: μ = 0 copies θ exactly (0 · θ⁻ + 1 · θ, bit for bit) — iCT's choice
/// and CIFAR-10 CD's; μ = 1 leaves θ⁻ unchanged; each entry of the result lies between the
/// corresponding entries of θ⁻ and θ.
///
/// Worked number: θ⁻ = (1, 2), θ = (3, 0), μ = 0.75 gives θ⁻ = (1.5, 1.5).
///
/// - Parameters:
///   - thetaMinus: θ⁻, updated in place (Double for the golden tests, Float for training).
///   - theta: θ, the same length.
///   - mu: μ ∈ [0, 1], rounded once to the parameters' precision.
// Specialised for Float and Double: a generic caller (the trainer is generic over its Scalar) then
// runs a tight loop instead of calling BinaryFloatingPoint's operators through a witness table,
// which made this 35 000-parameter update cost a quarter of a training step.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func updateTarget<Scalar: BinaryFloatingPoint>(
  thetaMinus: inout [Scalar], theta: [Scalar], mu: Double
) {
  precondition(thetaMinus.count == theta.count, "updateTarget: θ⁻ and θ must have the same length")
  precondition(mu >= 0 && mu <= 1, "updateTarget: μ must lie in [0, 1]")
  let mu = Scalar(mu)
  let oneMinusMu = 1 - mu
  thetaMinus.withUnsafeMutableBufferPointer { thetaMinus in
    theta.withUnsafeBufferPointer { theta in
      for i in thetaMinus.indices {
        thetaMinus[i] = mu * thetaMinus[i] + oneMinusMu * theta[i]
      }
    }
  }
}
