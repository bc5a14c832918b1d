// Tutorial 00: what a consistency model is, on ring8, where every answer is exact.
//
// Before any training loop: the data, the noise that is added to it, the probability-flow ODE
// that removes the noise again, its exact trajectories, and the consistency function f* that
// jumps from any point of a trajectory to its end. A consistency model is a network f_θ trained
// to be f*. Every number here comes from ring8's known density (its exact denoiser and an
// error-controlled ODE solver); nothing is trained. Each step writes a figure (gnuplot script
// with its data inline, and the PNG) to out/tutorials/.
//
// Run: swift run Tutorial00WhatIsAConsistencyModel [--no-pause]

import ConsistencyModels
import Foundation
import Plotting
import TutorialFigures
import TutorialKit

var tutorial = Tutorial(number: 0, title: "What a consistency model is", steps: 5)
let ring = Dataset.ring8.mixture!  // the data's density: 8 Gaussians on a circle, known exactly
let epsilon = 0.002  // ε = σ_min: the smallest noise level, where a trajectory ends
let T = 80.0  // T = σ_max: the largest noise level, where sampling starts
let sigmaData = Dataset.sigmaData  // σ_data = 0.5

/// Points of a flat row-major n × 2 array.
func points(_ flat: [Double]) -> [SIMD2<Double>] {
  stride(from: 0, to: flat.count, by: 2).map { SIMD2(flat[$0], flat[$0 + 1]) }
}
/// Mean Euclidean distance between the rows of two n × 2 arrays.
func meanDistance(_ a: [Double], _ b: [Double]) -> Double {
  let n = a.count / 2
  return (0..<n).map { i in hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]) }.reduce(0, +)
    / Double(n)
}
/// a + s·b, element by element.
func axpy(_ a: [Double], _ s: Double, _ b: [Double]) -> [Double] { zip(a, b).map { $0 + s * $1 } }
func pair(_ v: [Double]) -> String { "(\(sig(v[0], 6)), \(sig(v[1], 6)))" }

