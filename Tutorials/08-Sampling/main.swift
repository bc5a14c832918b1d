// Tutorial 08: multistep consistency sampling (CM Algorithm 1): one step against two, and τ.
//
// Not in the seed pseudocode, which stops at training. CM Algorithm 1:
//   z ~ N(0, I);  x ← f_θ(T·z, T)
//   for τ in τ₁ > τ₂ > …:  z′ ~ N(0, I);  x̂_τ = x + √(τ² − ε²)·z′;  x ← f_θ(x̂_τ, τ)
//
// The tutorial trains a tiny CT model on ring8 (a few seconds), samples it with one step and with
// two steps at several τ, and scores every set of samples with the sliced Wasserstein-1 distance
// and by how many samples land near each of the eight modes.
//
// Run: swift run Tutorial08Sampling [--no-pause]

import ConsistencyModels
import Foundation
import Plotting
import TutorialFigures
import TutorialKit

var tutorial = Tutorial(number: 8, title: "Sampling: one step against two, and what τ does", steps: 6)

// MARK: Step 1 — a tiny CT model
var config = TrainingConfig()  // ε = 0.002, T = 80, σ_data = 0.5, ρ = 7 (the paper's values)
config.dataset = .ring8  // eight Gaussian modes on a circle
config.totalSteps = 8_000  // K: a few seconds even in a debug build
config.hiddenWidths = [32, 32]  // F_θ: 3 → 32 → 32 → 2
config.batchSize = 64  // B
config.learningRate = 3e-3  // η, large for a short run
config.schedule = .ctCurriculum(s0: 2, s1: 20, mu0: 0.9, variant: .paper)  // N(k) from 2 to 21
config.metric = .pseudoHuber(c: pseudoHuberC(dimension: 2))  // iCT §3.3
config.weighting = .ict  // λ(t_n) = 1/(t_(n+1) − t_n), iCT §3.1
config.seed = 8
config.logEvery = 2_000
tutorial.step("train a tiny consistency model on ring8")
tutorial.note(
  "Consistency Training (CM Alg. 3, tutorial 07) for K = \(config.totalSteps) steps, with toy settings:")
tutorial.values([
  ("F_θ widths", "3 → " + config.hiddenWidths.map { "\($0)" }.joined(separator: " → ") + " → 2"),
  ("B, η", "\(config.batchSize), \(sig(config.learningRate))"),
  ("s₀, s₁, μ₀", "2, 20, 0.9   (CM CIFAR-10: 2, 150, 0.9)"),
  ("d, λ", "pseudo-Huber with c = \(sig(pseudoHuberC(dimension: 2), 4)), λ(t_n) = 1/(t_(n+1) − t_n)   (iCT)"),
])
// RunDriver is the library's one training loop: it logs one line per interval (the mean loss).
var driver = RunDriver(run: TrainingState<Float>(config: config))
var hooks = RunDriver<TrainingState<Float>>.Hooks()
hooks.onInterval = { _, record in tutorial.note(record.logLine) }
_ = try driver.run(steps: config.totalSteps, hooks: hooks)
let state = driver.run
let thetaMinus = state.thetaMinus  // sample with the target network θ⁻ (`cm sample --weights target`)
let model = state.model
let epsilon = config.sigmaMin
let T = config.sigmaMax

// MARK: Step 2 — how samples are scored
let n = 1_000  // samples per setting
var referenceGenerator = SeededGenerator(seed: 100)
let reference = config.dataset.sample(count: n, using: &referenceGenerator)  // R, n × 2
let independent = config.dataset.sample(count: n, using: &referenceGenerator)  // R′, another true sample
// ring8 has mean 0 and covariance σ_data²·I exactly: this Gaussian matches its first two moments.
let gaussian = referenceGenerator.gaussians(count: 2 * n).map { config.sigmaData * $0 }
let floorSW = slicedWasserstein1(independent, reference)
let gaussianSW = slicedWasserstein1(gaussian, reference)
let ring = config.dataset.mixture!  // the eight modes m_k and their std s
let modeRadius = (ring.means[0][0] * ring.means[0][0] + ring.means[0][1] * ring.means[0][1]).squareRoot()

/// Which of the eight modes each sample is nearest to (by angle), and how many lie within 0.1 of
/// that mode's centre (about 6 component standard deviations).
func modeCounts(_ x: [Double]) -> (nearest: [Int], near: [Int]) {
  var nearest = [Int](repeating: 0, count: 8)
  var near = [Int](repeating: 0, count: 8)
  for i in 0..<(x.count / 2) {
    let k = nearestModes(Array(x[(2 * i)..<(2 * i + 2)]))[0]
    nearest[k] += 1
    let dx = x[2 * i] - ring.means[k][0]
    let dy = x[2 * i + 1] - ring.means[k][1]
    if (dx * dx + dy * dy).squareRoot() < 0.1 { near[k] += 1 }
  }
  return (nearest, near)
}
/// The nearest mode (by angle) of every sample.
func nearestModes(_ x: [Double]) -> [Int] {
  (0..<(x.count / 2)).map { i in
    (Int((atan2(x[2 * i + 1], x[2 * i]) / (2 * Double.pi / 8)).rounded()) + 8) % 8
  }
}
/// (SW₁ − floor)/(Gaussian − floor): 0 is as good as a true sample, 1 as bad as the Gaussian.
func relative(_ sw: Double) -> String { fixed((sw - floorSW) / (gaussianSW - floorSW), 2) }
func bar(_ count: Int) -> String { String(repeating: "#", count: (count + 2) / 5) }

