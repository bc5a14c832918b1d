// Tutorial 07: one step of Consistency Training, every intermediate value traced.
//
// Seed pseudocode, the body of the loop (CM Algorithm 3), as its asker wrote it:
//   data = data_distribution()
//   num_timesteps = timestep_schedule(current_training_step, total_training_steps, ...)
//   sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)
//   timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)
//   noise = standard_gaussian_noise()
//   current_noisy_data = data + current_sigmas * noise
//   next_noisy_data = data + next_sigmas * noise
//   student_model_prediction = ... student_model(next_noisy_data, next_sigmas)
//   with no_grad(): teacher_model_prediction = ... teacher_model(current_noisy_data, next_sigmas)
//   loss = distance_metric(student_model_prediction, teacher_model_prediction)
//   loss.backward()
//   with no_grad(): teacher_model_params = μ * teacher_model_params + (1 - μ) * student_model_params
//
// The tutorial calls `TrainingState.ctStep` once with a trace hook. The step reports each value
// under the seed's name as it computes it; the hook below prints it beside its line, and starts a
// new tutorial step (with a pause at a terminal) at the first value of each group.
//
// Run: swift run Tutorial07CTStep [--no-pause]

import ConsistencyModels
import TutorialKit

var tutorial = Tutorial(number: 7, title: "One CT step, every line traced", steps: 8)

// MARK: Step 1 — the state and the batch
// Every setting that shapes the step is spelled out, with CM's CIFAR-10 CT choices where they
// apply (ε = 0.002, T = 80, σ_data = 0.5 and ρ = 7 are the library's defaults, the paper's values).
var config = TrainingConfig()
config.dataset = .ring8  // data_distribution()
config.totalSteps = 20_000  // K (CM: 800k)
config.schedule = .ctCurriculum(s0: 2, s1: 150, mu0: 0.9, variant: .paper)  // N(k), μ(k): CM App. C
config.metric = .squaredL2  // d (CM CT uses LPIPS on images)
config.weighting = .uniform  // λ ≡ 1, as in CM
config.learningRate = 5e-4  // η
config.hiddenWidths = [16, 16]  // a small F_θ: 3 → 16 → 16 → 2
config.batchSize = 4  // B
config.seed = 7
var state = TrainingState<Double>(config: config)
tutorial.step("the training state and one batch of data")
tutorial.note("TrainingState holds θ (student_model_params), θ⁻ (teacher_model_params), Adam's")
tutorial.note("moments, the step counter k and the seeded generator. Its configuration:")
tutorial.values([
  ("dataset", "\(config.dataset)"),
  ("K (total_training_steps)", "\(config.totalSteps)"),
  ("B (batch_size)", "\(config.batchSize)"),
  ("F_θ widths", (state.model.network.layout.widths.map { "\($0)" }).joined(separator: " → ")),
  ("|θ|", "\(state.theta.count)"),
  ("η (Adam learning rate)", sig(config.learningRate)),
  ("s₀, s₁, μ₀ (curriculum, CM App. C)", "2, 150, 0.9   (CM's CIFAR-10 values; the toy default s₁ is 40)"),
  ("d, λ", "squared L2, λ ≡ 1   (CM's CT; the toy default is iCT's pseudo-Huber, 1/Δt)"),
  (
    "ε, T, σ_data, ρ",
    "\(sig(config.sigmaMin)), \(sig(config.sigmaMax)), \(sig(config.sigmaData)), \(sig(config.rho))"
  ),
])
tutorial.note("At k = 0 the grid has N(0) = s₀ = 2 points, {ε, T}, so the only pair is (ε, T). To trace")
tutorial.note("a typical step, 200 steps are first taken without a trace (train), then one with it.")
state.train(steps: 200)
tutorial.seed("for current_training_step in range(total_training_steps):")
tutorial.seed("  data = data_distribution()")
tutorial.paper("x ~ p_data, a batch of B points", source: "CM Alg. 3")
var dataGenerator = SeededGenerator(seed: 2023)
let x = config.dataset.sample(count: config.batchSize, using: &dataGenerator)  // B × 2, row-major
let B = config.batchSize
let D = state.model.dimension
/// Row b of a row-major B × D batch.
func row(_ batch: [Double], _ b: Int) -> [Double] { Array(batch[(b * D)..<(b * D + D)]) }
tutorial.value("k (current_training_step)", "\(state.k)")
tutorial.table(["b", "x (data)"], (0..<B).map { b in ["\(b)", vec(row(x, b), 6)] })

