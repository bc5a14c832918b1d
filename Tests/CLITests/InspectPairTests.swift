import Foundation
import Testing

private struct Output: Decodable {
  var t_n: Double
  var t_n_plus_1: Double
  var x_t_n_plus_1: [Double]
  var x_target: [Double]
}

private func pair(_ arguments: [String]) throws -> Output {
  try inspect(
    ["inspect", "pair"] + arguments, as: Output.self,
    keys: ["t_n", "t_n_plus_1", "x_t_n_plus_1", "x_target"])
}

private let x = [1.0, -1.0]
private let z = [0.5, 2.0]
private let xz = ["--x", "1,-1", "--z", "0.5,2"]

@Test func dataTeacherGivesTheCTPair() throws {
  for index in 0..<17 {
    let p = try pair(xz + ["--count", "18", "--index", String(index)])
    #expect(p.t_n < p.t_n_plus_1)
    for i in 0..<2 {
      #expect(p.x_t_n_plus_1[i] == x[i] + p.t_n_plus_1 * z[i])
      #expect(p.x_target[i] == x[i] + p.t_n * z[i])
    }
  }
}

@Test func pairUsesTheKarrasGrid() throws {
  struct Grid: Decodable { var sigmas: [Double] }
  let grid = try inspect(
    ["inspect", "karras", "--count", "5", "--rho", "3"], as: Grid.self, keys: ["sigmas"])
  let p = try pair(xz + ["--count", "5", "--rho", "3", "--index", "3"])
  #expect(p.t_n == grid.sigmas[3])
  #expect(p.t_n_plus_1 == grid.sigmas[4])
}

/// CD-Euler with the exact denoiser of N(m, s²I):
/// d = (x_t − D)/t with D = m + s²/(s² + t²)(x_t − m), so d = t (x_t − m)/(s² + t²).
@Test func gaussianTeacherEulerStepMatchesTheHandComputation() throws {
  let p = try pair(
    xz + [
      "--count", "3", "--index", "0", "--teacher", "gaussian", "--solver", "euler",
      "--teacher-mean", "0.25,-0.5", "--teacher-std", "0.75",
    ])
  let m = [0.25, -0.5]
  let s = 0.75
  let (tN, t) = (p.t_n, p.t_n_plus_1)
  for i in 0..<2 {
    let xt = x[i] + t * z[i]
    let expected = xt + (tN - t) * t * (xt - m[i]) / (s * s + t * t)
    #expect(isClose(p.x_target[i], expected, relative: 1e-13, absolute: 1e-13))
  }
}

/// Heun with the default teacher (m = 0, s = 0.5): the Euler step, then the trapezoid.
@Test func gaussianTeacherHeunStepIsTheDefault() throws {
  let p = try pair(xz + ["--count", "4", "--index", "1", "--teacher", "gaussian"])
  let (tN, t) = (p.t_n, p.t_n_plus_1)
  let slope = { (x: Double, t: Double) in t * x / (0.25 + t * t) }
  for i in 0..<2 {
    let xt = x[i] + t * z[i]
    let d = slope(xt, t)
    let x1 = xt + (tN - t) * d
    let expected = xt + (tN - t) * (d + slope(x1, tN)) / 2
    #expect(isClose(p.x_target[i], expected, relative: 1e-13, absolute: 1e-13))
  }
}

/// A Gaussian teacher centred on the data point with std → 0 is the one-sample denoiser D := x,
/// so the CD-Euler target tends to the CT target x + t_n z (CT is CD with D := x).
@Test func cdEulerWithAVanishingTeacherStdIsCT() throws {
  let ct = try pair(xz + ["--count", "18", "--index", "7"])
  let cd = try pair(
    xz + [
      "--count", "18", "--index", "7", "--teacher", "gaussian", "--solver", "euler",
      "--teacher-mean", "1,-1", "--teacher-std", "1e-9",
    ])
  #expect(cd.x_t_n_plus_1 == ct.x_t_n_plus_1)
  for i in 0..<2 { #expect(isClose(cd.x_target[i], ct.x_target[i], relative: 1e-12)) }
}

private let base = ["inspect", "pair", "--x", "1,-1", "--z", "0.5,2", "--count", "5"]

@Test(arguments: [
  BadInput(base + ["--index", "4"], names: "--index"),
  BadInput(base + ["--index", "-1"], names: "--index"),
  BadInput(base + ["--index", "first"], names: "--index"),
  BadInput(
    ["inspect", "pair", "--x", "1,-1", "--z", "0.5,2", "--count", "1", "--index", "0"], names: "--count"),
  BadInput(["inspect", "pair", "--x", "1,-1", "--z", "0.5", "--count", "5", "--index", "0"], names: "--z"),
  BadInput(
    ["inspect", "pair", "--x", "1,foo", "--z", "0.5,2", "--count", "5", "--index", "0"], names: "--x"),
  BadInput(
    ["inspect", "pair", "--x", "1,-1", "--z", "0.5,inf", "--count", "5", "--index", "0"], names: "--z"),
  BadInput(base + ["--index", "0", "--teacher", "edm"], names: "data, gaussian"),
  BadInput(base + ["--index", "0", "--solver", "rk4"], names: "euler, heun"),
  BadInput(base + ["--index", "0", "--teacher", "gaussian", "--teacher-std", "0"], names: "--teacher-std"),
  BadInput(base + ["--index", "0", "--teacher", "gaussian", "--teacher-std", "-1"], names: "--teacher-std"),
  BadInput(base + ["--index", "0", "--teacher", "gaussian", "--teacher-mean", "0"], names: "--teacher-mean"),
  BadInput(
    base + ["--index", "0", "--teacher", "gaussian", "--teacher-mean", "0,nan"], names: "--teacher-mean"),
  BadInput(base + ["--index", "0", "--sigma-min", "0"], names: "--sigma-min"),
  BadInput(base + ["--index", "0", "--sigma-max", "0.001"], names: "--sigma-max"),
  BadInput(base, names: "--index"),
])
func pairRejects(input: BadInput) throws {
  try expectUsageError(input)
}