tutorial.step("how a set of samples is scored")
tutorial.paper("SW₁(A, B) = (1/L) Σ_l W₁( ⟨A, u_l⟩, ⟨B, u_l⟩ ),  L = 64 fixed directions u_l")
tutorial.note("Each setting draws n = \(n) samples and is compared with one reference sample R of ring8.")
tutorial.note("Two numbers give SW₁ a scale: a second true sample R′ (the noise floor: a perfect")
tutorial.note("sampler scores about this, not 0) and the Gaussian N(0, σ_data² I), which has ring8's mean")
tutorial.note("and covariance but no modes (what a blurry sampler scores).")
tutorial.values([
  ("SW₁(R′, R)  noise floor", fixed(floorSW, 4)),
  ("SW₁(Gaussian, R)  baseline", fixed(gaussianSW, 4)),
])
tutorial.note("Mode coverage: each sample is assigned to the nearest of the 8 modes by its angle; a")
tutorial.note(
  "sample is \"near\" when it lies within 0.1 of that mode's centre (radius \(sig(modeRadius, 4)), std \(sig(ring.stds[0], 3)))."
)
let trueCounts = modeCounts(reference)
tutorial.values([
  ("R: samples per mode", trueCounts.nearest.map { "\($0)" }.joined(separator: " ")),
  ("R: near a mode", "\(trueCounts.near.reduce(0, +)) of \(n)"),
])

// MARK: Step 3 — one step
tutorial.step("one step: x ← f_θ(T·z, T)")
tutorial.paper("z ~ N(0, I),   x ← f_θ(T·z, T)", source: "CM Alg. 1, first line")
tutorial.note(
  "One network evaluation maps pure noise at T = \(sig(T)) straight to data: c_skip(T) ≈ \(sig(cSkip(t: T), 3)),"
)
tutorial.note("so x is almost all c_out(T)·F_θ = \(sig(cOut(t: T), 4))·F_θ.")
let sampleSeed: UInt64 = 1  // the same z for every setting: rows below differ only in τ
var generator = SeededGenerator(seed: sampleSeed)
var firstJump: [Double] = []
let oneStep = model.sample(
  parameters: thetaMinus, count: n, taus: [], sigmaMax: T, generator: &generator,
  trace: { _, x in firstJump = x })
let oneStepSW = slicedWasserstein1(oneStep, reference)
let oneStepCounts = modeCounts(oneStep)
tutorial.values([
  ("SW₁", fixed(oneStepSW, 4) + "   (relative \(relative(oneStepSW)))"),
  ("near a mode", "\(oneStepCounts.near.reduce(0, +)) of \(n)"),
  ("samples per mode", oneStepCounts.nearest.map { "\($0)" }.joined(separator: " ")),
])
tutorial.note("Every mode gets samples (coverage), but most land between the modes or off the ring:")
tutorial.note("the single jump from T is where a small network's error is largest.")

// MARK: Step 4 — the second step and √(τ² − ε²)
tutorial.step("two steps: add noise back to level τ, jump again")
tutorial.paper("z′ ~ N(0, I),   x̂_τ = x + √(τ² − ε²) · z′,   x ← f_θ(x̂_τ, τ)", source: "CM Alg. 1, loop")
tutorial.note("f_θ's output is treated as a sample at noise level ε (where f(x, ε) = x), not at 0. Fresh")
tutorial.note("noise of variance τ² − ε² brings its total variance to ε² + (τ² − ε²) = τ², so x̂_τ sits")
tutorial.note("exactly at level τ, where f_θ(·, τ) expects its input. At τ = ε nothing is added and")
tutorial.note("f_θ(x, ε) = x: the step does nothing, as it should.")
let taus = [0.1, 0.3, 0.5, 1.0, 2.0, 5.0]
tutorial.table(
  ["τ", "√(τ² − ε²)", "τ − √(τ² − ε²)"],
  ([epsilon] + taus).map { tau in
    let scale = (tau * tau - epsilon * epsilon).squareRoot()
    return [sig(tau), sig(scale, 8), sig(tau - scale, 4)]
  })
tutorial.note("For these τ the correction is tiny; it matters for τ close to ε.")
var traceGenerator = SeededGenerator(seed: sampleSeed)
var jumps: [[Double]] = []
_ = model.sample(
  parameters: thetaMinus, count: n, taus: [0.3], sigmaMax: T, generator: &traceGenerator,
  trace: { _, x in jumps.append(x) })
