// Tutorial 03: the seeded noise, the pair index n and the CT pair of noisy inputs.
//
// Seed pseudocode:
//   timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)
//   noise = standard_gaussian_noise()
//   current_sigmas = sigmas[timesteps]
//   next_sigmas = sigmas[timesteps + 1]
//   current_noisy_data = data + current_sigmas * noise
//   next_noisy_data = data + next_sigmas * noise
//
// Run: swift run Tutorial03NoisyPair [--no-pause]

import ConsistencyModels
import Plotting
import TutorialFigures
import TutorialKit

var tutorial = Tutorial(number: 3, title: "Noise and the noisy pair", steps: 5)

// MARK: Step 1 — the seeded generator
tutorial.step("a seeded random source")
tutorial.seed("noise = standard_gaussian_noise()")
tutorial.note("SeededGenerator is xoshiro256** seeded by SplitMix64, with Gaussians by Marsaglia's")
tutorial.note("polar method, built from correctly rounded operations only: the same seed gives the")
tutorial.note("same bits on every platform.")
var first = SeededGenerator(seed: 0)
tutorial.value("SeededGenerator(seed: 0).next()", "0x" + String(first.next(), radix: 16, uppercase: true))
var generator = SeededGenerator(seed: 2023)
var replay = generator  // the state is a value: a copy replays the same stream
let uniforms = (0..<3).map { _ in generator.nextUniform() }
let gaussians = generator.gaussians(count: 4)
let replayed = (0..<3).map { _ in replay.nextUniform() } + replay.gaussians(count: 4)
tutorial.values([
  ("seed 2023: U ∈ [0, 1)", vec(uniforms)),
  ("then z ~ N(0, 1)", vec(gaussians)),
  ("an earlier copy replays all 7", "\(replayed == uniforms + gaussians)"),
])

// MARK: Step 2 — the pair index
let K = 800_000
let k = 1_000
let N = ctDiscretizationSteps(k: k, K: K)  // num_timesteps
let sigmas = karrasSigmas(count: N)
tutorial.step("the pair index n, uniform over the N − 1 neighbouring pairs")
tutorial.seed("timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)")
tutorial.paper("n ~ U[[1, N(k) − 1]]  (1-based)   =   n ∈ {0, …, N − 2}  (0-based)", source: "CM Alg. 3")
tutorial.note("At k = \(k) the curriculum gives N = \(N): \(N) grid points, \(N - 1) pairs (t_n, t_(n+1)).")
let draws = 50_000
var counts = [Int](repeating: 0, count: N)  // one slot per grid point, to show the last stays empty
var pairGenerator = SeededGenerator(seed: 3)
for _ in 0..<draws { counts[uniformPairIndex(N: N, using: &pairGenerator)] += 1 }
tutorial.table(
  ["n", "draws", "fraction", "expected 1/(N−1)"],
  (0..<N).map { n in
    [
      "\(n)", "\(counts[n])", sig(Double(counts[n]) / Double(draws), 4),
      n < N - 1 ? sig(1 / Double(N - 1), 4) : "0",
    ]
  })
tutorial.note("`end` is exclusive, like Python's range and torch.randint: n stops at N − 2 = \(N - 2), so")
tutorial.note("sigmas[n + 1] is at most sigmas[N − 1] = T. With an inclusive end, n = \(N - 1) would")
tutorial.note("ask for sigmas[\(N)], one past the grid.")

// MARK: Step 3 — current and next sigmas
tutorial.step("current_sigmas and next_sigmas for a batch")
tutorial.seed("current_sigmas = sigmas[timesteps]")
tutorial.seed("next_sigmas = sigmas[timesteps + 1]")
tutorial.paper("the pair (t_n, t_(n+1)), t_n < t_(n+1)")
let batchSize = 4
var batchGenerator = SeededGenerator(seed: 7)
let timesteps = (0..<batchSize).map { _ in uniformPairIndex(N: N, using: &batchGenerator) }  // n per example
tutorial.table(
  ["b", "n", "t_n = current_sigmas", "t_(n+1) = next_sigmas"],
  (0..<batchSize).map { b in
    ["\(b)", "\(timesteps[b])", sig(sigmas[timesteps[b]]), sig(sigmas[timesteps[b] + 1])]
  })
tutorial.note("current = the less noisy one (the target network's input), next = the noisier one.")

// MARK: Step 4 — one noise draw, two inputs
tutorial.step("the same z in both inputs")
tutorial.seed("current_noisy_data = data + current_sigmas * noise")
tutorial.seed("next_noisy_data = data + next_sigmas * noise")
tutorial.paper("x̂_(t_n) = x + t_n · z,   x_(t_(n+1)) = x + t_(n+1) · z,   one z", source: "CM Alg. 3")
let data = (0..<batchSize).map { _ in batchGenerator.gaussians(count: 2).map { 0.5 * $0 } }
let noise = (0..<batchSize).map { _ in batchGenerator.gaussians(count: 2) }
let pairs = (0..<batchSize).map { b in
  ctNoisyPair(x: data[b], z: noise[b], tN: sigmas[timesteps[b]], tNPlus1: sigmas[timesteps[b] + 1])
}
tutorial.table(
  ["b", "x (data)", "z (noise)", "x̂_(t_n)", "x_(t_(n+1))"],
  (0..<batchSize).map { b in
    ["\(b)", vec(data[b], 5), vec(noise[b], 5), vec(pairs[b].xTN, 5), vec(pairs[b].xTNPlus1, 5)]
  })

