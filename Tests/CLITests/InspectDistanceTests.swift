import Foundation
import Testing

private struct Output: Decodable { var distance: Double }

private func distance(_ arguments: [String]) throws -> Double {
  try inspect(["inspect", "distance"] + arguments, as: Output.self, keys: ["distance"]).distance
}

/// x = (1, 2), y = (0, 0): squared L2 averaged = 2.5, L1 averaged = 1.5.
@Test func distancesOfTheWorkedExample() throws {
  #expect(try distance(["--x", "1,2", "--y", "0,0"]) == 2.5)
  #expect(try distance(["--x", "1,2", "--y", "0,0", "--metric", "l2"]) == 2.5)
  #expect(try distance(["--x", "1,2", "--y", "0,0", "--metric", "l1"]) == 1.5)
  let huber = try distance(["--x", "1,2", "--y", "0,0", "--metric", "pseudo-huber", "--c", "1"])
  #expect(isClose(huber, 6.0.squareRoot() - 1, relative: 1e-15))
}

@Test func pseudoHuberDefaultsToICTsC() throws {
  let c = 0.00054 * 3.0.squareRoot()
  let d = try distance(["--x", "1,-2,0.5", "--y", "-1,0,0.5", "--metric", "pseudo-huber"])
  #expect(isClose(d, (8 + c * c).squareRoot() - c, relative: 1e-14))
}

@Test func pseudoHuberIsOnTheNormNotPerElement() throws {
  // Per element it would be 2·(√(1 + 1) − 1) = 0.828…; on the norm it is √(2 + 1) − 1 = 0.732….
  let d = try distance(["--x", "1,1", "--y", "0,0", "--metric", "pseudo-huber", "--c", "1"])
  #expect(isClose(d, 3.0.squareRoot() - 1, relative: 1e-15))
}

@Test func negativeAndSpacedEntriesAreRead() throws {
  #expect(try distance(["--x", "-1, -2", "--y", "-1,0", "--metric", "l1"]) == 1)
}

@Test(arguments: [
  BadInput(["inspect", "distance", "--x", "1,2", "--y", "1"], names: "--y"),
  BadInput(["inspect", "distance", "--x", "", "--y", ""], names: "--x"),
  BadInput(["inspect", "distance", "--x", "1,,2", "--y", "1,2,3"], names: "--x"),
  BadInput(["inspect", "distance", "--x", "1,foo", "--y", "1,2"], names: "--x"),
  BadInput(["inspect", "distance", "--x", "1,2", "--y", "1,nan"], names: "--y"),
  BadInput(["inspect", "distance", "--x", "inf,2", "--y", "1,2"], names: "--x"),
  BadInput(
    ["inspect", "distance", "--x", "1,2", "--y", "1,2", "--metric", "l3"], names: "l2, l1, pseudo-huber"),
  BadInput(
    ["inspect", "distance", "--x", "1,2", "--y", "1,2", "--metric", "pseudo-huber", "--c", "-1"], names: "--c"
  ),
  BadInput(
    ["inspect", "distance", "--x", "1,2", "--y", "1,2", "--metric", "pseudo-huber", "--c", "0"], names: "--c"),
  BadInput(
    ["inspect", "distance", "--x", "1,2", "--y", "1,2", "--metric", "pseudo-huber", "--c", "c"], names: "--c"),
  BadInput(["inspect", "distance", "--x", "1,2"], names: "--y"),
])
func distanceRejects(input: BadInput) throws {
  try expectUsageError(input)
}
