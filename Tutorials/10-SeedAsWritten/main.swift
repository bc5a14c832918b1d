// Tutorial 10: the seed pseudocode as written, typo included, trained and measured.
//
// The seed's target line, as its asker typed it:
//   teacher_model_prediction = (skip_scaling(current_sigmas, sigma_data, sigma_min) * current_noisy_data
//       + output_scaling(current_sigmas, sigma_data, sigma_min) * teacher_model(current_noisy_data, next_sigmas))
// The paper (CM Alg. 3) and the repository's code tell the target network current_sigmas = t_n.
//
// The tutorial trains the same tiny CT model three times, from the same seed, differing only in that
// line: as the paper writes it, as the seed writes it (the network inside told t_(n+1), the scalings
// outside at t_n), and with the whole target at t_(n+1) (the library's `targetNoiseLevel =
// .nextSigmas`). It compares the loss, the samples (SW₁) and the error against the exact consistency
// function f* of ring8, then says which network the seed calls the teacher.
//
// Run: swift run Tutorial10SeedAsWritten [--no-pause]

import ConsistencyModels
import Foundation
import TutorialKit

var tutorial = Tutorial(number: 10, title: "The seed pseudocode as written", steps: 6)

// MARK: The seed's loop, transcribed
/// What `teacher_model(current_noisy_data, ·)` is told in `seedLoop`.
enum TeacherSigmas {
  case currentSigmas  // t_n: the paper and the repository's code
  case nextSigmas  // t_(n+1): the seed as typed
}

/// The seed pseudocode's training loop, one Swift statement per line, for `config.totalSteps`
/// steps; returns θ (`student_model_params`) and θ⁻ (`teacher_model_params`). Its draws come in
/// the order `train` makes them, so with `.currentSigmas` it is `train` (step 1 checks that).
func seedLoop(
  _ config: TrainingConfig, teacher teacherSigmas: TeacherSigmas,
  log: (_ line: String, _ meanLoss: Double) -> Void = { _, _ in }
) -> (theta: [Float], thetaMinus: [Float]) {
  let model = ConsistencyModel<Float>(
    dimension: 2, hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData, sigmaMin: config.sigmaMin)
  let (B, K) = (config.batchSize, config.totalSteps)
  var theta: [Float] = model.network.initialParameters(seed: config.seed)  // student_model_params
  var thetaMinus = theta  // teacher_model_params: a copy of the student, nothing pre-trained
  var optimizer = Adam<Float>(parameterCount: theta.count, learningRate: config.learningRate)
  var generator = SeededGenerator(seed: config.seed &+ 1)
  var online = model.makeWorkspace(batchSize: B)
  var target = model.network.makeWorkspace(batchSize: B)
  var gradient: [Float] = []
  var lossSum = 0.0
  for k in 0..<K {  // for current_training_step in range(total_training_steps):
    // data = data_distribution()
    let x = config.dataset.sample(count: B, using: &generator)
    // num_timesteps = timestep_schedule(current_training_step, total_training_steps, ...)
    let N = config.schedule.N(k: k, K: K)
    // sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)
    let sigmas = karrasSigmas(count: N, sigmaMin: config.sigmaMin, sigmaMax: config.sigmaMax, rho: config.rho)
    // timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)
    let n = (0..<B).map { _ in uniformPairIndex(N: N, using: &generator) }
    // noise = standard_gaussian_noise()
    let z = generator.gaussians(count: 2 * B)
    // current_sigmas = sigmas[timesteps];  next_sigmas = sigmas[timesteps + 1]
    let (tN, tNPlus1) = (n.map { sigmas[$0] }, n.map { sigmas[$0 + 1] })
    // current_noisy_data = data + current_sigmas * noise;  next_noisy_data = data + next_sigmas * noise
    let (xTN, xTNPlus1) = (addNoise(batch: x, z: z, t: tN), addNoise(batch: x, z: z, t: tNPlus1))
    // student_model_prediction = skip_scaling(next_sigmas) * next_noisy_data
    //                          + output_scaling(next_sigmas) * student_model(next_noisy_data, next_sigmas)
    let fTheta = model(parameters: theta, x: xTNPlus1, t: tNPlus1, workspace: &online)
    // teacher_model(current_noisy_data, σ) = F_θ⁻(c_in(σ)·x, c_noise(σ)), σ = current_ or next_sigmas
    let told = teacherSigmas == .currentSigmas ? tN : tNPlus1
    var input = [Float](repeating: 0, count: 3 * B)
    for b in 0..<B {
      let inside = BoundaryScalings(t: told[b], sigmaData: config.sigmaData, sigmaMin: config.sigmaMin)
      input[3 * b] = Float(inside.cIn * xTN[2 * b])
      input[3 * b + 1] = Float(inside.cIn * xTN[2 * b + 1])
      input[3 * b + 2] = Float(inside.cNoise)
    }
    var F: [Float] = []
    model.network.forward(parameters: thetaMinus, input: input, output: &F, workspace: &target)
    // teacher_model_prediction = skip_scaling(current_sigmas) * current_noisy_data
    //                          + output_scaling(current_sigmas) * teacher_model(current_noisy_data, ·)
    var fThetaMinus = [Double](repeating: 0, count: 2 * B)
    for b in 0..<B {
      let outside = BoundaryScalings(t: tN[b], sigmaData: config.sigmaData, sigmaMin: config.sigmaMin)
      for i in 0..<2 {
        fThetaMinus[2 * b + i] = outside.cSkip * xTN[2 * b + i] + outside.cOut * Double(F[2 * b + i])
      }
    }
    // loss = distance_metric(student_model_prediction, teacher_model_prediction), weighted by λ(t_n)
    var loss = 0.0
    var dLdf = [Double](repeating: 0, count: 2 * B)
    for b in 0..<B {
      let lambda = config.weighting == .ict ? 1 / (tNPlus1[b] - tN[b]) : 1
      let (f, fMinus) = (Array(fTheta[(2 * b)..<(2 * b + 2)]), Array(fThetaMinus[(2 * b)..<(2 * b + 2)]))
      loss += lambda * distance(f, fMinus, metric: config.metric) / Double(B)
      let g = distanceGradient(f, fMinus, metric: config.metric)
      for i in 0..<2 { dLdf[2 * b + i] = lambda / Double(B) * g[i] }
    }
    // loss.backward();  optimizer.step()
    model.backward(parameters: theta, outputGradient: dLdf, gradient: &gradient, workspace: &online)
    optimizer.update(parameters: &theta, gradient: gradient)
    // current_ema_decay_rate = ema_decay_schedule(current_training_step, ...)
    let mu = config.schedule.mu(k: k, K: K)
    // teacher_model_params = μ * teacher_model_params + (1 - μ) * student_model_params
    updateTarget(thetaMinus: &thetaMinus, theta: theta, mu: mu)
    lossSum += loss
    if (k + 1) % config.logEvery == 0 {
      let meanLoss = lossSum / Double(config.logEvery)
      log(TrainingLog.line(k: k + 1, N: N, mu: mu, loss: meanLoss), meanLoss)
      lossSum = 0
    }
  }
  return (theta, thetaMinus)
}

