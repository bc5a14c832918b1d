import Foundation
import Testing

private struct Output: Decodable {
  var c_skip: Double
  var c_out: Double
  var c_in: Double
  var c_noise: Double
}

private func scalings(_ arguments: [String]) throws -> Output {
  try inspect(
    ["inspect", "scalings"] + arguments, as: Output.self, keys: ["c_skip", "c_out", "c_in", "c_noise"])
}

@Test func boundaryConditionHoldsExactlyAtEpsilon() throws {
  let atEpsilon = try scalings(["--sigma", "0.002"])
  #expect(atEpsilon.c_skip == 1)
  #expect(atEpsilon.c_out == 0)
  let shifted = try scalings(["--sigma", "0.01", "--sigma-min", "0.01", "--sigma-data", "2"])
  #expect(shifted.c_skip == 1)
  #expect(shifted.c_out == 0)
}

@Test func scalingsAtOneMatchTheHandComputation() throws {
  let s = try scalings(["--sigma", "1"])
  #expect(isClose(s.c_skip, 0.25 / 1.246004, relative: 1e-15))  // 0.20064141…
  #expect(isClose(s.c_out, 0.5 * 0.998 / 1.25.squareRoot(), relative: 1e-15))  // 0.44631917…
  #expect(isClose(s.c_in, 1 / 1.25.squareRoot(), relative: 1e-15))
  #expect(s.c_noise == 0)
}

@Test func cNoiseIsAQuarterOfLogT() throws {
  let s = try scalings(["--sigma", "80", "--sigma-data", "0.25"])
  #expect(isClose(s.c_noise, 0.25 * log(80.0), relative: 1e-15))  // 1.09551…
  #expect(isClose(s.c_in, 1 / (6400 + 0.0625).squareRoot(), relative: 1e-15))
}

@Test(arguments: [
  BadInput(["inspect", "scalings", "--sigma", "0"], names: "--sigma"),
  BadInput(["inspect", "scalings", "--sigma", "-1"], names: "--sigma"),
  BadInput(["inspect", "scalings", "--sigma", "inf"], names: "--sigma"),
  BadInput(["inspect", "scalings", "--sigma", "nan"], names: "--sigma"),
  BadInput(["inspect", "scalings", "--sigma", "one"], names: "--sigma"),
  BadInput(["inspect", "scalings", "--sigma", "1", "--sigma-data", "0"], names: "--sigma-data"),
  BadInput(["inspect", "scalings", "--sigma", "1", "--sigma-data", "-0.5"], names: "--sigma-data"),
  BadInput(["inspect", "scalings", "--sigma", "1", "--sigma-min", "0"], names: "--sigma-min"),
  BadInput(["inspect", "scalings", "--sigma", "1", "--sigma-min", "-inf"], names: "--sigma-min"),
  BadInput(["inspect", "scalings"], names: "--sigma"),
])
func scalingsRejects(input: BadInput) throws {
  try expectUsageError(input)
}
