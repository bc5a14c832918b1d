// Tutorial 04: the boundary scalings and the consistency function f_θ.
//
// Seed pseudocode:
//   student_model_prediction = (skip_scaling(next_sigmas, sigma_data, sigma_min) * next_noisy_data
//       + output_scaling(next_sigmas, sigma_data, sigma_min) * student_model(next_noisy_data, next_sigmas))
//   teacher_model_prediction = (skip_scaling(current_sigmas, ...) * current_noisy_data
//       + output_scaling(current_sigmas, ...) * teacher_model(current_noisy_data, next_sigmas))
//
// Run: swift run Tutorial04ConsistencyFunction [--no-pause]

import ConsistencyModels
import Foundation
import Plotting
import TutorialFigures
import TutorialKit

let sigmaData = 0.5  // σ_data
let epsilon = 0.002  // ε = sigma_min

/// A stand-in for an untrained network F_θ(u, c): a fixed affine map of (u₁, u₂, c, u₁·u₂) with
/// seeded weights. Any F would do; this one uses only + and ×, so it prints the same everywhere.
func makeNetwork(seed: UInt64) -> ([Double], Double) -> [Double] {
  var generator = SeededGenerator(seed: seed)
  let W = (0..<2).map { _ in generator.gaussians(count: 4) }  // 2 × 4
  let bias = generator.gaussians(count: 2)
  return { u, c in
    let features = [u[0], u[1], c, u[0] * u[1]]
    return (0..<2).map { i in zip(W[i], features).reduce(bias[i]) { $0 + $1.0 * $1.1 } }
  }
}

var tutorial = Tutorial(number: 4, title: "The boundary scalings and the consistency function", steps: 4)
tutorial.note("Settings: σ_data = \(sig(sigmaData)), ε = \(sig(epsilon)).")

// MARK: Step 1 — the four scalings
tutorial.step("c_skip, c_out, c_in, c_noise")
tutorial.seed("skip_scaling(next_sigmas, sigma_data, sigma_min)")
tutorial.seed("output_scaling(next_sigmas, sigma_data, sigma_min)")
tutorial.paper("c_skip(t) = σ_data² / ((t − ε)² + σ_data²)", source: "CM Eq. 5, App. C")
tutorial.paper("c_out(t)  = σ_data · (t − ε) / √(σ_data² + t²)", source: "CM Eq. 5, App. C")
tutorial.paper("c_in(t)   = 1 / √(t² + σ_data²)", source: "EDM Table 1")
tutorial.paper("c_noise(t) = ¼ · ln t", source: "EDM Table 1")
let ts = [epsilon, 0.01, 0.1, 0.5, 1, 10, 80]
tutorial.table(
  ["t", "c_skip(t)", "c_out(t)", "c_in(t)", "c_noise(t)"],
  ts.map { t in
    let s = BoundaryScalings(t: t, sigmaData: sigmaData, sigmaMin: epsilon)
    return [sig(t), sig(s.cSkip), sig(s.cOut), sig(s.cIn), sig(s.cNoise)]
  })
tutorial.note("At t = ε: c_skip = 1 and c_out = 0 exactly. At large t, c_skip → 0 and c_out → σ_data:")
tutorial.note("the output is then almost all network, scaled to the data's size.")

do {
  let ts = (0...200).map { i in 0.002 * pow(80 / 0.002, Double(i) / 200) }
  let script = PlotScript.linePlot(
    [
      Series("c_skip(t)", x: ts, y: ts.map { cSkip(t: $0) }),
      Series("c_out(t)", x: ts, y: ts.map { cOut(t: $0) }),
      Series("c_in(t)", x: ts, y: ts.map { cIn(t: $0) }, dashed: true),
    ],
    title:
      "c_skip and c_out against t (sigma_data = 0.5, eps = 0.002): keep x near eps, replace it at large t",
    xLabel: "t (log scale)", yLabel: "scaling", logX: true, logY: false, key: "center right", height: 500)
  tutorial.figure(writeTutorialFigure(script, name: "04-scalings"))
}

