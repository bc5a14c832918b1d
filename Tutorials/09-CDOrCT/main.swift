// Tutorial 09: is the seed's loop Consistency Distillation or Consistency Training?
//
// The two algorithms of CM differ in one line, how the less-noisy input x̂_{t_n} is made:
//   CT (Algorithm 3):  x̂_{t_n} = x + t_n·z                              the same z as x_{t_{n+1}}
//   CD (Algorithm 2):  x̂_{t_n} = x_{t_{n+1}} + (t_n − t_{n+1})·Φ(x_{t_{n+1}}, t_{n+1}; φ)
//                      one Euler or Heun step of a frozen, pre-trained diffusion model D_φ
//
// The tutorial takes one data point of ring8 and one noise draw, makes x̂_{t_n} all four ways (CT,
// CD-Euler and CD-Heun with the exact ring8 denoiser as the teacher, and the exact ODE transport),
// shows that CD-Euler with D := x is CT, and then applies a checklist to the seed pseudocode.
// Nothing is trained and no network runs: every number comes from ring8's known density.
//
// Run: swift run Tutorial09CDOrCT [--no-pause]

import ConsistencyModels
import Plotting
import TutorialFigures
import TutorialKit

var tutorial = Tutorial(number: 9, title: "Is it CD or CT?", steps: 5)

// MARK: Step 1 — one data point, one z, CD's grid
let ring = Dataset.ring8.mixture!  // the data: 8 Gaussians on a circle, density known exactly
let teacher = Teacher.oracle(ring)  // D_φ := the exact denoiser E[x | x_t]: a perfect CD teacher
var generator = SeededGenerator(seed: 9)
let x = Dataset.ring8.sample(count: 1, using: &generator)  // data = data_distribution(), one point
let z = generator.gaussians(count: 2)  // noise = standard_gaussian_noise()
let cdConfig = TrainingConfig.preset(.tiny, method: .cd)
let N = cdConfig.schedule.N(k: 0, K: cdConfig.totalSteps)  // CD's fixed N = 18 (CM CIFAR-10)
let sigmas = karrasSigmas(count: N)  // sigmas = karras_schedule(num_timesteps, ...)
let n = 6  // the pair (t_n, t_(n+1)), 0-based as the seed's timesteps
let (tN, tNPlus1) = (sigmas[n], sigmas[n + 1])
let xTNPlus1 = addNoise(x: x, z: z, t: tNPlus1)  // next_noisy_data = data + next_sigmas * noise
tutorial.step("one data point, one noise draw, CD's grid")
tutorial.note("Both algorithms start alike: a data point x, a noise draw z, a grid, a pair index n,")
tutorial.note("and the noisier input x_(t_(n+1)) = x + t_(n+1)·z for the online network θ.")
tutorial.seed("data = data_distribution();  noise = standard_gaussian_noise()")
tutorial.values([("x (ring8, seed 9)", vec(x)), ("z", vec(z))])
tutorial.seed("sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)")
tutorial.note("N = \(N), the grid of the library's CD preset (CM's CD on CIFAR-10); t_i with 0-based i:")
tutorial.table(
  ["i"] + (0..<6).map { "\($0)" } + ["…", "\(N - 1)"],
  [["t_i"] + sigmas.prefix(6).map { sig($0, 4) } + ["…", sig(sigmas[N - 1])]], leftAligned: [0])
tutorial.seed("next_noisy_data = data + next_sigmas * noise")
tutorial.values([
  ("n, t_n, t_(n+1)", "\(n), \(sig(tN)), \(sig(tNPlus1))"),
  ("x_(t_(n+1)) = x + t_(n+1)·z", vec(xTNPlus1)),
])