// Saved before the step, to check the optimiser and the EMA by hand afterwards.
let thetaBefore = state.theta
let thetaMinusBefore = state.thetaMinus
let shown = [0, 1, 2, thetaBefore.count - 2, thetaBefore.count - 1]  // a few entries of θ
// The hook must not touch `state` while ctStep mutates it: it reads this copy of the model.
let model = state.model
let layout = model.network.layout
func role(_ i: Int) -> String {
  for l in 0..<layout.layerCount {
    if layout.weightRange(layer: l).contains(i) { return "W\(l + 1)" }
    if layout.biasRange(layer: l).contains(i) { return "b\(l + 1)" }
  }
  return "?"
}

// MARK: The trace hook: every value ctStep reports, beside its seed line
// One function per traced value, named after it; the hook below switches over all of them.
var traced: [ConsistencyStepValue: [Double]] = [:]

/// `num_timesteps`
@MainActor func showNumTimesteps(_ value: [Double]) {
  tutorial.step("the noise grid for this k")
  tutorial.seed("num_timesteps = timestep_schedule(current_training_step, total_training_steps,")
  tutorial.seed("                                  initial_timesteps, final_timesteps)")
  tutorial.paper("N(k) = ⌈ √( k/K·((s₁+1)² − s₀²) + s₀² ) − 1 ⌉ + 1", source: "CM App. C, tutorial 01")
  tutorial.value("N(k)", sig(value[0]))
}

/// `sigmas`
@MainActor func showSigmas(_ value: [Double]) {
  tutorial.seed("sigmas = karras_schedule(num_timesteps, sigma_min, sigma_max)")
  tutorial.paper(
    "t_i = ( ε^(1/ρ) + i/(N−1) · (T^(1/ρ) − ε^(1/ρ)) )^ρ,  i = 0 … N−1", source: "EDM Eq. 5, tutorial 02")
  let N = value.count
  let head = value.prefix(3).map { sig($0, 6) }
  let tail = value.suffix(3).map { sig($0, 6) }
  tutorial.value("sigmas", "(" + (head + ["…"] + tail).joined(separator: ", ") + ")   (\(N) values)")
}

/// `timesteps`
@MainActor func showTimesteps(_ value: [Double]) {
  tutorial.step("the pair index and the noise")
  tutorial.seed("timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)")
  tutorial.paper("n ~ U{0, …, N(k) − 2}  (0-based)", source: "CM Alg. 3, tutorial 03")
  tutorial.value("timesteps (n per example)", "(" + value.map { sig($0) }.joined(separator: ", ") + ")")
}

/// `noise`
@MainActor func showNoise(_ value: [Double]) {
  tutorial.seed("noise = standard_gaussian_noise()")
  tutorial.paper("z ~ N(0, I), one draw per example, shared by both inputs below", source: "CM Alg. 3")
  tutorial.seed("current_sigmas = sigmas[timesteps];  next_sigmas = sigmas[timesteps + 1]")
  tutorial.note("(ctStep reads these two from sigmas and n; they are shown here from the traced values)")
  let sigmas = traced[.sigmas]!
  let n = traced[.timesteps]!.map { Int($0) }
  tutorial.table(
    ["b", "n", "t_n = current_sigmas", "t_(n+1) = next_sigmas", "z (noise)"],
    (0..<B).map { b in
      ["\(b)", "\(n[b])", sig(sigmas[n[b]], 6), sig(sigmas[n[b] + 1], 6), vec(row(value, b), 6)]
    })
}

/// `next_noisy_data`
@MainActor func showNextNoisyData(_ value: [Double]) {
  tutorial.step("the two noisy inputs, from the same z")
  tutorial.seed("next_noisy_data = data + next_sigmas * noise")
  tutorial.paper("x_(t_(n+1)) = x + t_(n+1) · z", source: "CM Alg. 3")
}

