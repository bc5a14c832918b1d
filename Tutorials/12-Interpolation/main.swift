// Tutorial 12: interpolation between two samples through their noise (CM App. D): one-step
// samples along the spherical interpolation (slerp) between two noise vectors.
//
// Not in the seed pseudocode. CM interpolates with
//   z(α) = sin((1 − α)ψ)/sin ψ · z₁ + sin(αψ)/sin ψ · z₂,   ψ = ∠(z₁, z₂);   x(α) = f_θ(T·z(α), T)
//
// The tutorial shows why slerp rather than a straight line, trains a tiny CD model (a few
// seconds), walks one path α = 0 … 1 beside the exact consistency function f* of ring8 on the
// same noise, and counts where the model and f* change blob along several paths.
//
// Run: swift run Tutorial12Interpolation [--no-pause]

import ConsistencyModels
import Foundation
import TutorialKit

var tutorial = Tutorial(number: 12, title: "Interpolation: a path of one-step samples", steps: 4)
let ring = GaussianMixture.ring8()

// MARK: Step 1 — slerp, not the straight line
tutorial.step("why spherical interpolation")
tutorial.paper(
  "slerp(z₁, z₂; α) = sin((1 − α)ψ)/sin ψ · z₁ + sin(αψ)/sin ψ · z₂,   cos ψ = ⟨z₁, z₂⟩/(‖z₁‖‖z₂‖)")
tutorial.code("sphericalInterpolation(_:_:alpha:)", source: "CMCore/SphericalInterpolation.swift")
tutorial.value("slerp((1, 0), (0, 1); ½)", vec(sphericalInterpolation([1, 0], [0, 1], alpha: 0.5), 6))
tutorial.value("straight line at ½", vec([0.5, 0.5], 6))
tutorial.note("A Gaussian z in d dimensions has ‖z‖ ≈ √d; the straight line's midpoint of two of them")
tutorial.note("is shorter by about √2, a noise level the model never saw at T. Slerp keeps the norm:")
var noiseGenerator = SeededGenerator(seed: 12)
var rows: [[String]] = []
for d in [2, 100, 10_000] {
  let z1 = noiseGenerator.gaussians(count: d)
  let z2 = noiseGenerator.gaussians(count: d)
  func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
  let line = zip(z1, z2).map { 0.5 * $0 + 0.5 * $1 }
  let middle = sphericalInterpolation(z1, z2, alpha: 0.5)
  rows.append([
    "\(d)", fixed(Double(d).squareRoot(), 2), fixed(norm(z1), 2), fixed(norm(z2), 2), fixed(norm(line), 2),
    fixed(norm(middle), 2),
  ])
}
tutorial.table(["d", "√d", "‖z₁‖", "‖z₂‖", "‖line(½)‖", "‖slerp(½)‖"], rows)
tutorial.note("In 2-D (this data) the difference is small, but the recipe is the paper's.")

// MARK: Step 2 — a tiny model
var config = TrainingConfig.preset(.default, method: .cd)  // CD: N = 18, μ = 0.95, Heun
config.totalSteps = 3_000  // K: a few seconds in a debug build
config.hiddenWidths = [32, 32]  // F_θ: 3 → 32 → 32 → 2
config.batchSize = 64  // B
config.learningRate = 3e-3  // η, large for a short run
config.seed = 11
config.logEvery = 1_000
tutorial.step("train a tiny consistency model")
tutorial.note("The same tiny CD model as tutorial 11 (ring8's exact denoiser as teacher).")
var driver = RunDriver(run: TrainingState<Float>(config: config, teacher: .oracle(ring)))
var hooks = RunDriver<TrainingState<Float>>.Hooks()
hooks.onInterval = { _, record in tutorial.note(record.logLine) }
_ = try driver.run(steps: config.totalSteps, hooks: hooks)
let state = driver.run
let T = config.sigmaMax

/// The blob (0 … 7) nearest a point, by angle.
func blob(_ x: Double, _ y: Double) -> Int { (Int((atan2(y, x) / (Double.pi / 4)).rounded()) + 8) % 8 }