// MARK: Step 2 — four ways to make x̂_{t_n}
/// The four ways to make x̂_{t_n}, in the order `targets` returns them.
let ways = ["CT", "CD Euler", "CD Heun", "exact ODE"]
/// x̂_{t_n} four ways for the data point x0 and the noise z0, from x_{t_{n+1}} = x0 + t_{n+1}·z0.
func targets(x0: [Double], z0: [Double], tN: Double, tNPlus1: Double) throws -> [[Double]] {
  let xTNPlus1 = addNoise(x: x0, z: z0, t: tNPlus1)
  // CT, CM Alg. 3: current_noisy_data = data + current_sigmas * noise (the same z)
  let ct = ctNoisyPair(x: x0, z: z0, tN: tN, tNPlus1: tNPlus1).xTN
  // CD, CM Alg. 2: one solver step of the teacher from t_(n+1) down to t_n (what cdStep calls)
  let euler = ODESolver.euler.step(batch: xTNPlus1, from: [tNPlus1], to: [tN], denoiser: teacher.denoise)
  let heun = ODESolver.heun.step(batch: xTNPlus1, from: [tNPlus1], to: [tN], denoiser: teacher.denoise)
  // The probability-flow ODE solved to 10⁻¹⁰: where the teacher's trajectory really is at t_n
  let exact = try integrateProbabilityFlow(x: xTNPlus1, from: tNPlus1, to: tN, denoiser: ring.denoiser).x
  return [ct, euler, heun, exact]
}
/// ‖a − b‖₂.
func norm(_ a: [Double], _ b: [Double]) -> Double {
  zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
}
/// A distance with 3 digits; below the integrator's tolerance it is the integrator's error, not a
/// difference, and its digits could change from one platform's exp and log to another's.
func shown(_ distance: Double) -> String { distance < 1e-9 ? "< 1e-9" : sci(distance, 3) }

tutorial.step("four ways to make the less-noisy input x̂_(t_n)")
tutorial.seed("current_noisy_data = data + current_sigmas * noise")
tutorial.paper("CT: x̂_(t_n) = x + t_n·z, the same z", source: "CM Alg. 3")
tutorial.paper("CD: x̂_(t_n) = x_(t_(n+1)) + (t_n − t_(n+1))·Φ(x_(t_(n+1)), t_(n+1); φ)", source: "CM Alg. 2")
tutorial.note("The CD teacher here is the exact denoiser of ring8 (Teacher.oracle), the best a pre-trained")
tutorial.note("diffusion model could be, so CD's only error is its one solver step. \"exact\" is the same")
tutorial.note("teacher's probability-flow ODE integrated to 10⁻¹⁰ (Dormand–Prince in ln t).")
let candidates = try targets(x0: x, z0: z, tN: tN, tNPlus1: tNPlus1)
let exact = candidates[3]
// The loss asks f_θ(x_(t_(n+1)), t_(n+1)) = f_θ⁻(x̂_(t_n), t_n); at the ideal f = f* both sides are
// where each point's own trajectory ends at ε.
let fStarOnline = try exactConsistencyFunction(x: xTNPlus1, t: tNPlus1, denoiser: ring.denoiser)
tutorial.table(
  ["made by", "x̂_(t_n)", "‖x̂ − exact‖", "f*(x̂, t_n)", "‖f*(x̂, t_n) − f*(x_(t_(n+1)))‖"],
  try candidates.indices.map { i in
    let xHat = candidates[i]
    let fStar = try exactConsistencyFunction(x: xHat, t: tN, denoiser: ring.denoiser)
    return [ways[i], vec(xHat, 6), shown(norm(xHat, exact)), vec(fStar, 6), shown(norm(fStar, fStarOnline))]
  }, leftAligned: [0])
