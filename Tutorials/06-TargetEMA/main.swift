// Tutorial 06: the target network θ⁻ (the seed's "teacher") and its EMA update.
//
// Seed pseudocode:
//   with no_grad():
//     current_ema_decay_rate = ema_decay_schedule(current_training_step, initial_ema_decay_rate,
//                                                 initial_timesteps)
//     teacher_model_params = current_ema_decay_rate * teacher_model_params
//                          + (1 - current_ema_decay_rate) * student_model_params
//
// Run: swift run Tutorial06TargetEMA [--no-pause]

import ConsistencyModels
import Foundation
import Plotting
import TutorialFigures
import TutorialKit

var tutorial = Tutorial(number: 6, title: "The target network θ⁻ and its EMA update", steps: 4)

// MARK: Step 1 — who the "teacher" is
tutorial.step("the seed's teacher is the target network θ⁻")
tutorial.seed("teacher_model_params = current_ema_decay_rate * teacher_model_params")
tutorial.seed("                     + (1 - current_ema_decay_rate) * student_model_params")
tutorial.paper("θ⁻ ← stopgrad( μ · θ⁻ + (1 − μ) · θ )", source: "CM Eq. 8")
tutorial.note("student_model_params is θ, the online network that the optimiser trains.")
tutorial.note("teacher_model_params is θ⁻, the paper's target network: a running average of θ.")
tutorial.note("It starts as a copy of θ and learns nothing on its own. Nothing pre-trained enters")
tutorial.note("the loop, so this is Consistency Training (CM Alg. 3), not distillation: in CD")
tutorial.note("(Alg. 2) a frozen diffusion model makes the target *input*, and θ⁻ is still an EMA.")
var generator = SeededGenerator(seed: 6)
var theta = generator.gaussians(count: 4)  // θ, a small flat parameter vector
var thetaMinus = theta  // θ⁻ ← θ at initialisation (CM Alg. 3)
tutorial.values([("θ  at k = 0", vec(theta)), ("θ⁻ at k = 0", vec(thetaMinus))])

// MARK: Step 2 — μ = 0
tutorial.step("μ = 0 copies θ")
tutorial.paper("μ = 0:   θ⁻ ← 0 · θ⁻ + 1 · θ = θ")
let moved = theta.map { $0 + 0.25 }  // θ after some optimiser steps (an arbitrary change)
var copied = thetaMinus
updateTarget(thetaMinus: &copied, theta: moved, mu: 0)
var kept = thetaMinus
updateTarget(thetaMinus: &kept, theta: moved, mu: 1)
tutorial.values([
  ("θ (moved)", vec(moved)),
  ("θ⁻ after μ = 0", vec(copied)),
  ("θ⁻ == θ bit for bit", "\(copied == moved)"),
  ("θ⁻ after μ = 1 (unchanged)", vec(kept)),
])
tutorial.note("iCT uses μ = 0 (θ⁻ = stopgrad θ), and so does CM's CD on CIFAR-10; CM's CT uses μ(k).")

// MARK: Step 3 — a few updates along the curriculum
tutorial.step("a few training steps with μ(k)")
tutorial.seed("current_ema_decay_rate = ema_decay_schedule(current_training_step, ...)")
tutorial.paper("μ(k) = exp( s₀ · ln μ₀ / N(k) ),  μ₀ = 0.9, s₀ = 2", source: "CM App. C, tutorial 01")
tutorial.note("θ takes a seeded random step each k (a stand-in for the optimiser); θ⁻ follows it.")
tutorial.note("Steps k = 0…5, then two steps later in training, after N(k) has grown.")
let K = 800_000
var rows: [[String]] = []
for k in [0, 1, 2, 3, 4, 5, 500, 501] {
  let step = generator.gaussians(count: 4).map { 0.1 * $0 }
  theta = zip(theta, step).map { $0 + $1 }  // optimiser step on θ (stand-in)
  let mu = emaDecayRate(k: k, K: K)  // current_ema_decay_rate
  updateTarget(thetaMinus: &thetaMinus, theta: theta, mu: mu)
  let gap = zip(theta, thetaMinus).map { abs($0 - $1) }.max()!
  rows.append([
    "\(k)", "\(ctDiscretizationSteps(k: k, K: K))", sig(mu), sig(theta[0], 6), sig(thetaMinus[0], 6),
    sig(gap, 4),
  ])
}
tutorial.table(["k", "N(k)", "μ(k)", "θ[0]", "θ⁻[0]", "max |θ − θ⁻|"], rows)
tutorial.note("θ⁻ lags θ: each update moves it only 1 − μ of the way. Later in training μ is closer")
tutorial.note("to 1, so θ⁻ averages over more of θ's recent past.")

do {
  let ks = (0...400).map { $0 * 2000 }
  let script = PlotScript.linePlot(
    [
      Series(
        "mu(k), paper: exp(s0 ln mu0 / N(k))", x: ks.map(Double.init),
        y: ks.map { emaDecayRate(k: $0, K: 800_000) }),
      Series(
        "mu(k), official code: N(k) - 1", x: ks.map(Double.init),
        y: ks.map { emaDecayRate(k: $0, K: 800_000, variant: .official) }, dashed: true),
    ],
    title: "the target network's EMA decay rate mu(k) (CM App. C: K = 800000, s0 = 2, s1 = 150, mu0 = 0.9)",
    xLabel: "training step k", yLabel: "mu(k)", key: "bottom right", height: 500)
  tutorial.figure(writeTutorialFigure(script, name: "06-mu"))
}

// MARK: Step 4 — the lag, exactly
tutorial.step("how fast θ⁻ catches up with a θ that stands still")
tutorial.paper("θ⁻ − θ ← μ · (θ⁻ − θ)   ⇒   after m updates the gap is μᵐ times the first")
let mu = emaDecayRate(N: 6)  // μ(k) at k = 1000, where N(k) = 6
var chase = [1.0, -2.0, 0.5, 0.0]  // θ⁻
let fixedTheta = [0.0, 0.0, 0.0, 0.0]  // θ, held fixed
var chaseRows: [[String]] = []
for m in 1...6 {
  updateTarget(thetaMinus: &chase, theta: fixedTheta, mu: mu)
  chaseRows.append(["\(m)", vec(chase, 6), sig(chase[0], 10), sig(pow(mu, Double(m)), 10)])
}
tutorial.note("μ = μ(N = 6) = \(sig(mu)); θ = 0 held fixed; θ⁻ starts at (1, −2, 0.5, 0):")
tutorial.table(["m", "θ⁻", "θ⁻[0]", "μᵐ"], chaseRows)
tutorial.note("Here μ = 0.9^(1/3), so every third update shrinks the gap by exactly μ₀ = 0.9.")
tutorial.note(
  "The average remembers about 1/(1 − μ) ≈ \(sig(1 / (1 - mu), 3)) updates. Separately from θ⁻, many")
tutorial.note("codebases keep a slow EMA of θ (e.g. 0.9999) for evaluation only; it never enters the loss.")

tutorial.finish()
