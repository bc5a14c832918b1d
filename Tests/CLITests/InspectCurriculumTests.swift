import Testing

private struct Output: Decodable { var N: Int }

private func N(_ arguments: [String]) throws -> Int {
  let result = try inspect(["inspect", "curriculum"] + arguments, as: Output.self, keys: ["N"])
  return result.N
}

/// REFERENCE.md's checks: K = 800000, s₀ = 2, s₁ = 150 (the defaults).
@Test(arguments: [(0, 2), (1, 3), (1000, 6), (100_000, 54), (800_000, 151)])
func ctCurriculumMatchesTheReference(k: Int, expected: Int) throws {
  #expect(try N(["--step", String(k), "--total-steps", "800000"]) == expected)
}

@Test func ctCurriculumTakesS0AndS1() throws {
  #expect(try N(["--step", "0", "--total-steps", "100", "--s0", "5", "--s1", "40"]) == 5)
  #expect(try N(["--step", "100", "--total-steps", "100", "--s0", "5", "--s1", "40"]) == 41)
}

/// iCT: K = 400000, s₀ = 10, s₁ = 1280 gives K′ = 50000 (CMCore's worked numbers).
@Test(arguments: [(0, 11), (49_999, 11), (50_000, 21), (100_000, 41), (400_000, 1281)])
func ictCurriculumDoublesEveryKPrimeSteps(k: Int, expected: Int) throws {
  #expect(try N(["--step", String(k), "--total-steps", "400000", "--schedule", "ict"]) == expected)
}

@Test func integersArePrintedAsIntegers() throws {
  let result = try cm(["inspect", "curriculum", "--step", "0", "--total-steps", "10"])
  #expect(result.stdout == "{\"N\":2}\n")
}

@Test(arguments: [
  BadInput(["inspect", "curriculum", "--step", "-1", "--total-steps", "10"], names: "--step"),
  BadInput(["inspect", "curriculum", "--step", "11", "--total-steps", "10"], names: "--step"),
  BadInput(["inspect", "curriculum", "--step", "x", "--total-steps", "10"], names: "--step"),
  BadInput(["inspect", "curriculum", "--step", "0", "--total-steps", "0"], names: "--total-steps"),
  BadInput(["inspect", "curriculum", "--step", "0", "--total-steps", "1e3"], names: "--total-steps"),
  BadInput(["inspect", "curriculum", "--step", "0", "--total-steps", "10", "--s0", "1"], names: "--s0"),
  BadInput(
    ["inspect", "curriculum", "--step", "0", "--total-steps", "10", "--s0", "0", "--schedule", "ict"],
    names: "--s0"),
  BadInput(["inspect", "curriculum", "--step", "0", "--total-steps", "10", "--s1", "1"], names: "--s1"),
  BadInput(
    ["inspect", "curriculum", "--step", "0", "--total-steps", "10", "--s0", "20", "--s1", "19"],
    names: "--s1"),
  BadInput(
    ["inspect", "curriculum", "--step", "0", "--total-steps", "10", "--s1", "9", "--schedule", "ict"],
    names: "--s1"),
  BadInput(
    ["inspect", "curriculum", "--step", "0", "--total-steps", "10", "--s1", "9223372036854775807"],
    names: "--s1"),
  BadInput(
    ["inspect", "curriculum", "--step", "0", "--total-steps", "10", "--schedule", "edm"], names: "ct, ict"),
  BadInput(["inspect", "curriculum", "--total-steps", "10"], names: "--step"),
])
func curriculumRejects(input: BadInput) throws {
  try expectUsageError(input)
}