tutorial.values([
  ("f*(x_(t_(n+1)), t_(n+1)), the online side's ideal", vec(fStarOnline, 6)),
  (
    "D_φ(x_(t_(n+1)), t_(n+1)), the teacher's guess of x",
    vec(teacher.denoise(batch: xTNPlus1, t: [tNPlus1]), 6)
  ),
  ("x, the data point itself", vec(x, 6)),
])
tutorial.note("The last column is what the loss sees at the ideal f = f*: how far apart the two sides")
tutorial.note("f*(x_(t_(n+1)), t_(n+1)) and f*(x̂_(t_n), t_n) are. CD's targets lie one solver step off the")
tutorial.note(
  "teacher's trajectory through x_(t_(n+1)), so they end almost where it ends. CT's target lies on")
tutorial.note("the trajectory through x + t_n·z, another path: it is built from the data point x, which the")
tutorial.note("teacher can only guess at this noise level (its guess D_φ is near the ring's centre).")

do {
  var path: [[Double]] = []
  _ = try integrateProbabilityFlow(
    x: xTNPlus1, from: tNPlus1, to: 0.002, denoiser: ring.denoiser, relativeTolerance: 1e-8,
    absoluteTolerance: 1e-8, trajectory: { _, point in path.append(point) })
  var script = PlotScript(title: "x-hat_(t_n) four ways, as arrows from x_(t_(n+1))", width: 900, height: 900)
  var data = SeededGenerator(seed: 91)
  let ringBlock = script.add(
    DataBlock(name: "ring", columns: 2, values: Dataset.ring8.sample(count: 2000, using: &data)))
  let pathBlock = script.add(DataBlock(name: "path", rows: path))
  let lineBlock = script.add(DataBlock(name: "line", rows: [x, xTNPlus1]))
  let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#000000"]
  var layers = [
    "\(ringBlock) using 1:2 with points pt 7 ps 0.3 lc rgb '#c0c0c0' title 'ring8'",
    "\(pathBlock) using 1:2 with lines lw 2 lc rgb '#7f7f7f' title 'exact PF-ODE trajectory through x_(t_(n+1)), to eps'",
    "\(lineBlock) using 1:2 with lines dt 2 lw 1 lc rgb '#1f77b4' title 'x + t z (CT line through the data point x)'",
  ]
  for (i, way) in ways.enumerated().reversed() {  // exact first, so the others are drawn over it
    let target = candidates[i]
    let block = script.add(
      DataBlock(
        name: "arrow\(i)",
        rows: [[xTNPlus1[0], xTNPlus1[1], target[0] - xTNPlus1[0], target[1] - xTNPlus1[1]]]))
    layers.append(
      "\(block) using 1:2:3:4 with vectors head filled size screen 0.015,20 lw 2.5 lc rgb '\(colors[i])' "
        + "title \(PlotScript.quoted(way + " target x-hat_(t_n)"))")
  }
  let start = script.add(DataBlock(name: "start", rows: [xTNPlus1]))
  let point = script.add(DataBlock(name: "datapoint", rows: [x]))
  layers.append("\(start) using 1:2 with points pt 6 ps 2 lc rgb '#d62728' title 'x_(t_(n+1))'")
  layers.append("\(point) using 1:2 with points pt 7 ps 1.5 lc rgb '#2ca02c' title 'x (data point)'")
  script.add(
    "set title 'n = \(n), t_n = \(sig(tN, 4)), t_(n+1) = \(sig(tNPlus1, 4)): CD steps along the trajectory, CT towards x + t_n z'"
  )
  script.plotFramed(layers, around: path + candidates + [x, xTNPlus1])
  tutorial.figure(writeTutorialFigure(script, name: "09-targets"))
}

