// The CT pair of noisy inputs, built from one data point and one noise draw.
//
// Seed pseudocode:
//   current_noisy_data = data + current_sigmas * noise
//   next_noisy_data = data + next_sigmas * noise

/// One element-wise line of the VE forward process: x_t = x + t·z (CM §2, EDM convention).
///
/// `data + sigmas * noise` in the seed pseudocode.
///
/// - Parameters:
///   - x: the clean data point.
///   - z: the noise, the same length as x.
///   - t: the noise level σ = t ≥ 0.
public func addNoise(x: [Double], z: [Double], t: Double) -> [Double] {
  precondition(x.count == z.count, "addNoise: x and z must have the same length")
  return zip(x, z).map { xi, zi in xi + t * zi }
}

/// `addNoise` for every row b of a row-major batch x (B × D), each row at its own noise level
/// t[b]: x_b + t_b·z_b, the batched line `data + sigmas * noise` of the CT and CD steps.
public func addNoise(batch x: [Double], z: [Double], t: [Double]) -> [Double] {
  precondition(x.count == z.count && !t.isEmpty && x.count % t.count == 0, "addNoise: x is not B × D")
  let D = x.count / t.count
  return (0..<x.count).map { i in x[i] + t[i / D] * z[i] }
}

/// The Consistency Training pair of CM Algorithm 3: both noisy inputs come from the **same** data
/// point x and the **same** noise z.
///
/// ```
/// x_{t_n}     = x + t_n · z         (current_noisy_data; the target network's input)
/// x_{t_{n+1}} = x + t_{n+1} · z     (next_noisy_data; the online network's input)
/// ```
///
/// Mathematical property: the pair shares z, so (x_{t_{n+1}} − x_{t_n}) / (t_{n+1} − t_n) = z,
/// and x_{t_n} is exactly what one Euler step of the probability-flow ODE from x_{t_{n+1}} gives
/// when the denoiser is replaced by the data point itself (see `eulerStep`). That is the whole
/// difference between CT and CD.
///
/// Worked number: x = (1, −1), z = (0.5, 2), t_n = 0.1, t_{n+1} = 0.3 gives
/// x_{t_n} = (1.05, −0.8) and x_{t_{n+1}} = (1.15, −0.4).
public func ctNoisyPair(x: [Double], z: [Double], tN: Double, tNPlus1: Double)
  -> (xTN: [Double], xTNPlus1: [Double])
{
  (xTN: addNoise(x: x, z: z, t: tN), xTNPlus1: addNoise(x: x, z: z, t: tNPlus1))
}