// MARK: Step 1 — one line, three readings
let config: TrainingConfig = {
  var config = TrainingConfig()  // ε = 0.002, T = 80, σ_data = 0.5, ρ = 7 (the paper's values)
  config.dataset = .ring8
  config.totalSteps = 5_000  // K: three runs in about 12 s of a debug build
  config.hiddenWidths = [32, 32]  // F_θ: 3 → 32 → 32 → 2
  config.batchSize = 64  // B
  config.learningRate = 3e-3  // η
  config.schedule = .ctCurriculum(s0: 2, s1: 20, mu0: 0.9, variant: .paper)  // N(k) from 2 to 21
  config.metric = .pseudoHuber(c: pseudoHuberC(dimension: 2))  // iCT §3.3
  config.weighting = .ict  // λ(t_n) = 1/(t_(n+1) − t_n), iCT §3.1
  config.seed = 10
  config.logEvery = 1_000
  return config
}()
tutorial.step("one line, three readings")
tutorial.seed("teacher_model_prediction = skip_scaling(current_sigmas, ...) * current_noisy_data")
tutorial.seed("    + output_scaling(current_sigmas, ...) * teacher_model(current_noisy_data, next_sigmas)")
tutorial.code("teacher_model(current_noisy_data, current_sigmas)", source: "the repository's code")
tutorial.paper(
  "f_θ⁻(x̂_(t_n), t_n) = c_skip(t_n)·x̂ + c_out(t_n)·F_θ⁻(c_in(t_n)·x̂, c_noise(t_n))", source: "CM Alg. 3")