// MARK: Step 3 — one path, beside the exact answer
tutorial.step("one path, α = 0 … 1, model against the exact f*")
tutorial.paper("x(α) = f_θ(T·z(α), T)", source: "CM App. D")
tutorial.code(
  "model.interpolate(parameters:from:to:alphas:sigmaMax:)", source: "CMTraining/Interpolation.swift")
tutorial.note("f*(T·z, T) solves ring8's probability-flow ODE from T down to ε (exact up to 1e-8): where")
tutorial.note("a perfect consistency model would send the same noise.")
var pathGenerator = SeededGenerator(seed: 4)
let ends = pathGenerator.gaussians(count: 4)
let z1 = Array(ends[0..<2])
let z2 = Array(ends[2..<4])
let alphas = (0...10).map { Double($0) / 10 }
let path = state.model.interpolate(parameters: state.thetaEMA, from: z1, to: z2, alphas: alphas, sigmaMax: T)
let noise = alphas.flatMap { sphericalInterpolation(z1, z2, alpha: $0).map { T * $0 } }
let exact = try ring.exactConsistencyFunction(
  batch: noise, t: [Double](repeating: T, count: alphas.count), relativeTolerance: 1e-8,
  absoluteTolerance: 1e-8)
tutorial.table(
  ["α", "z(α)", "f_θ(T·z, T)", "blob", "f*(T·z, T)", "blob"],
  alphas.indices.map { i in
    [
      sig(alphas[i], 2), vec(sphericalInterpolation(z1, z2, alpha: alphas[i]), 3),
      vec([path[2 * i], path[2 * i + 1]], 3), "\(blob(path[2 * i], path[2 * i + 1]))",
      vec([exact[2 * i], exact[2 * i + 1]], 3), "\(blob(exact[2 * i], exact[2 * i + 1]))",
    ]
  })
tutorial.note("Along the path the noise turns through the angle ψ. The exact f* maps each direction of")
tutorial.note("the noise to one blob: it stays in a blob, then jumps to the next. The tiny network")
tutorial.note("slides smoothly between them instead, and its points sit off the blobs: the blur of its")
tutorial.note("one-step samples, seen along one line. \"blob\" is the nearest blob by angle.")

// MARK: Step 4 — several paths
tutorial.step("where the blob changes: model against exact, eight paths")
let fine = (0...40).map { Double($0) / 40 }
var agree = 0
var total = 0
var pathRows: [[String]] = []
for p in 0..<8 {
  let e = pathGenerator.gaussians(count: 4)
  let (a, b) = (Array(e[0..<2]), Array(e[2..<4]))
  let x = state.model.interpolate(parameters: state.thetaEMA, from: a, to: b, alphas: fine, sigmaMax: T)
  let noise = fine.flatMap { sphericalInterpolation(a, b, alpha: $0).map { T * $0 } }
  let f = try ring.exactConsistencyFunction(
    batch: noise, t: [Double](repeating: T, count: fine.count), relativeTolerance: 1e-8,
    absoluteTolerance: 1e-8)
  let modelBlobs = fine.indices.map { blob(x[2 * $0], x[2 * $0 + 1]) }
  let exactBlobs = fine.indices.map { blob(f[2 * $0], f[2 * $0 + 1]) }
  agree += zip(modelBlobs, exactBlobs).filter { $0 == $1 }.count
  total += fine.count
  func visited(_ blobs: [Int]) -> String {
    var order: [Int] = []
    for k in blobs where order.last != k { order.append(k) }
    return order.map(String.init).joined(separator: "→")
  }
  pathRows.append(["\(p + 1)", visited(modelBlobs), visited(exactBlobs)])
}
tutorial.table(["path", "blobs visited by f_θ", "blobs visited by f*"], pathRows, leftAligned: [1, 2])
tutorial.value("points in the same blob as f*", "\(agree) of \(total)")
tutorial.note("A path visits neighbouring blobs in order around the ring: interpolating the noise walks")
tutorial.note("the samples around the circle. Where the model and f* disagree it is near a switch, where")
tutorial.note("the exact f* jumps between blobs and a small network can only approximate the jump.")
tutorial.note("`cm edit interpolate` draws such paths for a trained checkpoint.")

tutorial.finish()