// MARK: Step 1 — the data, σ_data, and noise at rising t
tutorial.step("the data, and the same data under rising noise t")
var generator = SeededGenerator(seed: 0)
let big = Dataset.ring8.sample(count: 20_000, using: &generator)
let xs = stride(from: 0, to: big.count, by: 2).map { big[$0] }
let ys = stride(from: 1, to: big.count, by: 2).map { big[$0] }
func std(_ v: [Double]) -> Double {
  let m = v.reduce(0, +) / Double(v.count)
  return (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
}
tutorial.note("ring8: eight narrow Gaussian blobs on a circle, the library's toy data set. Its density")
tutorial.note("is known, so the right answer to every question below can be computed, not guessed.")
tutorial.values([
  ("blob centres' radius", sig(hypot(ring.means[0][0], ring.means[0][1]), 6)),
  ("each blob's std s", sig(ring.stds[0], 6)),
  ("std of x₁, x₂ over 20000 samples", "\(fixed(std(xs), 4)), \(fixed(std(ys), 4))"),
  ("σ_data (Dataset.sigmaData)", sig(sigmaData)),
])
tutorial.note("σ_data is the data's standard deviation per coordinate. CM and EDM assume 0.5 (images")
tutorial.note("scaled to [−1, 1]) and build their scalings c_skip, c_out, c_in on it (tutorial 04), so")
tutorial.note("ring8 is scaled to exactly that std: the same constants then fit the toy as they fit")
tutorial.note("images. The number it gives: at t = σ_data the noise is as large as the data's spread.")
tutorial.paper("x_t = x + t·z,   x ~ p_data,   z ~ N(0, I)", source: "CM §2, VE/EDM convention: t ≡ σ")
tutorial.note("t (also written σ) is the noise level: the std of the Gaussian noise added to the data.")
tutorial.note("It runs from ε = 0.002 (almost clean) to T = 80 (nothing of the data is left).")
let shown = Array(big.prefix(2 * 1000))
let zShown = generator.gaussians(count: shown.count)
let noiseLevels = [epsilon, 0.05, 0.2, sigmaData, 2, T]
tutorial.table(
  ["t", "std of x_t per coordinate", "√(σ_data² + t²)"],
  noiseLevels.map { t in
    let noisy = axpy(shown, t, zShown)
    let c0 = stride(from: 0, to: noisy.count, by: 2).map { noisy[$0] }
    return [sig(t), fixed(std(c0), 4), fixed((sigmaData * sigmaData + t * t).squareRoot(), 4)]
  })
do {
  var script = PlotScript(title: "ring8 under noise: x_t = x + t z", width: 1200, height: 800)
  script.add("set multiplot layout 2,3 title 'the same 1000 ring8 points x and noise z: x_t = x + t z'")
  script.add("set size ratio -1")
  script.add("set tics font ',8'")
  for (i, t) in noiseLevels.enumerated() {
    let noisy = axpy(shown, t, zShown)
    let block = script.add(DataBlock(name: "noisy\(i)", columns: 2, values: noisy))
    let half = 3 * (sigmaData * sigmaData + t * t).squareRoot()
    script.add("set xrange [\(-half):\(half)]; set yrange [\(-half):\(half)]")
    script.add("set title 't = \(sig(t))\(t == epsilon ? " (ε)" : t == T ? " (T)" : "")'")
    script.add("plot \(block) using 1:2 with points pt 7 ps 0.3 lc rgb '#1f77b4' notitle")
  }
  script.add("unset multiplot")
  tutorial.figure(writeTutorialFigure(script, name: "00-data-to-noise"))
}
tutorial.note("Each panel's axes span ±3 std of x_t: the ring dissolves into one round Gaussian by t ≈ 2.")

// MARK: Step 2 — the probability-flow ODE and its trajectories
tutorial.step("the probability-flow ODE: a path from each noisy point back to the data")
tutorial.paper("D(x, t) = E[ x | x_t = x ]   (the denoiser: the mean of the data that could have made x)")
tutorial.paper("dx/dt = (x − D(x, t)) / t", source: "CM Eq. 3 with EDM's D; EDM Eq. 4")
tutorial.note("The probability-flow ODE (PF-ODE) moves a point as t changes so that a whole cloud of")
tutorial.note("x_t ~ p_t becomes, at every other t′, a cloud distributed as x_t′. Run downwards from")
tutorial.note("t to ε it takes noise back to data. Its solution through one point is a trajectory.")
tutorial.note("For ring8 D is exact (a mixture's posterior mean), so the trajectories below are exact")
tutorial.note("up to the solver's tolerance (Dormand–Prince 5(4) in ln t; 10⁻¹⁰ in the tables, 10⁻⁸ drawn).")
let D = ring.denoiser
var pathGenerator = SeededGenerator(seed: 1)
let pathStarts = axpy(
  Dataset.ring8.sample(count: 24, using: &pathGenerator), 1.0, pathGenerator.gaussians(count: 48))
var paths: [[SIMD2<Double>]] = []
var pathTimes: [[Double]] = []
for b in 0..<24 {
  var path: [SIMD2<Double>] = []
  var times: [Double] = []
  _ = try integrateProbabilityFlow(
    x: Array(pathStarts[2 * b..<2 * b + 2]), from: 1, to: epsilon, denoiser: D,
    relativeTolerance: 1e-8, absoluteTolerance: 1e-8,
    trajectory: { t, x in
      path.append(SIMD2(x[0], x[1]))
      times.append(t)
    })
  paths.append(path)
  pathTimes.append(times)
}
tutorial.note("One trajectory, from t = T down to ε, started at x_T = T·z with z = (0.6, −0.9):")
let zOne = [0.6, -0.9]
var xAt = [T * zOne[0], T * zOne[1]]
var rows: [[String]] = [[sig(T), pair(xAt), pair(D(xAt, T))]]
for (from, to) in [(T, 10.0), (10.0, 1.0), (1.0, sigmaData), (sigmaData, 0.1), (0.1, epsilon)] {
  xAt = try integrateProbabilityFlow(x: xAt, from: from, to: to, denoiser: D).x
  rows.append([sig(to), pair(xAt), pair(D(xAt, to))])
}
tutorial.table(["t", "x(t) on the trajectory", "D(x(t), t)"], rows)
tutorial.note("At large t the denoiser can only guess the data's centre (0, 0); by t ≈ σ_data it has")
tutorial.note("picked a blob, and at ε the trajectory ends inside it: x(ε) ≈ D(x(ε), ε).")
do {
  let background = Series("ring8", flatPoints: Array(big.prefix(4000)))
  let script = PlotScript.trajectoryPlot(
    paths, background: background,
    title: "exact PF-ODE trajectories of ring8 from t = 1 (red circles) to eps (green dots)", arrows: false)
  tutorial.figure(writeTutorialFigure(script, name: "00-trajectories"))
}

// MARK: Step 3 — the consistency function
tutorial.step("the consistency function: jump to the end of your trajectory")
tutorial.paper("f*(x_t, t) = x_ε, the end at ε of the trajectory through (x_t, t)", source: "CM §3")
tutorial.paper("f*(x_t, t) = f*(x_t′, t′) on one trajectory (self-consistency),  f*(x, ε) = x (boundary)")
tutorial.note("f* answers in one evaluation what the ODE solver needs many steps for. Every point of")
tutorial.note("one trajectory has the same answer; the table follows the trajectory of step 2:")
var consistencyRows: [[String]] = []
var xOn = [T * zOne[0], T * zOne[1]]
var tOn = T
var ends: [[Double]] = []
for t in [T, 5.0, 1.0, 0.3, 0.05, epsilon] {
  if t != tOn { xOn = try integrateProbabilityFlow(x: xOn, from: tOn, to: t, denoiser: D).x }
  tOn = t
  let end = try exactConsistencyFunction(x: xOn, t: t, denoiser: D)
  ends.append(end)
  consistencyRows.append([sig(t), pair(xOn), pair(end)])
}
tutorial.table(["t", "x_t on the trajectory", "f*(x_t, t)"], consistencyRows)
let spread = ends.map { hypot($0[0] - ends[0][0], $0[1] - ends[0][1]) }.max()!
tutorial.value("largest ‖f*(x_t, t) − f*(x_T, T)‖ over the six points ≤ 10⁻⁸", "\(spread <= 1e-8)")
tutorial.note("A consistency model is a network f_θ trained so that f_θ ≈ f*: a consistency function")
tutorial.note("learnt from data. The parameters θ are the network's weights; F_θ is the raw network")
tutorial.note("and f_θ the function built from it (step 5). Trained well, f_θ(x_t, t) lands where the")
tutorial.note("exact trajectory ends, from any t. Its error E‖f_θ − f*‖ is the consistency error.")
do {
  var script = PlotScript(title: "the consistency function: every point of a path jumps to its end")
  let background = script.add(DataBlock(name: "data", columns: 2, values: Array(big.prefix(4000))))
  var segments: [[Double]] = []
  var jumps: [[Double]] = []
  for (b, path) in paths.enumerated() where b < 12 {
    for (p, q) in zip(path, path.dropFirst()) { segments.append([p.x, p.y, q.x - p.x, q.y - p.y]) }
    let end = path[path.count - 1]
    for target in [1.0, 0.5, 0.2] {
      let i = pathTimes[b].firstIndex { $0 <= target } ?? 0
      let p = path[i]
      jumps.append([p.x, p.y, end.x - p.x, end.y - p.y])
    }
  }
  let pathBlock = script.add(DataBlock(name: "paths", rows: segments))
  let jumpBlock = script.add(DataBlock(name: "jumps", rows: jumps))
  script.add("set title 'f*(x_t, t): from t = 1, 0.5, 0.2 on each exact path (grey) straight to its end'")
  script.add("set size ratio -1")
  script.add("set key outside right")
  script.add(
    "plot \(background) using 1:2 with points pt 7 ps 0.3 lc rgb '#c0c0c0' title 'ring8', \\\n"
      + "     \(pathBlock) using 1:2:3:4 with vectors nohead lw 1 lc rgb '#7f7f7f' title 'PF-ODE path', \\\n"
      + "     \(jumpBlock) using 1:2:3:4 with vectors head filled size screen 0.01,20 lw 1.5 "
      + "lc rgb '#d62728' title 'jump f*(x_t, t)'")
  tutorial.figure(writeTutorialFigure(script, name: "00-consistency-function"))
}

// MARK: Step 4 — one step against many
tutorial.step("sampling: one jump of f* against many small ODE steps")
tutorial.paper("one-step sample: x = f(T·z, T),  z ~ N(0, I)", source: "CM §3, Alg. 1")
tutorial.paper("multistep: then x ← f(x + √(τ² − ε²)·z′, τ) for τ₁ > τ₂ > …", source: "CM Alg. 1")
tutorial.note("A diffusion model samples by solving the PF-ODE from T to ε in many steps, each one")
tutorial.note("evaluation of D (here Euler's method on the Karras grid t_0 = ε < … < t_(N−1) = T,")
tutorial.note("tutorial 02). A consistency function gets there in one evaluation. Both use the exact")
tutorial.note("D of ring8 here, so the only error left is the number of steps. Scored by the sliced")
tutorial.note("Wasserstein-1 distance SW₁ to a reference sample of ring8 (lower is better; a second")
tutorial.note("true sample gives the noise floor). n = 300 samples, the same z for every sampler.")
var sampleGenerator = SeededGenerator(seed: 2)
let count = 300
let reference = Dataset.ring8.sample(count: 1000, using: &sampleGenerator)
let trueSample = Dataset.ring8.sample(count: count, using: &sampleGenerator)
let zSample = sampleGenerator.gaussians(count: 2 * count)
let zPrime = sampleGenerator.gaussians(count: 2 * count)
func eulerSample(points N: Int) -> [Double] {
  let grid = karrasSigmas(count: N)
  var x = zSample.map { T * $0 }
  for i in stride(from: N - 1, to: 0, by: -1) {
    x = ODESolver.euler.step(
      batch: x, from: [Double](repeating: grid[i], count: count),
      to: [Double](repeating: grid[i - 1], count: count), denoiser: ring.denoise(batch:t:))
  }
  return x
}
let fastTolerance = 1e-6  // f* to 10⁻⁶ here: ample for a scatter plot and 4 decimals of SW₁
func fStar(_ x: [Double], _ t: Double) throws -> [Double] {
  try ring.exactConsistencyFunction(
    batch: x, t: [Double](repeating: t, count: x.count / 2), relativeTolerance: fastTolerance,
    absoluteTolerance: fastTolerance)
}
let oneJump = try fStar(zSample.map { T * $0 }, T)
let tau = 0.8
let twoJumps = try fStar(axpy(oneJump, (tau * tau - epsilon * epsilon).squareRoot(), zPrime), tau)
var samplers: [(name: String, evaluations: Int, x: [Double])] = [
  ("true sample (noise floor)", 0, trueSample)
]
for N in [2, 4, 18] {
  samplers.append(("Euler, \(N - 1) step\(N == 2 ? "" : "s")", N - 1, eulerSample(points: N)))
}
samplers.append(("f*, 1 jump", 1, oneJump))
samplers.append(("f*, 2 jumps (τ = 0.8)", 2, twoJumps))
let scores = samplers.map { fixed(slicedWasserstein1($0.x, reference), 4) }
tutorial.table(
  ["sampler", "evaluations", "SW₁"],
  samplers.indices.map { i in
    [samplers[i].name, samplers[i].evaluations == 0 ? "" : "\(samplers[i].evaluations)", scores[i]]
  },
  leftAligned: [0])
tutorial.note("(evaluations: of D for Euler, of f for the jumps.) One Euler step lands every sample")
tutorial.note("on D(T·z, T) ≈ the data's centre; 17 steps come close. One jump of f* is already a")
tutorial.note("sample of the data: its score is at the level of the noise floor (with 300 points the")
tutorial.note("scores move by about ±0.01 from one draw to the next), and a second jump cannot beat")
tutorial.note("exact. A trained f_θ is not exact: re-noising to τ and jumping again corrects some of")
tutorial.note("its error (tutorial 08).")
do {
  let panels = samplers.indices.map { i in
    Series("\(samplers[i].name): SW1 \(scores[i])", flatPoints: samplers[i].x)
  }
  let script = PlotScript.scatterPanels(
    panels, title: "one jump of the exact consistency function against Euler steps of the PF-ODE",
    columns: 3, pointSize: 0.5, range: -1.2...1.2, width: 1200, height: 800)
  tutorial.figure(writeTutorialFigure(script, name: "00-sampling"))
}

// MARK: Step 5 — why the boundary condition
tutorial.step("why a network needs the boundary condition f(x, ε) = x")
tutorial.note("Training asks f_θ(x_(t_(n+1)), t_(n+1)) = f_θ(x̂_(t_n), t_n) for neighbouring noise levels")
tutorial.note("t_n < t_(n+1) of one trajectory. A constant function meets that perfectly and knows")
tutorial.note("nothing of the data. The boundary condition rules it out: at ε the answer must be x.")
tutorial.paper(
  "f_θ(x, t) = c_skip(t)·x + c_out(t)·F_θ(x, t),  c_skip(ε) = 1, c_out(ε) = 0", source: "CM Eq. 5")
tutorial.note("Three functions on 120 exact pairs: x_(t_(n+1)) = x + t_(n+1)·z and x̂_(t_n), its own")
tutorial.note("trajectory's point at t_n (the PF-ODE solved from t_(n+1)), n uniform on an N = 18 grid:")
var pairGenerator = SeededGenerator(seed: 3)
let pairCount = 120
let grid18 = karrasSigmas(count: 18)
let pairData = Dataset.ring8.sample(count: pairCount, using: &pairGenerator)
let pairZ = pairGenerator.gaussians(count: 2 * pairCount)
let pairN = (0..<pairCount).map { _ in uniformPairIndex(N: 18, using: &pairGenerator) }
let tUpper = pairN.map { grid18[$0 + 1] }
let tLower = pairN.map { grid18[$0] }
var xUpper = pairData
for b in 0..<pairCount {
  xUpper[2 * b] += tUpper[b] * pairZ[2 * b]
  xUpper[2 * b + 1] += tUpper[b] * pairZ[2 * b + 1]
}
let xLower = try ring.integrateProbabilityFlow(
  batch: xUpper, from: tUpper, to: tLower, relativeTolerance: fastTolerance, absoluteTolerance: fastTolerance)
let constantF = [0.3, -0.2]  // a network F that ignores its input
func unconstrained(_ x: [Double], _ t: [Double]) -> [Double] {
  (0..<t.count).flatMap { _ in constantF }
}
func parameterised(_ x: [Double], _ t: [Double]) -> [Double] {
  (0..<t.count).flatMap { b in
    (0..<2).map { j in
      cSkip(t: t[b]) * x[2 * b + j] + cOut(t: t[b]) * constantF[j]
    }
  }
}
func exactF(_ x: [Double], _ t: [Double]) throws -> [Double] {
  try ring.exactConsistencyFunction(
    batch: x, t: t, relativeTolerance: fastTolerance, absoluteTolerance: fastTolerance)
}
let atEpsilon = Array(pairData)  // x at ε: the data points themselves (x + ε·z ≈ x)
let epsilons = [Double](repeating: epsilon, count: pairCount)
let candidates: [(String, ([Double], [Double]) throws -> [Double])] = [
  ("f = F, F constant (0.3, −0.2)", unconstrained),
  ("f = c_skip·x + c_out·F, same F", parameterised),
  ("f* (exact)", exactF),
]
var boundaryRows: [[String]] = []
var atEpsilonOutputs: [(String, [Double])] = []
for (name, f) in candidates {
  let pairGap = meanDistance(try f(xUpper, tUpper), try f(xLower, tLower))
  let outputAtEpsilon = try f(atEpsilon, epsilons)
  atEpsilonOutputs.append((name, outputAtEpsilon))
  boundaryRows.append([name, sci(pairGap, 2), fixed(meanDistance(outputAtEpsilon, atEpsilon), 4)])
}
tutorial.table(
  ["f", "mean ‖f(x_(t_(n+1))) − f(x̂_(t_n))‖", "mean ‖f(x, ε) − x‖"], boundaryRows, leftAligned: [0])
tutorial.note("The constant has no consistency gap at all, yet it is no model of the data: nothing in")
tutorial.note("the pairs alone says where the trajectories end. With c_skip and c_out the same F")
tutorial.note("returns x at ε exactly, and the pairs now disagree, so training has to change F; the")
tutorial.note("pairs then carry the anchor at ε up to T, one pair at a time. That is why every f_θ")
tutorial.note("in this library is built as c_skip·x + c_out·F_θ (tutorial 04).")
do {
  let panels =
    [Series("data x (what f(x, eps) must return)", flatPoints: atEpsilon)]
    + atEpsilonOutputs.prefix(2).map { Series("f(x, eps), \($0.0)", flatPoints: $0.1) }
  let script = PlotScript.scatterPanels(
    panels, title: "the boundary condition: f(x, eps) = x rules out the constant solution",
    columns: 3, pointSize: 0.6, range: -1.0...1.0, width: 1200, height: 450)
  tutorial.figure(writeTutorialFigure(script, name: "00-boundary-condition"))
}
tutorial.note("Words for the tutorials that follow: how a network is trained to be f*. Consistency")
tutorial.note("Distillation (CD) takes x̂_(t_n) from one ODE-solver step with a pre-trained diffusion")
tutorial.note("model D_φ, the teacher; Consistency Training (CT) uses x̂_(t_n) = x + t_n·z with the")
tutorial.note("same z, no teacher. Both compare f_θ at t_(n+1) with a target network f_θ⁻ at t_n, θ⁻ an")
tutorial.note("average (EMA) of θ. Tutorials/NOTATION.md lists every symbol.")

tutorial.finish()