tutorial.note("The line can be run three ways; the runs below differ in nothing else:")
tutorial.table(
  ["run", "target f_θ⁻ for the pair (t_n, t_(n+1)), x̂ = x + t_n·z", "how"],
  [
    ["paper", "c_skip(t_n)·x̂ + c_out(t_n)·F_θ⁻(c_in(t_n)·x̂, c_noise(t_n))", "train"],
    ["seed as written", "c_skip(t_n)·x̂ + c_out(t_n)·F_θ⁻(c_in(t_(n+1))·x̂, c_noise(t_(n+1)))", "seedLoop"],
    [
      "all at t_(n+1)", "c_skip(t_(n+1))·x̂ + c_out(t_(n+1))·F_θ⁻(c_in(t_(n+1))·x̂, c_noise(t_(n+1)))",
      "train",
    ],
  ], leftAligned: [0, 1, 2])
tutorial.note("\"seed as written\" keeps the scalings outside at current_sigmas, as the seed types them, and")
tutorial.note("tells only the network next_sigmas. \"all at t_(n+1)\" is f_θ⁻(x̂, t_(n+1)), both networks at")
tutorial.note("the same level: the library's TrainingConfig.targetNoiseLevel = .nextSigmas.")
tutorial.note("seedLoop is this program's line-by-line transcription of the seed loop. Told current_sigmas,")
tutorial.note("it must be the library's train exactly; 200 steps of each, from the same seed:")
var checkConfig = config
checkConfig.totalSteps = 200
var checkState = TrainingState<Float>(config: checkConfig)
checkState.train(steps: checkConfig.totalSteps)
let transcribed = seedLoop(checkConfig, teacher: .currentSigmas)
tutorial.value(
  "seedLoop(current_sigmas) == train: θ and θ⁻ bit for bit",
  "\(transcribed.theta == checkState.theta && transcribed.thetaMinus == checkState.thetaMinus)")
let grid = karrasSigmas(count: config.schedule.N(k: config.totalSteps, K: config.totalSteps))
let (t0, t1) = (grid[0], grid[1])
tutorial.note("At the bottom pair, n = 0, t_n = t_0 = ε (and t_1 = \(sig(t1, 6)) on the final grid of")
tutorial.note("N = \(grid.count)), the scalings outside decide it:")
let cOutT0 = cOut(t: t0) < 1e-15 ? "< 10⁻¹⁵" : sig(cOut(t: t0))
tutorial.values([
  (
    "c_skip(t_0), c_out(t_0)",
    "\(sig(cSkip(t: t0))), \(cOutT0)   → paper and seed: target = x̂, whatever θ⁻ is"
  ),
  (
    "c_skip(t_1), c_out(t_1)",
    "\(sig(cSkip(t: t1), 6)), \(sig(cOut(t: t1), 4))   → all at t_(n+1): target = f_θ⁻(x̂, t_1)"
  ),
])
tutorial.note(
  "(t_0 can differ from ε in the last bits of the grid's arithmetic: c_out(t_0) is tiny, maybe not 0.)")
tutorial.note("The paper's and the seed's targets are the data there: the boundary condition f(x, ε) = x")
tutorial.note("enters the loss at n = 0 and is passed up the grid pair by pair. With all at t_(n+1) no pair")
tutorial.note("has ε on its target side: nothing in the loss pins f to the data.")

// MARK: Step 2 — three training runs
tutorial.step("three training runs, the same seed")
tutorial.note("As tutorial 08: ring8, F_θ 3 → 32 → 32 → 2, B = 64, η = 0.003, s₀ = 2, s₁ = 20, μ₀ = 0.9,")
tutorial.note(
  "pseudo-Huber with λ(t_n) = 1/(t_(n+1) − t_n), K = \(config.totalSteps). All three runs draw the same")