// MARK: Step 3 — small and large t
let draws = 100
var drawGenerator = SeededGenerator(seed: 99)
let xs = Dataset.ring8.sample(count: draws, using: &drawGenerator)
let zs = drawGenerator.gaussians(count: 2 * draws)
tutorial.step("the same comparison at small and large t")
tutorial.note("Distance of each x̂_(t_n) from the exact transport, for several pairs of the N = \(N) grid:")
tutorial.note("for the x and z above, and the mean over \(draws) other draws of (x, z).")
var means: [[Double]] = []  // per pair: mean distance of CT, Euler, Heun
tutorial.table(
  ["n", "t_n", "t_(n+1)", "CT", "Euler", "Heun", "mean CT", "mean Euler", "mean Heun"],
  try [0, 2, 4, 5, 6, 7, 9, 12, 16].map { n in
    let c = try targets(x0: x, z0: z, tN: sigmas[n], tNPlus1: sigmas[n + 1])
    var mean = [0.0, 0.0, 0.0]
    for b in 0..<draws {
      let t = try targets(
        x0: Array(xs[(2 * b)..<(2 * b + 2)]), z0: Array(zs[(2 * b)..<(2 * b + 2)]), tN: sigmas[n],
        tNPlus1: sigmas[n + 1])
      for j in 0..<3 { mean[j] += norm(t[j], t[3]) / Double(draws) }
    }
    means.append(mean)
    return ["\(n)", sig(sigmas[n], 4), sig(sigmas[n + 1], 4)] + c.prefix(3).map { sci(norm($0, c[3]), 3) }
      + mean.map { sci($0, 3) }
  })
let dStar = teacher.denoise(batch: xTNPlus1, t: [tNPlus1])
let predicted = (1 - tN / tNPlus1) * norm(x, dStar)
tutorial.paper("x̂_CT − x̂_Euler = (t_n − t_(n+1))·(z − Φ) = (t_n − t_(n+1))·(D_φ − x)/t_(n+1)")
let agrees = abs(norm(candidates[0], candidates[1]) - predicted) <= 1e-12
tutorial.value(
  "n = \(n): ‖x̂_CT − x̂_Euler‖ = (1 − t_n/t_(n+1))·‖x − D_φ‖ to 10⁻¹²", "\(agrees)   (\(sig(predicted, 6)))")
tutorial.note(
  "CT's target differs from CD-Euler's by (1 − t_n/t_(n+1))·‖x − D_φ‖: the step's ratio times how")
tutorial.note("far the data point is from the teacher's guess. That is small only at the smallest t, where")
tutorial.note("D_φ ≈ x, and shrinks only as the grid gets finer (t_n/t_(n+1) → 1): hence CT's N(k) growing.")
tutorial.note("CD's error is one solver step's: largest in the middle (t ≈ 0.1 to 2), where the trajectories")
tutorial.note("bend as they choose one of ring8's modes, tiny at large t, where they are nearly straight.")
let heunGain = means.map { $0[1] / $0[2] }  // mean Euler / mean Heun
let cdLead = means.map { $0[0] / max($0[1], $0[2]) }  // mean CT / the worse CD solver
let heunWins = "\(heunGain.filter { $0 > 1 }.count) of these \(means.count) pairs"
let (leadLow, leadHigh) = (fixed(cdLead.min()!, 1), fixed(cdLead.max()!, 0))
tutorial.note("Heun's mean error is below Euler's at \(heunWins), by a factor of up to")
tutorial.note(
  "\(sig(heunGain.max()!, 2)); CT's mean error is \(leadLow) to \(leadHigh) times the worse CD solver's. One solver step of"
)
tutorial.note("a good teacher beats the one-sample step by far, which is why CD can keep a fixed N = \(N).")

