import Foundation
import Testing

private struct Output: Decodable {
  var mu: Double
  var N: Int
}

private func emaDecay(_ arguments: [String]) throws -> Output {
  try inspect(["inspect", "ema-decay"] + arguments, as: Output.self, keys: ["mu", "N"])
}

/// REFERENCE.md's checks (paper form, K = 800000, s₀ = 2, s₁ = 150, μ₀ = 0.9).
@Test func emaDecayMatchesTheReference() throws {
  let start = try emaDecay(["--step", "0", "--total-steps", "800000"])
  #expect(start.N == 2)
  #expect(isClose(start.mu, 0.9, relative: 1e-15))
  let first = try emaDecay(["--step", "1", "--total-steps", "800000"])
  #expect(first.N == 3)
  #expect(isClose(first.mu, 0.93216975, relative: 1e-8))
  #expect(isClose(first.mu, pow(0.9, 2.0 / 3.0), relative: 1e-15))
  let end = try emaDecay(["--step", "800000", "--total-steps", "800000"])
  #expect(end.N == 151)
  #expect(isClose(end.mu, 0.99860547, relative: 1e-8))
}

@Test func officialVariantDividesByNMinusOne() throws {
  let start = try emaDecay(["--step", "0", "--total-steps", "800000", "--variant", "official"])
  #expect(isClose(start.mu, 0.81, relative: 1e-15))
  let later = try emaDecay(["--step", "1000", "--total-steps", "800000", "--variant", "official"])
  #expect(later.N == 6)
  #expect(isClose(later.mu, pow(0.9, 2.0 / 5.0), relative: 1e-15))
}

@Test func emaDecayTakesMu0() throws {
  let start = try emaDecay(["--step", "0", "--total-steps", "10", "--mu0", "0.95"])
  #expect(isClose(start.mu, 0.95, relative: 1e-15))
}

@Test(arguments: [
  BadInput(["inspect", "ema-decay", "--step", "0", "--total-steps", "10", "--mu0", "1"], names: "--mu0"),
  BadInput(["inspect", "ema-decay", "--step", "0", "--total-steps", "10", "--mu0", "0"], names: "--mu0"),
  BadInput(["inspect", "ema-decay", "--step", "0", "--total-steps", "10", "--mu0", "-0.5"], names: "--mu0"),
  BadInput(["inspect", "ema-decay", "--step", "0", "--total-steps", "10", "--mu0", "nan"], names: "--mu0"),
  BadInput(
    ["inspect", "ema-decay", "--step", "0", "--total-steps", "10", "--variant", "x"], names: "paper, official"
  ),
  BadInput(["inspect", "ema-decay", "--step", "11", "--total-steps", "10"], names: "--step"),
  BadInput(["inspect", "ema-decay", "--step", "0", "--total-steps", "0"], names: "--total-steps"),
  BadInput(["inspect", "ema-decay", "--step", "0", "--total-steps", "10", "--s0", "1"], names: "--s0"),
  BadInput(["inspect", "ema-decay", "--step", "0", "--total-steps", "10", "--s1", "1"], names: "--s1"),
])
func emaDecayRejects(input: BadInput) throws {
  try expectUsageError(input)
}
