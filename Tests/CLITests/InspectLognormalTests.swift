import Foundation
import Testing

private struct Output: Decodable {
  var probabilities: [Double]
  var weights: [Double]
}
private struct Grid: Decodable { var sigmas: [Double] }

private func lognormal(_ arguments: [String]) throws -> Output {
  try inspect(["inspect", "lognormal"] + arguments, as: Output.self, keys: ["probabilities", "weights"])
}

@Test func probabilitiesSumToOneAndWeightsAreInverseGaps() throws {
  for count in ["2", "3", "11", "151"] {
    let grid = try inspect(["inspect", "karras", "--count", count], as: Grid.self, keys: ["sigmas"]).sigmas
    let result = try lognormal(["--count", count])
    #expect(result.probabilities.count == grid.count - 1)
    #expect(result.weights.count == grid.count - 1)
    #expect(abs(result.probabilities.reduce(0, +) - 1) < 1e-14)
    #expect(result.probabilities.allSatisfy { $0 > 0 })
    for n in 0..<(grid.count - 1) {
      #expect(isClose(result.weights[n], 1 / (grid[n + 1] - grid[n]), relative: 1e-15))
    }
  }
}

@Test func probabilitiesAreTheLognormalMassBetweenNeighbours() throws {
  let grid = try inspect(["inspect", "karras", "--count", "6"], as: Grid.self, keys: ["sigmas"]).sigmas
  let result = try lognormal(["--count", "6", "--p-mean", "-1.1", "--p-std", "2"])
  let cdf = grid.map { erf((log($0) + 1.1) / (2.0.squareRoot() * 2)) }
  let masses = (0..<5).map { cdf[$0 + 1] - cdf[$0] }
  let total = masses.reduce(0, +)
  for n in 0..<5 { #expect(isClose(result.probabilities[n], masses[n] / total, relative: 1e-12)) }
  // The first pair of the default 3-point grid has λ = 0.39789608… (CMCore's worked number).
  #expect(isClose(try lognormal(["--count", "3"]).weights[0], 0.3978960884, relative: 1e-9))
}

@Test func aLargerPMeanMovesMassToNoisierPairs() throws {
  let paper = try lognormal(["--count", "11"]).probabilities
  let typo = try lognormal(["--count", "11", "--p-mean", "1.1"]).probabilities
  #expect(typo.last! > paper.last!)
  #expect(typo.first! < paper.first!)
}

@Test(arguments: [
  BadInput(["inspect", "lognormal", "--count", "1"], names: "--count"),
  BadInput(["inspect", "lognormal", "--count", "3", "--p-std", "0"], names: "--p-std"),
  BadInput(["inspect", "lognormal", "--count", "3", "--p-std", "-2"], names: "--p-std"),
  BadInput(["inspect", "lognormal", "--count", "3", "--p-mean", "nan"], names: "--p-mean"),
  BadInput(["inspect", "lognormal", "--count", "3", "--p-mean", "minus"], names: "--p-mean"),
  BadInput(["inspect", "lognormal", "--count", "3", "--sigma-min", "100"], names: "--sigma-min"),
  BadInput(["inspect", "lognormal", "--count", "3", "--rho", "0"], names: "--rho"),
])
func lognormalRejects(input: BadInput) throws {
  try expectUsageError(input)
}