// MARK: Step 4 — CD-Euler with D := x is CT
tutorial.step("CD-Euler with the denoiser D := x is exactly CT")
tutorial.paper("Φ = (x_(t_(n+1)) − D(x_(t_(n+1)), t_(n+1))) / t_(n+1)", source: "CM Eq. 6, Euler")
tutorial.paper("x̂ = x_(t_(n+1)) + (t_n − t_(n+1))·d")
tutorial.note("Replace the teacher by the one-sample \"denoiser\" that returns the clean data point x:")
let oneSample: Denoiser = { _, _ in x }  // D(x_t, t) := x, whatever x_t and t are
let d = probabilityFlowSlope(x: xTNPlus1, t: tNPlus1, denoiser: oneSample)
let euler = eulerStep(x: xTNPlus1, from: tNPlus1, to: tN, denoiser: oneSample)
let heun = heunStep(x: xTNPlus1, from: tNPlus1, to: tN, denoiser: oneSample)
let ct = candidates[0]
/// A number for a sum written out: negative ones in parentheses.
func term(_ v: Double) -> String { v < 0 ? "(\(sig(v)))" : sig(v) }
for i in 0..<2 {
  let coordinate = i == 0 ? "first" : "second"
  tutorial.note("\(coordinate) coordinate:")
  let (xi, xTi) = (term(x[i]), term(xTNPlus1[i]))
  tutorial.note("  Φ = (x_(t_(n+1)) − x)/t_(n+1) = (\(xTi) − \(xi))/\(term(tNPlus1)) = \(term(d[i])) = z")
  tutorial.note(
    "  x̂ = x_(t_(n+1)) + (t_n − t_(n+1))·d = \(xTi) + \(term(tN - tNPlus1))·\(term(d[i])) = \(term(euler[i]))"
  )
  tutorial.note("  x + t_n·z = \(term(x[i])) + \(term(tN))·\(term(z[i])) = \(term(ct[i]))")
}
tutorial.values([
  ("d = z, to 10⁻¹²", "\(norm(d, z) <= 1e-12)"),
  ("Euler with D := x equals x + t_n·z, to 10⁻¹²", "\(norm(euler, ct) <= 1e-12)"),
  ("Heun with D := x equals x + t_n·z, to 10⁻¹²", "\(norm(heun, ct) <= 1e-12)"),
])
tutorial.note("In symbols: with x_(t_(n+1)) = x + t_(n+1)·z, d = z and x̂ = x + t_(n+1)·z + (t_n − t_(n+1))·z")
tutorial.note("= x + t_n·z. Heun changes nothing: the one-sample slope is z at every point of the step.")
tutorial.note("So CT is CD whose \"teacher\" is the single data point that made x_(t_(n+1)). Averaged over")
tutorial.note(
  "all the data points that could have made it, x averages to D(x_(t_(n+1))) = E[x | x_(t_(n+1))],")
tutorial.note("and CT's target, linear in x, averages to the CD-Euler target of the exact teacher:")
tutorial.paper("E[x + t_n·z | x_t] = x_t + (t_n − t)·(x_t − E[x | x_t])/t,   t = t_(n+1), x_t = x + t·z")
// A check of that average: draw M data points from the posterior p(x | x_(t_(n+1))) of the mixture
// (component k with probability r_k; then N(m_k + s_k²/(s_k² + t²)·(x_t − m_k), s_k² t²/(s_k² + t²)·I)).
let M = 20_000
var posteriorGenerator = SeededGenerator(seed: 90)
let r = ring.responsibilities(x: xTNPlus1, t: tNPlus1)
var average = [0.0, 0.0]
var square = [0.0, 0.0]
for _ in 0..<M {
  var u = posteriorGenerator.nextUniform()
  var k = 0
  while k < r.count - 1 && u >= r[k] {
    u -= r[k]
    k += 1
  }
  let s2 = ring.stds[k] * ring.stds[k]
  let shrink = s2 / (s2 + tNPlus1 * tNPlus1)
  let spread = ring.stds[k] * tNPlus1 / (s2 + tNPlus1 * tNPlus1).squareRoot()  // √(s² t²/(s² + t²))
  let xPosterior = (0..<2).map { j in
    ring.means[k][j] + shrink * (xTNPlus1[j] - ring.means[k][j]) + spread * posteriorGenerator.nextGaussian()
  }
  let zPosterior = (0..<2).map { j in (xTNPlus1[j] - xPosterior[j]) / tNPlus1 }  // the z that made x_t
  for j in 0..<2 {
    let target = xPosterior[j] + tN * zPosterior[j]  // CT's target for this x
    average[j] += target / Double(M)
    square[j] += target * target / Double(M)
  }
}
let standardError = (0..<2).map { j in ((square[j] - average[j] * average[j]) / Double(M)).squareRoot() }
tutorial.values([
  ("mean CT target over \(M) posterior draws of x", vec(average, 4) + " ± " + vec(standardError, 1)),
  ("CD-Euler target with the exact teacher", vec(candidates[1], 4)),
])
tutorial.note("(± one Monte Carlo standard error.) CT's target input is an unbiased one-sample estimate of")
tutorial.note("the CD-Euler target input with a perfect teacher: noisy, but it needs no pre-trained model.")
tutorial.note("CM §5 (Theorem 2) makes this precise: with Euler and the true score, the CD and CT losses")
tutorial.note("agree up to o(Δt).")

