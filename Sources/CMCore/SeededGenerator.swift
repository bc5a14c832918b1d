// The seeded random source behind every draw in the library.
//
// Seed pseudocode:
//   noise = standard_gaussian_noise()
//   timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)   (its integers)

/// A portable, seedable random source: xoshiro256** seeded by SplitMix64, with Gaussian draws
/// by Marsaglia's polar method.
///
/// Randomness is always passed in (STYLE.md rule 5), and the system generator cannot be seeded,
/// so the library carries its own. Every output is defined by integer arithmetic and IEEE-754
/// operations that are correctly rounded on every platform (+, −, ×, ÷, √), plus `portableLog`,
/// which is itself written with those operations only. So the same seed gives the same numbers,
/// bit for bit, on every platform and Swift version. The NumPy reference
/// (`Fixtures/generate_fixtures.py`) re-implements the same algorithms and the fixture
/// `generator.json` pins the first outputs.
///
/// ```
/// seeding      SplitMix64(seed) → s₀, s₁, s₂, s₃            (Steele, Lea & Flood 2014)
/// next()       rotl(s₁ · 5, 7) · 9, then the xoshiro256 state transition (Blackman & Vigna 2018)
/// uniform      U = (next() >> 11) · 2⁻⁵³ ∈ [0, 1)
/// integer      n ∈ {0, …, m−1} by Lemire's multiply-shift with rejection (unbiased)
/// Gaussian     u, v = 2U − 1, 2U′ − 1 until 0 < s = u² + v² < 1;
///              z₁ = u·√(−2 ln s / s), z₂ = v·√(−2 ln s / s)  (z₂ is kept for the next call)
/// ```
///
/// Mathematical properties: the uniform draws are multiples of 2⁻⁵³ in [0, 1); the integer draws
/// are exactly uniform; the Gaussian draws are exactly N(0, 1) up to floating-point rounding.
///
/// Worked number: `SeededGenerator(seed: 0).next()` is 0x99EC5F36CB75F2B4 (the first output of
/// xoshiro256** seeded by SplitMix64 from 0).
///
/// The whole state is a value: copying the generator forks the stream, and encoding it in a
/// checkpoint lets training resume bit for bit.
public struct SeededGenerator: RandomNumberGenerator, Codable, Sendable, Equatable {
  /// The four 64-bit words of xoshiro256** state.
  public private(set) var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
  /// The second value of the last polar-method pair, returned by the next `nextGaussian()`.
  public private(set) var spareGaussian: Double?

  /// Seeds the four state words with four consecutive SplitMix64 outputs from `seed`.
  public init(seed: UInt64) {
    var x = seed
    func splitMix64() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix64()
    s1 = splitMix64()
    s2 = splitMix64()
    s3 = splitMix64()
    spareGaussian = nil
  }

  /// Whether the state can generate: xoshiro256** maps the all-zero state to itself forever
  /// (seeding never produces it; only a damaged checkpoint can), and a spare Gaussian is finite.
  public var isUsable: Bool {
    (s0 | s1 | s2 | s3) != 0 && (spareGaussian?.isFinite ?? true)
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, by: 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, by: 45)
    return result
  }

  /// A uniform draw from [0, 1): the top 53 bits of `next()` times 2⁻⁵³.
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform integer in {0, …, upperBound − 1}, by Lemire's multiply-shift with rejection.
  public mutating func nextInt(below upperBound: Int) -> Int {
    precondition(upperBound > 0, "nextInt(below:) needs a positive bound")
    let m = UInt64(upperBound)
    var product = next().multipliedFullWidth(by: m)
    if product.low < m {
      let threshold = (0 &- m) % m  // 2⁶⁴ mod m
      while product.low < threshold {
        product = next().multipliedFullWidth(by: m)
      }
    }
    return Int(product.high)
  }

  /// A standard normal draw z ~ N(0, 1), by Marsaglia's polar method.
  public mutating func nextGaussian() -> Double {
    if let spare = spareGaussian {
      spareGaussian = nil
      return spare
    }
    while true {
      let u = 2 * nextUniform() - 1
      let v = 2 * nextUniform() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let factor = (-2 * portableLog(s) / s).squareRoot()
        spareGaussian = v * factor
        return u * factor
      }
    }
  }

  /// `count` standard normal draws, in the order `nextGaussian()` produces them.
  public mutating func gaussians(count: Int) -> [Double] {
    (0..<count).map { _ in nextGaussian() }
  }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
  (x << k) | (x >> (64 - k))
}

/// The natural logarithm of a positive, finite x, using only correctly rounded IEEE operations,
/// so that it gives the same bits everywhere (the platform's `log` may differ in the last place).
///
/// ```
/// x = m · 2ᵉ with m ∈ [√½, √2),   s = (m − 1)/(m + 1),
/// ln x = e · ln 2 + 2·(s + s³/3 + s⁵/5 + … + s²⁵/25)
/// ```
///
/// |s| ≤ 0.1716, so the first omitted term is below 2⁻⁶⁰ relative; ln 2 is split in two parts so
/// that e · ln 2 is exact to about 2⁻⁸⁰. Accuracy: within 3 ulp of glibc's `log` (measured over
/// 40 000 values; about 1 in 30 000 is 3 ulp away). Its purpose is identical bits everywhere.
public func portableLog(_ x: Double) -> Double {
  precondition(x > 0 && x.isFinite, "portableLog needs a positive finite argument")
  // x = m · 2^e with m in [1, 2) (exact for normal and subnormal x), then fold m into [√½, √2).
  var e = Double(x.exponent)
  var m = x.significand
  if m > 1.414_213_562_373_095_1 {
    m /= 2
    e += 1
  }
  let s = (m - 1) / (m + 1)
  let s2 = s * s
  // Horner form of 1 + s²/3 + s⁴/5 + … + s²⁴/25.
  var series = 1.0 / 25.0
  for k in stride(from: 23, through: 1, by: -2) {
    series = series * s2 + 1.0 / Double(k)
  }
  // ln 2 = ln2Hi + ln2Lo, with ln2Hi holding only 32 significant bits so e · ln2Hi is exact.
  let ln2Hi = 0.693_147_180_369_123_816_49
  let ln2Lo = 1.908_214_929_270_587_7e-10
  return e * ln2Hi + (2 * s * series + e * ln2Lo)
}
