// A branch-free e^x in Float, so that the SiLU loops over a batch vectorise.

/// e^x in single precision by Cody–Waite range reduction and the minimax polynomial of Cephes'
/// `expf` (Moshier 1992), written without branches or library calls so loops over it vectorise.
///
/// ```
/// n = round(x · log₂e),   r = x − n·C₁ − n·C₂   (C₁ + C₂ = ln 2, C₁ exact in 9 bits), |r| ≤ ½ ln 2
/// eʳ ≈ 1 + r + r²·(p₅ + p₄r + p₃r² + p₂r³ + p₁r⁴ + p₀r⁵)
/// eˣ = 2ⁿ · eʳ,   2ⁿ built directly in the exponent bits
/// ```
///
/// Mathematical properties: within 2 ulp of e^x for x ∈ [−87.33, 88.37]; outside that range x is
/// clamped, so the result stays finite and normal (e^−87.33 ≈ 1.2·10⁻³⁸, e^88.37 ≈ 2.7·10³⁸).
/// That is exactly what σ(x) = 1/(1 + e⁻ˣ) needs: σ saturates to 0 or 1 long before the clamp.
/// Rounding n uses the 1.5·2²³ trick: adding and subtracting it rounds x·log₂e to the nearest
/// integer in the float unit, and the sum's low bits hold n for building 2ⁿ.
///
/// Worked number: `fastExp(1)` is 2.7182817 (the Float nearest e), `fastExp(0)` is exactly 1.
@inline(__always)
func fastExp(_ x: Float) -> Float {
  let xMax: Float = 88.376_26  // ln(2¹²⁷ · (2 − 2⁻²³)), below Float's overflow
  let xMin: Float = -87.336_54  // ln 2⁻¹²⁶, the smallest normal
  var x = x > xMax ? xMax : x
  x = x < xMin ? xMin : x
  let magic: Float = 12_582_912  // 1.5 · 2²³
  let shifted = x * 1.442_695_04 + magic  // x·log₂e rounded to an integer, held in the low bits
  let n = shifted - magic
  let r = x - n * 0.693_359_375 - n * -2.121_944_40e-4
  var p: Float = 1.987_569_150_0e-4
  p = p * r + 1.398_199_950_7e-3
  p = p * r + 8.333_451_907_3e-3
  p = p * r + 4.166_579_589_4e-2
  p = p * r + 1.666_666_545_9e-1
  p = p * r + 5.000_000_120_1e-1
  let er = p * (r * r) + r + 1
  // 2ⁿ: (n + 127) in the exponent field; the bits of `shifted` are 0x4B40_0000 + n.
  let twoToN = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
  return er * twoToN
}