tutorial.note("data, n and z.")
/// Each run's θ⁻ (what it samples with) and the mean loss of its last logging interval.
var runs: [(name: String, thetaMinus: [Float], loss: Double)] = []
for (name, level) in [("paper", TargetNoiseLevel.currentSigmas), ("all at t_(n+1)", .nextSigmas)] {
  var runConfig = config
  runConfig.targetNoiseLevel = level
  // The library's one training loop, RunDriver: one record per logging interval, its mean loss.
  var driver = RunDriver(run: TrainingState<Float>(config: runConfig))
  var hooks = RunDriver<TrainingState<Float>>.Hooks()
  hooks.onInterval = { _, record in tutorial.note("  " + record.logLine) }
  tutorial.note("\(name) (train, targetNoiseLevel = .\(level)):")
  _ = try driver.run(steps: runConfig.totalSteps, hooks: hooks)
  runs.append((name, driver.run.thetaMinus, driver.history.last?.loss ?? .nan))
}
tutorial.note("seed as written (seedLoop, teacher_model told next_sigmas):")
var asWrittenLoss = 0.0
let asWritten = seedLoop(config, teacher: .nextSigmas) { line, meanLoss in
  tutorial.note("  " + line)
  asWrittenLoss = meanLoss
}
runs.insert(("seed as written", asWritten.thetaMinus, asWrittenLoss), at: 1)

// MARK: Step 3 — samples
let model = ConsistencyModel<Float>(
  dimension: 2, hiddenWidths: config.hiddenWidths, sigmaData: config.sigmaData, sigmaMin: config.sigmaMin)
let count = 1_000
var referenceGenerator = SeededGenerator(seed: 100)
let reference = config.dataset.sample(count: count, using: &referenceGenerator)  // R
let independent = config.dataset.sample(count: count, using: &referenceGenerator)  // R′
let gaussian = referenceGenerator.gaussians(count: 2 * count).map { config.sigmaData * $0 }
let floorSW = slicedWasserstein1(independent, reference)
let gaussianSW = slicedWasserstein1(gaussian, reference)
/// SW₁ of `count` samples drawn with θ⁻ and the τ's, the same z for every run.
func sw(_ thetaMinus: [Float], taus: [Double]) -> Double {
  var generator = SeededGenerator(seed: 1)
  let x = model.sample(
    parameters: thetaMinus, count: count, taus: taus, sigmaMax: config.sigmaMax, generator: &generator)
  return slicedWasserstein1(x, reference)
}
/// Mean and std of the samples' distance from the origin (ring8's modes lie at radius 0.707).
func radius(_ thetaMinus: [Float]) -> (mean: Double, std: Double) {
  var generator = SeededGenerator(seed: 1)
  let x = model.sample(
    parameters: thetaMinus, count: count, taus: [], sigmaMax: config.sigmaMax, generator: &generator)
  let r = (0..<count).map { i -> Double in
    let (u, v) = (x[2 * i], x[2 * i + 1])
    return (u * u + v * v).squareRoot()
  }
  let mean = r.reduce(0, +) / Double(count)
  let variance = r.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)
  return (mean, variance.squareRoot())
}
tutorial.step("the loss and the samples")
tutorial.note("Sampled with each run's θ⁻ (CM Alg. 1, tutorial 08), n = \(count), scored by SW₁ against one")
tutorial.note(
  "reference sample R: noise floor SW₁(R′, R) = \(fixed(floorSW, 4)), Gaussian baseline \(fixed(gaussianSW, 4))."
)
let radii = runs.map { radius($0.thetaMinus) }
tutorial.table(
  ["run", "last loss", "SW₁ 1 step", "2 steps τ = 0.3", "τ = 1", "radius, 1 step"],
  runs.indices.map { i in
    let theta = runs[i].thetaMinus
    return [
      runs[i].name, fixed(runs[i].loss, 4), fixed(sw(theta, taus: []), 4), fixed(sw(theta, taus: [0.3]), 4),
      fixed(sw(theta, taus: [1]), 4), fixed(radii[i].mean, 3) + " ± " + fixed(radii[i].std, 3),
    ]
  }, leftAligned: [0])
tutorial.note(
  "last loss: the mean over the last \(config.logEvery) steps. radius: the mean ± std of the one-step samples'"
)
tutorial.note("distance from the centre; ring8's modes lie at radius 0.707.")

// MARK: Step 4 — consistency error against f*
let sigmasE = [0.02, 0.2, 2, 80]
let ring = config.dataset.mixture!
tutorial.step("how far each f_θ⁻ is from the exact f*")
tutorial.paper(
  "E(σ) = E_(x ~ ring8, z) ‖ f_θ⁻(x + σz, σ) − f*(x + σz, σ) ‖₂,  f* = the exact PF-ODE map to ε")
