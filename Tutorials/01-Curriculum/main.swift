// Tutorial 01: the discretization curriculum N(k) and the EMA decay rate μ(k).
//
// Seed pseudocode, first and last lines of the loop:
//   num_timesteps = timestep_schedule(current_training_step, total_training_steps,
//                                     initial_timesteps, final_timesteps)
//   current_ema_decay_rate = ema_decay_schedule(current_training_step, initial_ema_decay_rate,
//                                               initial_timesteps)
//
// Run: swift run Tutorial01Curriculum [--no-pause]

import ConsistencyModels
import TutorialKit

// CM CIFAR-10 CT settings (CM Appendix C).
let K = 800_000  // total_training_steps
let s0 = 2  // initial_timesteps: grid points at k = 0
let s1 = 150  // final_timesteps: grid intervals at k = K
let mu0 = 0.9  // initial_ema_decay_rate

var tutorial = Tutorial(number: 1, title: "The curriculum N(k) and the EMA decay rate μ(k)", steps: 4)
tutorial.note("Settings (CM CIFAR-10 CT): K = \(K), s₀ = \(s0), s₁ = \(s1), μ₀ = \(sig(mu0)).")

// MARK: Step 1 — N(k)
tutorial.step("how many grid points at training step k")
tutorial.seed("num_timesteps = timestep_schedule(current_training_step, total_training_steps,")
tutorial.seed("                                  initial_timesteps, final_timesteps)")
tutorial.paper("N(k) = ⌈ √( k/K·((s₁+1)² − s₀²) + s₀² ) − 1 ⌉ + 1", source: "CM App. C")
let ks = [0, 1, 1_000, 10_000, 100_000, 200_000, 400_000, 600_000, 800_000]
tutorial.table(
  ["k", "k/K", "N(k)", "intervals N(k)−1"],
  ks.map { k in
    let N = ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
    return ["\(k)", sig(Double(k) / Double(K), 4), "\(N)", "\(N - 1)"]
  })
tutorial.value("N(0)", "\(ctDiscretizationSteps(k: 0, K: K, s0: s0, s1: s1))   (= s₀)")
tutorial.value("N(K)", "\(ctDiscretizationSteps(k: K, K: K, s0: s0, s1: s1))   (= s₁ + 1)")
tutorial.note("The grid grows with the square root of progress: half of the final resolution")
tutorial.note("is reached after only a quarter of training.")

// MARK: Step 2 — μ as a function of N
tutorial.step("the EMA decay rate of the target network")
tutorial.seed("current_ema_decay_rate = ema_decay_schedule(current_training_step,")
tutorial.seed("                             initial_ema_decay_rate, initial_timesteps)")
tutorial.paper("μ(k) = exp( s₀ · ln μ₀ / N(k) )", source: "CM App. C")
tutorial.table(
  ["k", "N(k)", "μ(k)", "1 − μ(k)"],
  ks.map { k in
    let N = ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
    let mu = emaDecayRate(N: N, s0: s0, mu0: mu0)
    return ["\(k)", "\(N)", sig(mu), sig(1 - mu, 4)]
  })
tutorial.value("μ(0)", "\(sig(emaDecayRate(k: 0, K: K, s0: s0, s1: s1, mu0: mu0)))   (= μ₀)")
tutorial.value("μ(1)", "\(sig(emaDecayRate(k: 1, K: K, s0: s0, s1: s1, mu0: mu0)))   (= 0.9^(2/3))")
tutorial.note("A finer grid means closer neighbours t_n, t_(n+1), so the target may move more slowly.")

// MARK: Step 3 — μ depends on k only through N(k)
tutorial.step("μ depends on the step k only through N(k)")
tutorial.note("The seed passes current_training_step, but the formula reads only N(k): all steps with")
tutorial.note("the same grid share one μ, so μ(k) is a staircase. Where some of its stairs begin and end:")
// Scan training for the first and last step of each grid size (N is non-decreasing in k).
var stairs: [(N: Int, first: Int, last: Int)] = []
for k in 0...K {
  let N = ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
  if let last = stairs.last, last.N == N {
    stairs[stairs.count - 1].last = k
  } else {
    stairs.append((N: N, first: k, last: k))
  }
}
tutorial.table(
  ["N", "first k", "last k", "μ(first k)", "μ(last k)"],
  stairs.filter { [2, 3, 6, 54, 150, 151].contains($0.N) }.map { stair in
    [
      "\(stair.N)", "\(stair.first)", "\(stair.last)",
      sig(emaDecayRate(k: stair.first, K: K, s0: s0, s1: s1, mu0: mu0)),
      sig(emaDecayRate(k: stair.last, K: K, s0: s0, s1: s1, mu0: mu0)),
    ]
  })
tutorial.value("distinct N(k) over the whole run", "\(stairs.count)")
tutorial.note("So μ changes only \(stairs.count - 1) times in \(K) steps. The seed's signature")
tutorial.note("(current_training_step, initial_ema_decay_rate, initial_timesteps) also hides that")
tutorial.note("it needs K and s₁: it must recompute N(k) from the curriculum.")

// MARK: Step 4 — the official code's N − 1
tutorial.step("the official code's variant: N(k) − 1 in the denominator")
tutorial.paper("μ(k) = exp( s₀ · ln μ₀ / N(k) )         EMADecayVariant.paper")
tutorial.code("μ(k) = exp( s₀ · ln μ₀ / (N(k) − 1) )   EMADecayVariant.official", source: "official code")
tutorial.table(
  ["k", "N(k)", "μ paper", "μ official"],
  [0, 1, 1_000, 100_000, 800_000].map { k in
    [
      "\(k)", "\(ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1))",
      sig(emaDecayRate(k: k, K: K, s0: s0, s1: s1, mu0: mu0, variant: .paper)),
      sig(emaDecayRate(k: k, K: K, s0: s0, s1: s1, mu0: mu0, variant: .official)),
    ]
  })
tutorial.value(
  "μ(0), official", "\(sig(emaDecayRate(k: 0, K: K, s0: s0, s1: s1, mu0: mu0, variant: .official)))   (= μ₀²)"
)
tutorial.note("The official form starts at μ₀² = 0.81, not μ₀; the two agree ever more closely")
tutorial.note("as N(k) grows. The library takes the paper's form unless asked otherwise.")

tutorial.finish()