/// `current_noisy_data`
@MainActor func showCurrentNoisyData(_ value: [Double]) {
  tutorial.seed("current_noisy_data = data + current_sigmas * noise")
  tutorial.paper(
    "x̂_(t_n) = x + t_n · z   (the same z: no ODE solver, no pre-trained model)", source: "CM Alg. 3")
  let next = traced[.nextNoisyData]!
  tutorial.table(
    ["b", "x_(t_(n+1)) = next_noisy_data", "x̂_(t_n) = current_noisy_data"],
    (0..<B).map { b in ["\(b)", vec(row(next, b), 6), vec(row(value, b), 6)] })
  // (x_(t_(n+1)) − x̂_(t_n)) / (t_(n+1) − t_n) gives back z exactly when the same z made both.
  let sigmas = traced[.sigmas]!
  let n = traced[.timesteps]!.map { Int($0) }
  let z = traced[.noise]!
  let worst = (0..<(B * D)).map { i in
    let b = i / D
    let slope = (next[i] - value[i]) / (sigmas[n[b] + 1] - sigmas[n[b]])
    return abs(slope - z[i]) / max(1, abs(z[i]))
  }.max()!
  tutorial.value("(x_(t_(n+1)) − x̂_(t_n)) / (t_(n+1) − t_n) = z for all b, to 10⁻⁹", "\(worst <= 1e-9)")
  tutorial.note("Both inputs lie on one line through the data point: this is Consistency Training.")
  tutorial.note("Distillation (CM Alg. 2) would make x̂_(t_n) from x_(t_(n+1)) with one ODE step of a")
  tutorial.note("frozen diffusion model instead; nothing of the kind appears in this step.")
}

/// `student_model_prediction`
@MainActor func showStudentModelPrediction(_ value: [Double]) {
  tutorial.step("the student and teacher predictions")
  tutorial.seed("student_model_prediction = skip_scaling(next_sigmas, ...) * next_noisy_data")
  tutorial.seed("      + output_scaling(next_sigmas, ...) * student_model(next_noisy_data, next_sigmas)")
  tutorial.paper("f_θ(x_(t_(n+1)), t_(n+1)),  with the online parameters θ", source: "CM Eq. 5, Alg. 3")
}

/// `teacher_model_prediction`
@MainActor func showTeacherModelPrediction(_ value: [Double]) {
  tutorial.seed("with no_grad():")
  tutorial.seed("  teacher_model_prediction = skip_scaling(current_sigmas, ...) * current_noisy_data")
  tutorial.seed(
    "      + output_scaling(current_sigmas, ...) * teacher_model(current_noisy_data, next_sigmas)")
  tutorial.code("teacher_model(current_noisy_data, current_sigmas)", source: "the repository's code")
  tutorial.paper("f_θ⁻(x̂_(t_n), t_n),  with the target parameters θ⁻", source: "CM Alg. 3")
  let student = traced[.studentModelPrediction]!
  tutorial.table(
    ["b", "student f_θ(x_(t_(n+1)), t_(n+1))", "teacher f_θ⁻(x̂_(t_n), t_n)"],
    (0..<B).map { b in ["\(b)", vec(row(student, b), 6), vec(row(value, b), 6)] })
  tutorial.note("The \"teacher\" is the same network with the parameters θ⁻, an EMA of the student's")
  tutorial.note("θ (step 8), evaluated at current_sigmas = t_n. The seed's next_sigmas in this line is a")
  tutorial.note("typo of the summary: the repository's code and the paper use t_n (tutorial 04).")
  // The teacher's row 0 recomputed by hand: c_skip·x + c_out·F_θ⁻(c_in·x, c_noise).
  let sigmas = traced[.sigmas]!
  let tN = sigmas[Int(traced[.timesteps]![0])]
  let network = model.network
  let byHand = consistencyFunction(
    x: row(traced[.currentNoisyData]!, 0), t: tN, sigmaData: config.sigmaData,
    sigmaMin: config.sigmaMin, F: { u, c in network.forward(parameters: thetaMinusBefore, input: u + [c]) })
  let gap = zip(byHand, row(value, 0)).map { abs($0 - $1) }.max()!
  tutorial.value(
    "b = 0 by hand, consistencyFunction with F_θ⁻",
    vec(byHand, 6) + (gap <= 1e-12 ? "   (equal)" : "   (differs)"))
  let n = traced[.timesteps]!.map { Int($0) }
  if let b = n.firstIndex(of: 0) {
    let input = row(traced[.currentNoisyData]!, b)
    tutorial.note("Example b = \(b) drew n = 0, so t_n = ε: its teacher prediction is x̂_(t_n) itself,")
    tutorial.value("f_θ⁻(x̂_(t_n), ε) == x̂_(t_n) bit for bit", "\(row(value, b) == input)")
    tutorial.note("That is the boundary condition f(x, ε) = x (tutorial 04): the one place where the")
    tutorial.note("target is exact. Pairs further up the grid pass that anchor on to larger t.")
  }
}

