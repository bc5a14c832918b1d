import Foundation
import Testing

private struct Output: Decodable { var sigmas: [Double] }

@Test func karrasGridOfThreePoints() throws {
  let grid = try inspect(["inspect", "karras", "--count", "3"], as: Output.self, keys: ["sigmas"])
  #expect(grid.sigmas.count == 3)
  // The ends are ε and T up to rounding (not pinned); t₂ = 2.5152189761… (CMCore's worked number).
  #expect(isClose(grid.sigmas[0], 0.002, relative: 1e-14))
  #expect(isClose(grid.sigmas[1], 2.5152189761, relative: 1e-10))
  #expect(isClose(grid.sigmas[2], 80, relative: 1e-14))
}

@Test func karrasGridIsAscendingWithGivenEnds() throws {
  let grid = try inspect(
    ["inspect", "karras", "--count", "18", "--sigma-min", "0.01", "--sigma-max", "10", "--rho", "3"],
    as: Output.self, keys: ["sigmas"])
  #expect(grid.sigmas.count == 18)
  #expect(zip(grid.sigmas, grid.sigmas.dropFirst()).allSatisfy { $0 < $1 })
  #expect(isClose(grid.sigmas.first!, 0.01, relative: 1e-13))
  #expect(isClose(grid.sigmas.last!, 10, relative: 1e-13))
  // ρ = 3: the cube roots are evenly spaced.
  let roots = grid.sigmas.map { cbrt($0) }
  let step = (cbrt(10.0) - cbrt(0.01)) / 17
  for i in 1..<18 { #expect(isClose(roots[i] - roots[i - 1], step, relative: 1e-10)) }
}

@Test(arguments: [
  BadInput(["inspect", "karras", "--count", "1"], names: "--count"),
  BadInput(["inspect", "karras", "--count", "-3"], names: "--count"),
  BadInput(["inspect", "karras", "--count", "abc"], names: "--count"),
  BadInput(["inspect", "karras", "--count", "2.5"], names: "--count"),
  BadInput(["inspect", "karras", "--count", "99999999999999999999999"], names: "--count"),
  BadInput(["inspect", "karras", "--count", "3", "--sigma-min", "0"], names: "--sigma-min"),
  BadInput(["inspect", "karras", "--count", "3", "--sigma-min", "-0.002"], names: "--sigma-min"),
  BadInput(["inspect", "karras", "--count", "3", "--sigma-min", "nan"], names: "--sigma-min"),
  BadInput(["inspect", "karras", "--count", "3", "--sigma-max", "inf"], names: "--sigma-max"),
  BadInput(["inspect", "karras", "--count", "3", "--sigma-min", "80"], names: "--sigma-max"),
  BadInput(["inspect", "karras", "--count", "3", "--sigma-min", "90"], names: "--sigma-min"),
  BadInput(["inspect", "karras", "--count", "3", "--rho", "0"], names: "--rho"),
  BadInput(["inspect", "karras", "--count", "3", "--rho", "-7"], names: "--rho"),
  BadInput(["inspect", "karras", "--count", "3", "--rho", "seven"], names: "--rho"),
])
func karrasRejects(input: BadInput) throws {
  try expectUsageError(input)
}

@Test func countMessageNamesTheRange() throws {
  let result = try cm(["inspect", "karras", "--count", "1"])
  #expect(result.stderr == "error: --count must be an integer ≥ 2 (got 1)\n")
}

@Test func extremeInputsFailInsteadOfPrintingNaN() throws {
  // 1/ρ overflows, so the grid is 0 · ∞; JSON has no NaN, so cm reports it on one line.
  let result = try cm(["inspect", "karras", "--count", "3", "--rho", "1e-320"])
  #expect(result.status != 0)
  #expect(result.stdout.isEmpty)
  #expect(result.stderr.split(separator: "\n").count == 1)
  #expect(!result.stderr.contains("\n\n"))
}