tutorial.note("consistencyError: 100 points x + σz, the same for every run; mean ± standard error:")
let reports = try runs.map { run in
  var generator = SeededGenerator(seed: 200)
  return try consistencyError(
    of: { x, t in model(parameters: run.thetaMinus, x: x, t: t) }, mixture: ring, sigmas: sigmasE, count: 100,
    using: &generator)
}
tutorial.table(
  ["σ"] + runs.map(\.name),
  sigmasE.indices.map { i in
    ["\(sig(sigmasE[i]))"] + reports.map { fixed($0.meanError[i], 4) + " ± " + fixed($0.standardError[i], 4) }
  })

// MARK: Step 5 — why: the targets of a perfect θ⁻
/// Each reading's target when θ⁻ is already the exact f*, for 100 points x̂ = x + t_n·z of the
/// pair n: the mean distance from f*(x̂, t_n), the paper's target (right by definition).
func targetBias(n: Int) throws -> (asWritten: Double, allAtNext: Double) {
  var generator = SeededGenerator(seed: 300)
  let points = 40
  let x = ring.sample(count: points, using: &generator)
  let z = generator.gaussians(count: 2 * points)
  let (tN, tNPlus1) = (grid[n], grid[n + 1])
  let xHat = addNoise(batch: x, z: z, t: [Double](repeating: tN, count: points))
  let paper = try ring.exactConsistencyFunction(batch: xHat, t: [Double](repeating: tN, count: points))
  // f*(x̂, t_(n+1)): the all-at-t_(n+1) target; F* at t_(n+1) follows from it by the scalings
  let allAtNext = try ring.exactConsistencyFunction(
    batch: xHat, t: [Double](repeating: tNPlus1, count: points))
  let (inside, outside) = (BoundaryScalings(t: tNPlus1), BoundaryScalings(t: tN))
  let asWritten = xHat.indices.map { i in
    let F = (allAtNext[i] - inside.cSkip * xHat[i]) / inside.cOut  // F*(c_in(t_(n+1))·x̂, c_noise(t_(n+1)))
    return outside.cSkip * xHat[i] + outside.cOut * F
  }
  func meanDistance(_ a: [Double]) -> Double {
    (0..<points).map { b in
      let (u, v) = (a[2 * b] - paper[2 * b], a[2 * b + 1] - paper[2 * b + 1])
      return (u * u + v * v).squareRoot()
    }.reduce(0, +) / Double(points)
  }
  return (meanDistance(asWritten), meanDistance(allAtNext))
}
tutorial.step("why the typo matters")
tutorial.note("Suppose θ⁻ were already perfect, f_θ⁻ = f*. The paper's target f*(x̂, t_n) is then right by")
tutorial.note("definition. The other two readings hand the student a different target (mean over 40 x̂):")
let pairs = [0, 2, 5, 10, 19]
let biases = try pairs.map { try targetBias(n: $0) }
tutorial.table(
  ["n", "t_n", "t_(n+1)", "seed as written", "all at t_(n+1)"],
  pairs.indices.map { i in
    let n = pairs[i]
    return [
      "\(n)", sig(grid[n], 4), sig(grid[n + 1], 4), sci(biases[i].asWritten, 2), sci(biases[i].allAtNext, 2),
    ]
  })
tutorial.note(
  "(the distance from f*(x̂, t_n) on the final grid of N = \(grid.count); 0 where the target is exact)")
let (paperE, writtenE, allE) = (reports[0].meanError, reports[1].meanError, reports[2].meanError)
let worst = biases.indices.max { biases[$0].asWritten < biases[$1].asWritten }!
let last = sigmasE.count - 1
let (eSmall, eSmallPaper) = (fixed(writtenE[0], 4), fixed(paperE[0], 4))
let (eT, eTPaper) = (fixed(writtenE[last], 2), fixed(paperE[last], 2))
let worstBias = sci(biases[worst].asWritten, 2)
let writtenRadius = fixed(radii[1].mean, 2) + " ± " + fixed(radii[1].std, 2)
let writtenLossGap = Int((abs(runs[1].loss / runs[0].loss - 1) * 100).rounded())
tutorial.note("Seed as written. Its bottom pair is the paper's (target x̂), and at σ = \(sig(sigmasE[0])) its")
tutorial.note(
  "error is close to the paper's (E = \(eSmall); paper \(eSmallPaper)). Above n = 0 its target is off even")
tutorial.note(
  "for a perfect θ⁻, most in the middle of the grid (\(worstBias) at n = \(pairs[worst])): F is asked at level"
)
tutorial.note("t_(n+1) about a point x̂ of level t_n. Each pair learns from the pair below it, and the error")
tutorial.note(
  "grows with σ, as if it accumulated up the grid: E(T) = \(eT) against the paper's \(eTPaper), and")