/// `loss`
@MainActor func showLoss(_ value: [Double]) {
  tutorial.step("the loss and its gradient")
  tutorial.seed("loss = distance_metric(student_model_prediction, teacher_model_prediction)")
  tutorial.paper(
    "L = (1/B) Σ_b λ(t_n) · d(f_θ, f_θ⁻),  d = squared L2 per sample, λ ≡ 1", source: "CM Eq. 10")
  let student = traced[.studentModelPrediction]!
  let teacher = traced[.teacherModelPrediction]!
  let perSample = (0..<B).map { b in distance(row(student, b), row(teacher, b), metric: .squaredL2) }
  tutorial.table(["b", "d(student, teacher)"], (0..<B).map { b in ["\(b)", sig(perSample[b], 6)] })
  tutorial.value("loss", sig(value[0], 6))
}

/// `grad_theta`
@MainActor func showGradTheta(_ value: [Double]) {
  tutorial.seed("loss.backward()")
  tutorial.paper("∇_θ L, through f_θ only: θ⁻ is a constant of the loss (stopgrad)", source: "CM Eq. 10")
  let norm = value.map { $0 * $0 }.reduce(0, +).squareRoot()
  tutorial.value("‖∇_θ L‖", sig(norm, 5) + "   (\(value.count) entries)")
  // One entry checked against a central difference of the loss, recomputed from the traced inputs.
  let sigmas = traced[.sigmas]!
  let n = traced[.timesteps]!.map { Int($0) }
  let target = traced[.teacherModelPrediction]!
  let xTNPlus1 = traced[.nextNoisyData]!
  func lossAt(_ theta: [Double]) -> Double {
    let f = model(
      parameters: theta, x: xTNPlus1, t: n.map { sigmas[$0 + 1] })
    return (0..<B).map { b in distance(row(f, b), row(target, b), metric: .squaredL2) }
      .reduce(0, +) / Double(B)
  }
  let h = 1e-6
  let i = shown[0]
  var plus = thetaBefore
  plus[i] += h
  var minus = thetaBefore
  minus[i] -= h
  let difference = (lossAt(plus) - lossAt(minus)) / (2 * h)
  tutorial.table(
    ["i", "in", "∂L/∂θ_i"], shown.map { i in ["\(i)", role(i), sig(value[i], 5)] }, leftAligned: [1])
  let agree = abs(difference - value[i]) <= 1e-5 * max(abs(value[i]), 1e-3)
  tutorial.value(
    "central difference at i = \(i), h = 10⁻⁶",
    sig(difference, 5) + (agree ? "   (agrees)" : "   (differs)"))
}

/// `student_model_params`
@MainActor func showStudentModelParams(_ value: [Double]) {
  tutorial.step("the optimiser step on θ")
  tutorial.note("The seed has no line for it: optimizer.step() follows loss.backward() in its code.")
  tutorial.paper("θ ← θ − η · Adam(∇_θ L)", source: "CM Alg. 3; Adam as in CM App. C")
  tutorial.table(
    ["i", "in", "θ before", "θ after", "change"],
    shown.map { i in
      ["\(i)", role(i), sig(thetaBefore[i], 6), sig(value[i], 6), sig(value[i] - thetaBefore[i], 4)]
    }, leftAligned: [1])
  let largest = zip(value, thetaBefore).map { abs($0 - $1) }.max()!
  tutorial.value(
    "largest |change| over all of θ",
    sig(largest, 4) + "   (Adam keeps each step near η = \(sig(config.learningRate)))")
}

