// Zero-shot editing: CM Algorithm 4, with A = I (inpainting), on the coordinates of 2-D data.

import CMCore
import CMNetwork

extension ConsistencyModel {
  /// Zero-shot editing (CM Algorithm 4, App. D) with the identity for A: fill in the coordinates
  /// marked by Ω, keep the others from the reference y. In 2-D, "one coordinate fixed" is the
  /// analogue of inpainting (the kept pixels).
  ///
  /// ```
  /// y ← A⁻¹[(Ay) ⊙ (1 − Ω) + 0 ⊙ Ω]                  (the coordinates to generate zeroed)
  /// x ~ N(y, t₁² I)
  /// x ← f_θ(x, t₁)
  /// x ← A⁻¹[(Ax) ⊙ Ω + (Ay) ⊙ (1 − Ω)]              (the kept coordinates put back)
  /// for n = 2 … N:
  ///   x ~ N(x, (t_n² − ε²) I)
  ///   x ← f_θ(x, t_n)
  ///   x ← A⁻¹[(Ax) ⊙ Ω + (Ay) ⊙ (1 − Ω)]
  /// ```
  ///
  /// Ω is 1 on the coordinates to generate and 0 on those kept from y (the official code's
  /// `mask` in `iterative_inpainting` is the complement: 1 on the kept pixels). With A = I every
  /// A⁻¹[…] is a plain replacement. As in Algorithm 1, x is treated as a sample at level ε after
  /// each jump, so √(t_n² − ε²) of fresh noise brings it to level t_n.
  ///
  /// Mathematical properties: the kept coordinates of the output equal y exactly; with Ω = 1
  /// everywhere it is multistep sampling (Algorithm 1 with τ = t₂, …, t_N) started from N(0, t₁²I).
  ///
  /// - Parameters:
  ///   - theta: the network parameters to edit with (θ_ema, θ⁻ or θ; argument label
  ///     `parameters`).
  ///   - y: the reference points, count × D row-major (argument label `reference`).
  ///   - omega: Ω, D entries, true where the coordinate is generated (Ω = 1; argument label
  ///     `mask`).
  ///   - times: t₁ > t₂ > … > t_N, each in (ε, T].
  ///   - generator: the source of the noise.
  ///   - trace: receives `.x` after each replacement.
  /// - Returns: the edited points, count × D.
  public func edit(
    parameters theta: [Scalar], reference y: [Double], mask omega: [Bool], times: [Double],
    generator: inout SeededGenerator, trace: TraceHook<SamplerValue>? = nil
  ) -> [Double] {
    precondition(omega.count == dimension, "edit: the mask has one entry per coordinate")
    var workspace = makeWorkspace(batchSize: max(y.count / max(dimension, 1), 1))
    return zeroShotEdit(
      reference: y, mask: omega, times: times, sigmaMin: sigmaMin, generator: &generator, trace: trace
    ) { x, t in self(parameters: theta, x: x, t: t, workspace: &workspace) }
  }
}

/// CM Algorithm 4 with A = I for any consistency function f(x, t) (batched: a flat count × D
/// array and one t per row): `ConsistencyModel.edit` with f_θ, or the exact f* of a mixture,
/// which shows what the algorithm itself gives with a perfect consistency model.
public func zeroShotEdit(
  reference y: [Double], mask omega: [Bool], times: [Double], sigmaMin epsilon: Double,
  generator: inout SeededGenerator, trace: TraceHook<SamplerValue>? = nil,
  f: (_ x: [Double], _ t: [Double]) -> [Double]
) -> [Double] {
  let D = omega.count
  precondition(D > 0 && !y.isEmpty && y.count % D == 0, "zeroShotEdit: y is not count × D")
  precondition(!times.isEmpty, "zeroShotEdit: needs at least one time t₁")
  let count = y.count / D
  // y ← y ⊙ (1 − Ω) + 0 ⊙ Ω
  let yKept = y.indices.map { omega[$0 % D] ? 0 : y[$0] }
  // x ← x ⊙ Ω + y ⊙ (1 − Ω)
  func replaceKept(_ x: inout [Double]) {
    for i in x.indices where !omega[i % D] { x[i] = yKept[i] }
  }
  // x ~ N(y, t₁² I)
  let t1 = times[0]
  let z = generator.gaussians(count: count * D)
  var x = (0..<count * D).map { yKept[$0] + t1 * z[$0] }
  // x ← f_θ(x, t₁)
  x = f(x, [Double](repeating: t1, count: count))
  replaceKept(&x)
  trace?(.x, x)
  for tN in times.dropFirst() {
    // x ~ N(x, (t_n² − ε²) I)
    let zPrime = generator.gaussians(count: count * D)
    let scale = (tN * tN - epsilon * epsilon).squareRoot()
    let xTN = (0..<x.count).map { x[$0] + scale * zPrime[$0] }
    // x ← f_θ(x, t_n)
    x = f(xTN, [Double](repeating: tN, count: count))
    replaceKept(&x)
    trace?(.x, x)
  }
  return x
}