// MARK: Step 5 — why the same z matters
tutorial.step("both inputs lie on one straight line through x, with slope z")
tutorial.paper("(x_(t_(n+1)) − x̂_(t_n)) / (t_(n+1) − t_n) = z")
let b0 = 0
let slope = (0..<2).map { i in
  (pairs[b0].xTNPlus1[i] - pairs[b0].xTN[i]) / (sigmas[timesteps[b0] + 1] - sigmas[timesteps[b0]])
}
tutorial.values([("slope for b = 0", vec(slope)), ("z for b = 0", vec(noise[b0]))])
tutorial.note("So x̂_(t_n) is one Euler step of the probability-flow ODE from x_(t_(n+1)) when the")
tutorial.note("denoiser is the data point itself, D(x_(t_(n+1)), t_(n+1)) := x:")
tutorial.paper("x̂ = x_(t_(n+1)) + (t_n − t_(n+1)) · (x_(t_(n+1)) − x) / t_(n+1)", source: "CM Alg. 2, Euler")
let euler = eulerStep(
  x: pairs[b0].xTNPlus1, from: sigmas[timesteps[b0] + 1], to: sigmas[timesteps[b0]],
  denoiser: { _, _ in data[b0] })
let gap = zip(euler, pairs[b0].xTN).map { abs($0 - $1) }.max()!
tutorial.values([
  ("eulerStep with D := x", vec(euler)),
  ("x̂_(t_n)", vec(pairs[b0].xTN)),
  ("largest |difference| ≤ 10⁻¹²", "\(gap <= 1e-12)"),
])
tutorial.note("That is Consistency Training: CD with a pre-trained denoiser in place of x is the only")
tutorial.note("change. Fresh noise for the second input would break the line, and the target with it.")

// The pair in the plane, for one ring8 point: CT's two inputs on the straight line x + t·z, and
// the exact probability-flow trajectory through the noisier one (ring8's exact denoiser).
do {
  let ring = Dataset.ring8.mixture!
  var g = SeededGenerator(seed: 30)
  let x0 = Dataset.ring8.sample(count: 1, using: &g)
  let z0 = g.gaussians(count: 2)
  let grid = karrasSigmas(count: 18)
  let m = grid.firstIndex { $0 >= 0.6 }! - 1  // the pair whose t_n is just below 0.6: visible in the plane
  let (low, high) = (grid[m], grid[m + 1])
  let (xLow, xHigh) = (addNoise(x: x0, z: z0, t: low), addNoise(x: x0, z: z0, t: high))
  var path: [[Double]] = []
  let onPath = try integrateProbabilityFlow(
    x: xHigh, from: high, to: 0.002, denoiser: ring.denoiser, relativeTolerance: 1e-8,
    absoluteTolerance: 1e-8, trajectory: { _, x in path.append(x) }
  ).x
  let atLow = try integrateProbabilityFlow(x: xHigh, from: high, to: low, denoiser: ring.denoiser).x
  var script = PlotScript(title: "the CT pair and the PF-ODE trajectory", width: 900, height: 900)
  var data = SeededGenerator(seed: 31)
  let ringBlock = script.add(
    DataBlock(name: "ring", columns: 2, values: Dataset.ring8.sample(count: 2000, using: &data)))
  let lineBlock = script.add(DataBlock(name: "line", rows: [x0, xHigh]))
  let pathBlock = script.add(DataBlock(name: "path", rows: path))
  let marks: [(String, [Double], String)] = [
    ("x (data)", x0, "#2ca02c"), ("x_(t_(n+1)) = x + t_(n+1) z", xHigh, "#d62728"),
    ("CT: x + t_n z", xLow, "#1f77b4"), ("trajectory at t_n", atLow, "#ff7f0e"),
    ("trajectory's end f*", onPath, "#9467bd"),
  ]
  var layers = [
    "\(ringBlock) using 1:2 with points pt 7 ps 0.3 lc rgb '#c0c0c0' title 'ring8'",
    "\(lineBlock) using 1:2 with lines dt 2 lw 1.5 lc rgb '#1f77b4' title 'x + t z, t from 0 to t_(n+1) (one z)'",
    "\(pathBlock) using 1:2 with lines lw 2 lc rgb '#7f7f7f' title 'PF-ODE trajectory through x_(t_(n+1))'",
  ]
  for (i, mark) in marks.enumerated() {
    let block = script.add(DataBlock(name: "mark\(i)", rows: [mark.1]))
    layers.append(
      "\(block) using 1:2 with points pt 7 ps 1.6 lc rgb '\(mark.2)' title \(PlotScript.quoted(mark.0))")
  }
  script.add(
    "set title "
      + PlotScript.quoted(
        "t_n = \(sig(low, 4)), t_(n+1) = \(sig(high, 4)) (N = 18): CT's pair lies on a straight line through x, "
          + "not on the trajectory"))
  script.plotFramed(layers, around: path + [x0, xHigh, xLow, atLow, onPath])
  tutorial.note("The figure draws such a pair for a ring8 point beside the exact probability-flow")
  tutorial.note("trajectory through x_(t_(n+1)) (tutorial 00): the straight line x + t·z is not that path.")
  tutorial.figure(writeTutorialFigure(script, name: "03-noisy-pair"))
}

tutorial.finish()
