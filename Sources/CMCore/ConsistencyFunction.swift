// The consistency function f_θ: any network F_θ wrapped in the boundary scalings.
//
// Seed pseudocode:
//   student_model_prediction = (skip_scaling(next_sigmas, ...) * next_noisy_data
//                             + output_scaling(next_sigmas, ...) * student_model(next_noisy_data, next_sigmas))

/// The consistency function of CM Eq. 5 for a network F given as a closure.
///
/// ```
/// f_θ(x, t) = c_skip(t) · x + c_out(t) · F_θ(c_in(t) · x, c_noise(t))
/// ```
///
/// `student_model(next_noisy_data, next_sigmas)` in the seed pseudocode hides c_in and c_noise
/// inside the model; here they are explicit, so F sees the scaled input and ¼ ln t.
///
/// Mathematical property (the boundary condition f_θ(x, ε) = x): c_skip(ε) = 1 and c_out(ε) = 0,
/// so f(x, ε) = x for **any** F, bit for bit, as long as F's output is finite.
///
/// - Parameters:
///   - x: the noisy input x_t.
///   - t: its noise level, t ≥ ε.
///   - sigmaData: σ_data, the data's standard deviation (0.5, as in CM and EDM).
///   - sigmaMin: ε, the smallest noise level, where c_skip = 1 and c_out = 0.
///   - F: the raw network, called as F(c_in·x, c_noise); returns a vector the length of x.
public func consistencyFunction(
  x: [Double], t: Double, sigmaData: Double = 0.5, sigmaMin: Double = 0.002,
  F: ([Double], Double) -> [Double]
) -> [Double] {
  let scalings = BoundaryScalings(t: t, sigmaData: sigmaData, sigmaMin: sigmaMin)
  let networkOutput = F(x.map { scalings.cIn * $0 }, scalings.cNoise)
  precondition(networkOutput.count == x.count, "consistencyFunction: F must return x's length")
  return zip(x, networkOutput).map { xi, Fi in scalings.cSkip * xi + scalings.cOut * Fi }
}
