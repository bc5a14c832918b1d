// Eight uniform squares of a 4 × 4 board: sharp edges and no noise, so nothing is smooth.
import CMCore

/// The checkerboard of Grathwohl et al. 2019 (FFJORD's toy data, without its final ×2): the
/// eight "black" unit squares of a 4 × 4 board on [−2, 2]², standardised to per-coordinate mean 0
/// and std σ_data = 0.5.
///
/// ```
/// x₁ ~ U[−2, 2),  p = ⌊x₁⌋ mod 2 ∈ {0, 1},  u ~ U[0, 1),  b ~ U{0, 1}
/// raw = (x₁, u − 2b + p)
/// x   = (raw − μ_raw) · σ_data / σ_raw      (see `Standardization`)
/// ```
///
/// The constants are exact. p and b are independent fair bits, so the offset p − 2b is 0, −2, 1
/// or −1 with probability ¼ each and raw₂ is uniform on [−2, 2), like raw₁:
///
/// ```
/// μ_raw = (0, 0),   σ²_raw,j = 4²/12 = 4/3,   σ_raw,j = 2/√3
/// ```
///
/// (The coordinates are uncorrelated with each other only in part: E[raw₁ raw₂] = ¼, correlation
/// 3/16; standardising per coordinate does not change that.)
///
/// Measured check (the tests): 10⁶ raw points from `SeededGenerator(seed: 2023)` give
/// mean (−0.0004, −0.0013) and std (1.1543, 1.1550), within the sampling error of the above.
///
/// Worked number: σ_raw = 2/√3 = 1.15470053…, so the scale is σ_data/σ_raw = √3/4 = 0.43301270….
public enum Checkerboard {
  /// μ_raw and σ_raw, exact (see above).
  public static let standardization = Standardization(
    rawMean: SIMD2(0, 0), rawStd: SIMD2(repeating: 2 / 3.0.squareRoot()))

  /// One raw (unstandardised) point: three uniforms (x₁, u, b).
  public static func rawPoint(using generator: inout SeededGenerator) -> SIMD2<Double> {
    let x1 = 4 * generator.nextUniform() - 2
    let u = generator.nextUniform()
    let b = Double(generator.nextInt(below: 2))
    let column = Int(x1.rounded(.down))  // −2 … 1
    let p = Double(((column % 2) + 2) % 2)  // the non-negative remainder
    return SIMD2(x1, u - 2 * b + p)
  }

  /// `count` standardised points, flat row-major count × 2.
  public static func sample(count: Int, using generator: inout SeededGenerator) -> [Double] {
    standardization.sample(count: count, using: &generator, rawPoint: rawPoint)
  }
}