tutorial.note("its one-step samples lie at radius \(writtenRadius), off the ring (0.707). Its loss is within")
tutorial.note("\(writtenLossGap)% of the paper's: the loss alone would not show that anything is wrong.")
tutorial.blank()
let allLossRatio = fixed(runs[2].loss / runs[0].loss, 2)
let allRadius = fixed(radii[2].mean, 2) + " ± " + fixed(radii[2].std, 2)
tutorial.note("All at t_(n+1). The loss compares f_θ(x + t_(n+1)·z, t_(n+1)) with f_θ⁻(x + t_n·z, t_(n+1)):")
tutorial.note("one function at one noise level, at two points (t_(n+1) − t_n)·z apart. For a perfect θ⁻ the")
tutorial.note("target is off by only about 10⁻² (the table), but the loss is also 0 for any f(·, t) that")
tutorial.note("ignores its input (once θ⁻ = θ), and no pair has the data on its target side to rule that")
tutorial.note(
  "out. The run drifted that way: its loss is \(allLossRatio) of the paper's, yet its one-step samples")
tutorial.note(
  "huddle at radius \(allRadius) near the centre, and its error is \(fixed(allE[0], 2)) already at")
tutorial.note("σ = \(sig(sigmasE[0])), where the paper's is \(fixed(paperE[0], 4)).")
tutorial.note("A lower loss is not a better model: the loss only says how well the student matches its")
tutorial.note("own target, and this target is easy to match.")
tutorial.blank()
tutorial.note("The fix is the one word of tutorial 04, current_sigmas, which the repository's code has.")

// MARK: Step 6 — which network the seed calls the teacher
tutorial.step("which network the seed calls the teacher")
tutorial.seed("teacher_model_params = current_ema_decay_rate * teacher_model_params")
tutorial.seed("                     + (1 - current_ema_decay_rate) * student_model_params")
tutorial.paper(
  "θ⁻ ← stopgrad( μ(k)·θ⁻ + (1 − μ(k))·θ ),  μ(k) = exp( s₀·ln μ₀ / N(k) )", source: "CM Eq. 8, App. C")
tutorial.note("teacher_model is the paper's target network θ⁻. In seedLoop it is born a copy of the student")
tutorial.note("(thetaMinus = theta) and changed by one line only, the EMA above. So:")
tutorial.note("- it is never pre-trained: at k = 0 it is the student's own random initialisation;")
tutorial.note("- it is a moving average of the student, lagging it by about 1/(1 − μ) steps;")
tutorial.note(
  "- the loop calls no ODE solver: its only network calls are f_θ(x_(t_(n+1))) and F_θ⁻(x̂_(t_n)).")
let lag = zip(asWritten.theta, asWritten.thetaMinus).map { Double($0 - $1) * Double($0 - $1) }
  .reduce(0, +).squareRoot()
let size = asWritten.theta.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
/// μ(k) of the runs' schedule.
func mu(_ k: Int) -> Double { config.schedule.mu(k: k, K: config.totalSteps) }
tutorial.values([
  ("μ(k) at k = 0, 1000, 5000", [0, 1_000, 5_000].map { sig(mu($0), 4) }.joined(separator: ", ")),
  ("1/(1 − μ) at k = 5000", sig(1 / (1 - mu(5_000)), 3) + " steps"),
  ("‖θ − θ⁻‖ / ‖θ‖ after the seed-as-written run", sig(lag / size, 2)),
])
tutorial.note(
  "A distillation teacher (CM Alg. 2, tutorial 09) is another thing: a diffusion model D_φ trained")
tutorial.note("beforehand on the data, frozen, and used only inside one Euler or Heun step to make x̂_(t_n).")
tutorial.note("A CD loop has that teacher and a target network θ⁻ besides. The library keeps them apart:")
tutorial.note("Teacher (CD's φ, e.g. Teacher.oracle for ring8) and TrainingState.thetaMinus (the seed's")
tutorial.note("teacher_model). Why an EMA target at all: CM (§4, after Eq. 8) found it stabilises training")
tutorial.note("compared with θ⁻ = θ; iCT later dropped it (μ = 0) once other choices were fixed.")
tutorial.value(
  "the seed's teacher_model", "θ⁻, the EMA of the student: Consistency Training, not distillation")

tutorial.finish()
