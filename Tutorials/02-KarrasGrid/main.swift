// Tutorial 02: the Karras noise grid t_0 = ε < t_1 < … < t_(N−1) = T (0-based, as `sigmas[i]`).
//
// Seed pseudocode:
//   sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)
//
// Run: swift run Tutorial02KarrasGrid [--no-pause]

import ConsistencyModels
import Foundation
import Plotting
import TutorialFigures
import TutorialKit

let epsilon = 0.002  // sigma_min, ε
let T = 80.0  // sigma_max
let rho = 7.0  // ρ

var tutorial = Tutorial(number: 2, title: "The Karras noise grid", steps: 4)
tutorial.note("Settings (CM and EDM defaults): ε = \(sig(epsilon)), T = \(sig(T)), ρ = \(sig(rho)).")

// MARK: Step 1 — the formula
tutorial.step("N points, evenly spaced in t^(1/ρ)")
tutorial.seed("sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)")
tutorial.paper(
  "t_i = ( ε^(1/ρ) + i/(N−1) · (T^(1/ρ) − ε^(1/ρ)) )^ρ,  i = 0 … N−1", source: "EDM Eq. 5, 0-based")
let N = 11
let sigmas = karrasSigmas(count: N, sigmaMin: epsilon, sigmaMax: T, rho: rho)
tutorial.note(
  "karrasSigmas(count: \(N)): sigmas[i] is t_i, sigmas[0] = t₀ = ε, sigmas[\(N - 1)] = t_\(N - 1) = T.")
tutorial.table(
  ["i", "sigmas[i] = t_i", "t_i^(1/ρ)", "gap t_i − t_(i−1)"],
  (0..<N).map { index in
    [
      "\(index)", sig(sigmas[index]), sig(pow(sigmas[index], 1 / rho), 6),
      index == 0 ? "" : sig(sigmas[index] - sigmas[index - 1], 6),
    ]
  })
tutorial.note("The middle column grows by the same amount each row; raising it to the 7th power")
tutorial.note("turns even spacing into gaps that grow by orders of magnitude from ε to T.")

// MARK: Step 2 — the ends
tutorial.step("the ends are ε and T")
tutorial.paper("t₀ = (ε^(1/ρ))^ρ = ε,   t_(N−1) = (T^(1/ρ))^ρ = T   in exact arithmetic")
tutorial.value("t₀", sig(sigmas[0]))
tutorial.value("t_(N−1)", sig(sigmas[N - 1]))
let endsClose = abs(sigmas[0] - epsilon) <= 1e-12 * epsilon && abs(sigmas[N - 1] - T) <= 1e-12 * T
tutorial.value("|t₀ − ε| ≤ 10⁻¹² ε and |t_(N−1) − T| ≤ 10⁻¹² T", "\(endsClose)")
tutorial.note("In floating point, pow(pow(ε, 1/ρ), ρ) may land a few ulp away from ε. The library")
tutorial.note("does not pin the ends, so its grid matches a direct evaluation of the formula; the")
tutorial.note("consistency function only needs t₀ ≈ ε (c_skip(t₀) ≈ 1, c_out(t₀) ≈ 0, tutorial 04).")

// MARK: Step 3 — what ρ does
tutorial.step("ρ crowds the points near ε")
tutorial.note("The same N = \(N) points for several ρ (ρ = 1 is even spacing in t itself):")
let rhos: [Double] = [1, 2, 3, 7, 14]
tutorial.table(
  ["ρ", "t₁", "t₅ (middle)", "t₉", "points t < 0.1", "points t < 1"],
  rhos.map { r in
    let grid = karrasSigmas(count: N, sigmaMin: epsilon, sigmaMax: T, rho: r)
    return [
      sig(r), sig(grid[1], 6), sig(grid[5], 6), sig(grid[9], 6),
      "\(grid.filter { $0 < 0.1 }.count)", "\(grid.filter { $0 < 1 }.count)",
    ]
  })
tutorial.note("Larger ρ spends more of the budget at small noise, where a step changes fine detail;")
tutorial.note("EDM found ρ = 7 a good balance for sampling, and CM keeps it for training.")

do {
  let series = rhos.map { r in
    Series(
      "rho = \(sig(r))", x: karrasSigmas(count: N, sigmaMin: epsilon, sigmaMax: T, rho: r),
      y: [Double](repeating: r, count: N))
  }
  let script = PlotScript.linePlot(
    series, title: "the Karras grid t_0 = eps < ... < t_10 = T (N = 11) for each rho",
    xLabel: "t (log scale)", yLabel: "rho", logX: true, withPoints: true, key: "outside right",
    height: 450)
  tutorial.figure(writeTutorialFigure(script, name: "02-karras-grid"))
}

// MARK: Step 4 — the grid follows the curriculum
tutorial.step("the grid is rebuilt whenever N(k) changes")
tutorial.note("num_timesteps comes from tutorial 01's curriculum (K = 800000, s₀ = 2, s₁ = 150):")
tutorial.table(
  ["k", "N(k)", "t₁", "t_(N−2)", "smallest gap", "largest gap"],
  [0, 1, 1_000, 10_000, 100_000, 800_000].map { k in
    let n = ctDiscretizationSteps(k: k, K: 800_000, s0: 2, s1: 150)
    let grid = karrasSigmas(count: n, sigmaMin: epsilon, sigmaMax: T, rho: rho)
    let gaps = (1..<n).map { grid[$0] - grid[$0 - 1] }
    return [
      "\(k)", "\(n)", sig(grid[1], 6), sig(grid[n - 2], 6),
      sig(gaps.min()!, 4), sig(gaps.max()!, 4),
    ]
  })
tutorial.note("At k = 0 the grid is just {ε, T}: the only pair is (ε, T). As N(k) grows the pairs")
tutorial.note("(t_n, t_(n+1)) get closer, which is what makes the CT target ever more accurate.")

tutorial.finish()
