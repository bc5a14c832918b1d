// Tutorial 02: the Karras noise grid t₁ < … < t_N.
//
// Seed pseudocode:
//   sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)
//
// Run: swift run Tutorial02KarrasGrid [--no-pause]

import ConsistencyModels
import Foundation
import TutorialKit

let epsilon = 0.002  // sigma_min, ε
let T = 80.0  // sigma_max
let rho = 7.0  // ρ

var tutorial = Tutorial(number: 2, title: "The Karras noise grid", steps: 4)
tutorial.note("Settings (CM and EDM defaults): ε = \(sig(epsilon)), T = \(sig(T)), ρ = \(sig(rho)).")

// MARK: Step 1 — the formula
tutorial.step("N points, evenly spaced in t^(1/ρ)")
tutorial.seed("sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)")
tutorial.paper("t_i = ( ε^(1/ρ) + (i−1)/(N−1) · (T^(1/ρ) − ε^(1/ρ)) )^ρ,  i = 1 … N", source: "EDM Eq. 5")
let N = 11
let sigmas = karrasSigmas(count: N, sigmaMin: epsilon, sigmaMax: T, rho: rho)
tutorial.note("karrasSigmas(count: \(N)) — 0-based in Swift: sigmas[0] is t₁, sigmas[\(N - 1)] is t_\(N).")
tutorial.table(
  ["i", "sigmas[i−1] = t_i", "t_i^(1/ρ)", "gap t_i − t_(i−1)"],
  (0..<N).map { index in
    [
      "\(index + 1)", sig(sigmas[index]), sig(pow(sigmas[index], 1 / rho), 6),
      index == 0 ? "" : sig(sigmas[index] - sigmas[index - 1], 6),
    ]
  })
tutorial.note("The middle column grows by the same amount each row; raising it to the 7th power")
tutorial.note("turns even spacing into gaps that grow by orders of magnitude from ε to T.")

// MARK: Step 2 — the ends
tutorial.step("the ends are ε and T")
tutorial.paper("t₁ = (ε^(1/ρ))^ρ = ε,   t_N = (T^(1/ρ))^ρ = T   in exact arithmetic")
tutorial.value("t₁", sig(sigmas[0]))
tutorial.value("t_N", sig(sigmas[N - 1]))
let endsClose = abs(sigmas[0] - epsilon) <= 1e-12 * epsilon && abs(sigmas[N - 1] - T) <= 1e-12 * T
tutorial.value("|t₁ − ε| ≤ 10⁻¹² ε and |t_N − T| ≤ 10⁻¹² T", "\(endsClose)")
tutorial.note("In floating point, pow(pow(ε, 1/ρ), ρ) may land a few ulp away from ε. The library")
tutorial.note("does not pin the ends, so its grid matches a direct evaluation of the formula; the")
tutorial.note("consistency function only needs t₁ ≈ ε (c_skip(t₁) ≈ 1, c_out(t₁) ≈ 0, tutorial 04).")

// MARK: Step 3 — what ρ does
tutorial.step("ρ crowds the points near ε")
tutorial.note("The same N = \(N) points for several ρ (ρ = 1 is even spacing in t itself):")
let rhos: [Double] = [1, 2, 3, 7, 14]
tutorial.table(
  ["ρ", "t₂", "t₆ (middle)", "t₁₀", "points t < 0.1", "points t < 1"],
  rhos.map { r in
    let grid = karrasSigmas(count: N, sigmaMin: epsilon, sigmaMax: T, rho: r)
    return [
      sig(r), sig(grid[1], 6), sig(grid[5], 6), sig(grid[9], 6),
      "\(grid.filter { $0 < 0.1 }.count)", "\(grid.filter { $0 < 1 }.count)",
    ]
  })
tutorial.note("Larger ρ spends more of the budget at small noise, where a step changes fine detail;")
tutorial.note("EDM found ρ = 7 a good balance for sampling, and CM keeps it for training.")

// MARK: Step 4 — the grid follows the curriculum
tutorial.step("the grid is rebuilt whenever N(k) changes")
tutorial.note("num_timesteps comes from tutorial 01's curriculum (K = 800000, s₀ = 2, s₁ = 150):")
tutorial.table(
  ["k", "N(k)", "t₂", "t_(N−1)", "smallest gap", "largest gap"],
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