tutorial.note("The sampler's trace hook reports x after each jump. Three samples, τ = 0.3:")
tutorial.table(
  ["i", "x after f_θ(T·z, T)", "mode", "x after f_θ(x̂_τ, τ)", "mode"],
  (0..<3).map { i in
    let after = Array(jumps[1][(2 * i)..<(2 * i + 2)])
    let before = Array(jumps[0][(2 * i)..<(2 * i + 2)])
    return ["\(i)", vec(before, 4), "\(nearestModes(before)[0])", vec(after, 4), "\(nearestModes(after)[0])"]
  })
tutorial.value("first jump identical to the 1-step samples", "\(jumps[0] == firstJump)")

// MARK: Step 5 — what τ does
tutorial.step("the τ trade-off")
tutorial.note("Two steps for each τ, the same z for the first jump in every row:")
let firstModes = nearestModes(oneStep)
var results: [(tau: Double, sw: Double, counts: (nearest: [Int], near: [Int]), sameMode: Int)] = []
for tau in taus {
  var g = SeededGenerator(seed: sampleSeed)
  let x = model.sample(parameters: thetaMinus, count: n, taus: [tau], sigmaMax: T, generator: &g)
  let sameMode = zip(nearestModes(x), firstModes).filter { $0 == $1 }.count
  results.append((tau, slicedWasserstein1(x, reference), modeCounts(x), sameMode))
}
func range(_ counts: [Int]) -> String { "\(counts.min()!)–\(counts.max()!)" }
let independentCounts = modeCounts(independent)
tutorial.table(
  ["sampler", "SW₁", "relative", "near a mode", "mode kept", "per mode"],
  [
    [
      "1 step", fixed(oneStepSW, 4), relative(oneStepSW), "\(oneStepCounts.near.reduce(0, +))", "",
      range(oneStepCounts.nearest),
    ]
  ]
    + results.map { r in
      [
        "2 steps, τ = \(sig(r.tau))", fixed(r.sw, 4), relative(r.sw), "\(r.counts.near.reduce(0, +))",
        "\(r.sameMode)", range(r.counts.nearest),
      ]
    }
    + [
      [
        "true sample R′", fixed(floorSW, 4), "0.00", "\(independentCounts.near.reduce(0, +))", "",
        range(independentCounts.nearest),
      ]
    ],
  leftAligned: [0])
tutorial.note("near a mode: of \(n), within 0.1 of a mode's centre. mode kept: how many samples end at the")
tutorial.note("mode their first jump chose. per mode: the fewest and most samples nearest one mode.")
let best = results.min { $0.sw < $1.sw }!
tutorial.value("best τ here", sig(best.tau))
tutorial.note("Small τ: the new noise is small, so x keeps its mode and f_θ at a low noise level only")
tutorial.note("corrects errors of about τ or less; larger misplacements stay. Large τ (beyond the ring's")
tutorial.note(
  "radius, \(sig(modeRadius, 2))): the noise drowns x, most samples forget the mode they had, and the")
tutorial.note("second jump is almost a fresh one-step sample, with a one-step sampler's errors. In between,")
tutorial.note("the noise is large enough for f_θ to pull stray samples onto the ring and small enough that")
tutorial.note(
  "many keep their mode (\(best.sameMode) of \(n) at τ = \(sig(best.tau))). The best τ depends on the model and on"
)
tutorial.note("the data's scale.")

do {
  var panels = [Series("true sample R'", flatPoints: independent), Series("1 step", flatPoints: oneStep)]
  for tau in taus {
    var g = SeededGenerator(seed: sampleSeed)
    let x = model.sample(parameters: thetaMinus, count: n, taus: [tau], sigmaMax: T, generator: &g)
    panels.append(Series("2 steps, tau = \(sig(tau))", flatPoints: x))
  }
  let script = PlotScript.scatterPanels(
    panels, title: "samples of the tiny CT model (theta-minus): one step, and two steps for each tau",
    columns: 4, pointSize: 0.4, range: -1.2...1.2, width: 1200, height: 650)
  tutorial.figure(writeTutorialFigure(script, name: "08-samples-by-tau"))
}

// MARK: Step 6 — mode coverage, side by side
tutorial.step("mode coverage: one step against the best two-step τ")
tutorial.note("Samples nearest each mode (# = 5 samples); \"near\" counts those within 0.1 of the centre:")
let bestCounts = best.counts
tutorial.table(
  ["mode k", "R", "1 step", "near", "", "τ = \(sig(best.tau))", "near", ""],
  (0..<8).map { k in
    [
      "\(k)", "\(trueCounts.nearest[k])", "\(oneStepCounts.nearest[k])", "\(oneStepCounts.near[k])",
      bar(oneStepCounts.nearest[k]), "\(bestCounts.nearest[k])", "\(bestCounts.near[k])",
      bar(bestCounts.nearest[k]),
    ]
  }, leftAligned: [4, 7])
tutorial.note("Both samplers cover all eight modes; the second step mostly moves samples from between")
tutorial.note("the modes onto them, which is what the lower SW₁ measures.")

tutorial.finish()