// MARK: Step 5 — the checklist, applied to the seed
let cdMu = cdConfig.schedule.mu(k: 0, K: cdConfig.totalSteps)  // the CD preset's fixed μ
tutorial.step("what decides CD or CT, applied to the seed pseudocode")
tutorial.note("Four questions decide it; the words \"student\" and \"teacher\" do not:")
tutorial.table(
  ["question", "CT (CM Alg. 3)", "CD (CM Alg. 2)", "the seed"],
  [
    ["1. how is x̂_(t_n) made?", "x + t_n·z, same z", "solver step of D_φ", "data + current_sigmas * noise"],
    ["2. a pre-trained model loaded?", "no", "yes, frozen D_φ", "no"],
    ["3. an ODE solver called?", "no", "Euler or Heun", "no"],
    ["4. N and μ", "N(k), μ(k) grow", "fixed: N = \(N), μ = \(sig(cdMu))", "timestep_schedule(k), ema_…(k)"],
    ["(the other network θ⁻)", "EMA of θ", "EMA of θ", "teacher_model = EMA of student"],
  ], leftAligned: [0, 1, 2, 3])
tutorial.note("Row 4 gives the library's CD preset (CM's CD on CIFAR-10: N = 18, μ = 0; ImageNet-64:")
tutorial.note("N = 40, μ = 0.95). The last row decides nothing: both algorithms keep an EMA target θ⁻.")
tutorial.note("The seed, line by line:")
tutorial.seed("num_timesteps = timestep_schedule(current_training_step, ...)")
tutorial.note("  → N grows with k: CT's curriculum N(k) (CD uses a fixed N)")
tutorial.seed("current_noisy_data = data + current_sigmas * noise")
tutorial.seed("next_noisy_data = data + next_sigmas * noise")
tutorial.note("  → both inputs from the same data and the same noise, no solver: CT (step 4 above)")
tutorial.seed("student_model_prediction = ... student_model(next_noisy_data, next_sigmas)")
tutorial.note("  → f_θ(x_(t_(n+1)), t_(n+1)): the same in CT and CD")
tutorial.seed("teacher_model_prediction = ... teacher_model(current_noisy_data, next_sigmas)")
tutorial.note("  → f_θ⁻(x̂_(t_n), t_n), the target network, in CT and CD alike; next_sigmas is a typo of")
tutorial.note("    the summary (the repository's code passes current_sigmas); tutorial 10 trains with it")
tutorial.seed("teacher_model_params = current_ema_decay_rate * teacher_model_params")
tutorial.seed("                     + (1 - current_ema_decay_rate) * student_model_params")
tutorial.note("  → θ⁻ ← μ θ⁻ + (1 − μ) θ: the teacher is the student's own moving average, never")
tutorial.note("    pre-trained; μ from ema_decay_schedule(current_training_step): CT's μ(k)")
tutorial.note("  No line loads a diffusion model or calls an ODE solver.")
tutorial.value("verdict", "Consistency Training (CT, CM Algorithm 3), not Consistency Distillation")

tutorial.finish()