/// `current_ema_decay_rate`
@MainActor func showCurrentEMADecayRate(_ value: [Double]) {
  tutorial.step("the target network θ⁻ follows θ")
  tutorial.seed("with no_grad():")
  tutorial.seed("  current_ema_decay_rate = ema_decay_schedule(current_training_step,")
  tutorial.seed("                             initial_ema_decay_rate, initial_timesteps)")
  tutorial.paper("μ(k) = exp( s₀ · ln μ₀ / N(k) )", source: "CM App. C, tutorial 01")
  tutorial.value("μ", sig(value[0], 10) + "   (N(k) = \(sig(traced[.numTimesteps]![0])))")
}

/// `teacher_model_params`
@MainActor func showTeacherModelParams(_ value: [Double]) {
  tutorial.seed("  teacher_model_params = current_ema_decay_rate * teacher_model_params")
  tutorial.seed("                       + (1 - current_ema_decay_rate) * student_model_params")
  tutorial.paper("θ⁻ ← stopgrad( μ · θ⁻ + (1 − μ) · θ )", source: "CM Eq. 8, tutorial 06")
  let mu = traced[.currentEMADecayRate]![0]
  let theta = traced[.studentModelParams]!
  tutorial.table(
    ["i", "in", "θ⁻ before", "θ (new)", "θ⁻ after", "μ θ⁻ + (1 − μ) θ"],
    shown.map { i in
      [
        "\(i)", role(i), sig(thetaMinusBefore[i], 6), sig(theta[i], 6), sig(value[i], 6),
        sig(mu * thetaMinusBefore[i] + (1 - mu) * theta[i], 6),
      ]
    }, leftAligned: [1])
  let lag = zip(theta, value).map { abs($0 - $1) }.max()!
  tutorial.value("max |θ − θ⁻| after the update", sig(lag, 4))
  tutorial.note("θ⁻ moves only 1 − μ of the way towards θ: it is a slow average of the student, not a")
  tutorial.note("pre-trained model. The seed's \"teacher\" is the paper's target network θ⁻.")
}

let hook: TraceHook<ConsistencyStepValue> = { name, value in
  traced[name] = value
  switch name {
  case .numTimesteps: showNumTimesteps(value)
  case .sigmas: showSigmas(value)
  case .timesteps: showTimesteps(value)
  case .noise: showNoise(value)
  case .nextNoisyData: showNextNoisyData(value)
  case .currentNoisyData: showCurrentNoisyData(value)
  case .studentModelPrediction: showStudentModelPrediction(value)
  case .teacherModelPrediction: showTeacherModelPrediction(value)
  case .loss: showLoss(value)
  case .gradTheta: showGradTheta(value)
  case .studentModelParams: showStudentModelParams(value)
  case .currentEMADecayRate: showCurrentEMADecayRate(value)
  case .teacherModelParams: showTeacherModelParams(value)
  }
}

// MARK: The one traced step
var buffers = state.makeBuffers()
let record = state.ctStep(data: x, buffers: &buffers, trace: hook)
tutorial.blank()
tutorial.note("ctStep returns a StepRecord (what the training log averages) and advances k:")
tutorial.values([
  ("record.k, record.N", "\(record.k), \(record.N)"),
  ("record.mu", sig(record.mu)),
  ("record.loss", sig(record.loss, 6)),
  ("k after the step", "\(state.k)"),
])
tutorial.note("In short: one data batch, one z, two noise levels of one grid; the student at the noisier")
tutorial.note("point, its own EMA at the less noisy one; one Adam step on θ, one EMA step on θ⁻. No")
tutorial.note("pre-trained model anywhere: Consistency Training, CM Algorithm 3.")

tutorial.finish()