// MARK: Step 2 — f = c_skip x + c_out F
tutorial.step("the consistency function wraps any network F")
tutorial.seed("student_model_prediction = skip_scaling(next_sigmas, ...) * next_noisy_data")
tutorial.seed("      + output_scaling(next_sigmas, ...) * student_model(next_noisy_data, next_sigmas)")
tutorial.paper("f_θ(x, t) = c_skip(t) · x + c_out(t) · F_θ(c_in(t) · x, c_noise(t))", source: "CM Eq. 5")
let F = makeNetwork(seed: 4)
let x = [0.8, -1.3]
tutorial.note("F is an untrained stand-in (seeded affine map); x = \(vec(x)) at several t:")
tutorial.table(
  ["t", "c_in(t) · x", "F(c_in x, c_noise)", "f(x, t)"],
  ts.map { t in
    let s = BoundaryScalings(t: t, sigmaData: sigmaData, sigmaMin: epsilon)
    let u = x.map { s.cIn * $0 }
    return [
      sig(t), vec(u, 6), vec(F(u, s.cNoise), 6),
      vec(consistencyFunction(x: x, t: t, sigmaData: sigmaData, sigmaMin: epsilon, F: F), 6),
    ]
  })
tutorial.note("The seed's student_model(x, σ) hides c_in and c_noise inside the model; here they are")
tutorial.note("explicit, so F sees c_in · x and ¼ ln t.")

// MARK: Step 3 — the boundary condition
tutorial.step("f(x, ε) = x for every F, by construction")
tutorial.paper("c_skip(ε) = 1, c_out(ε) = 0   ⇒   f_θ(x, ε) = x", source: "CM §3")
let networks: [(name: String, F: ([Double], Double) -> [Double])] = [
  ("seeded affine map, seed 4", F),
  ("seeded affine map, seed 5", makeNetwork(seed: 5)),
  ("constant (10⁶, −10⁶)", { _, _ in [1e6, -1e6] }),
  ("u / 10⁻³ (huge gain)", { u, _ in u.map { $0 / 1e-3 } }),
]
tutorial.table(
  ["F", "f(x, ε)", "f(x, ε) == x bit for bit"],
  networks.map { network in
    let f = consistencyFunction(x: x, t: epsilon, sigmaData: sigmaData, sigmaMin: epsilon, F: network.F)
    return [network.name, vec(f), "\(f == x)"]
  }, leftAligned: [0])
tutorial.note("No training is needed for the boundary condition: it holds for any finite output of F.")
tutorial.note("Training only has to make f agree with itself along each ODE path.")

// MARK: Step 4 — the target's call, and the seed's typo
tutorial.step("the target prediction at t_n (and a typo in the seed)")
let sigmas = karrasSigmas(count: 6)
let nIndex = 2  // the pair (t_n, t_(n+1)) = (sigmas[2], sigmas[3])
let (tN, tNPlus1) = (sigmas[nIndex], sigmas[nIndex + 1])
var pairGenerator = SeededGenerator(seed: 11)
let z = pairGenerator.gaussians(count: 2)
let pair = ctNoisyPair(x: x, z: z, tN: tN, tNPlus1: tNPlus1)
tutorial.note("N = 6 grid, n = \(nIndex): t_n = \(sig(tN)), t_(n+1) = \(sig(tNPlus1)); z = \(vec(z, 6)).")
tutorial.note("The same seeded F stands in for both θ and θ⁻ (right after a μ = 0 update they are equal).")
tutorial.seed("teacher_model(current_noisy_data, next_sigmas)     <- as typed in the issue")
tutorial.code("teacher_model(current_noisy_data, current_sigmas)", source: "the repository's code")
tutorial.paper("f_θ⁻(x̂_(t_n), t_n)", source: "CM Alg. 3")
let online = consistencyFunction(x: pair.xTNPlus1, t: tNPlus1, sigmaData: sigmaData, sigmaMin: epsilon, F: F)
let target = consistencyFunction(x: pair.xTN, t: tN, sigmaData: sigmaData, sigmaMin: epsilon, F: F)
// The typo: the scalings outside the model use t_n, but the model is told t_(n+1), so its own
// c_in and c_noise are those of the noisier level.
let atN = BoundaryScalings(t: tN, sigmaData: sigmaData, sigmaMin: epsilon)
let atNPlus1 = BoundaryScalings(t: tNPlus1, sigmaData: sigmaData, sigmaMin: epsilon)
let typoOutput = F(pair.xTN.map { atNPlus1.cIn * $0 }, atNPlus1.cNoise)
let typo = (0..<2).map { i in atN.cSkip * pair.xTN[i] + atN.cOut * typoOutput[i] }
tutorial.values([
  ("online  f_θ(x_(t_(n+1)), t_(n+1))", vec(online)),
  ("target  f_θ⁻(x̂_(t_n), t_n)", vec(target)),
  ("typo    model told t_(n+1) at x̂_(t_n)", vec(typo)),
])
tutorial.note("With the typo the target network reads x̂_(t_n) as if it were at the noisier level")
tutorial.note("t_(n+1). The fix is one word: current_sigmas, as in the paper and the repository's code.")

tutorial.finish()
