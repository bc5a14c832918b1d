// `cm inspect pair`: the two inputs of one training pair, by CT or by CD.
//
// Seed pseudocode:
//   current_noisy_data = data + current_sigmas * noise      (the target input, CT)
//   next_noisy_data = data + next_sigmas * noise            (the online input)

import ArgumentParser
import ConsistencyModels

struct InspectPair: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pair",
    abstract: "The online input x_{t_{n+1}} and the target input of pair n, by CT or by CD.",
    discussion: """
      x_{t_{n+1}} = x + t_{n+1} · z    the online input, CT and CD alike
      data:      x_target = x + t_n · z               (CT, CM Alg. 3)
      gaussian:  x_target = one --solver step of       (CD, CM Alg. 2)
                 dx/dt = (x − D(x, t)) / t from t_{n+1} down to t_n, with
                 D(x, t) = m + s²/(s² + t²) · (x − m), the exact denoiser
                 of Gaussian data N(m, s²I)

      The teacher's mean m defaults to zeros (as many as x) and its std s to 0.5 (σ_data). \
      --solver, --teacher-mean and --teacher-std only change the gaussian teacher: with the \
      data teacher D := x every solver gives x + t_n · z exactly. n is 0-based: 0 … N−2.

      Example: cm inspect pair --x 1,-1 --z 0.5,2 --count 3 --index 0
               {"t_n":0.0020000000000000013,"t_n_plus_1":2.515218976147159,
                "x_t_n_plus_1":[2.2576094880735793,4.030437952294318],
                "x_target":[1.001,-0.996]}
      """)

  /// Who makes the target input: the data point itself (CT) or a Gaussian diffusion model (CD).
  enum Teacher: String, NamedChoice {
    case data, gaussian
  }

  @Option(parsing: .unconditional, help: "x, the clean data point, comma-separated.")
  var x: String

  @Option(parsing: .unconditional, help: "z, the noise, as many entries as x.")
  var z: String

  @OptionGroup var grid: GridOptions

  @Option(parsing: .unconditional, help: "n, the pair (t_n, t_{n+1}), 0-based (0 … N−2).")
  var index: String

  @Option(
    parsing: .unconditional, help: "data (CT) or gaussian (CD with an exact teacher).",
    transform: Teacher.parser("--teacher"))
  var teacher: Teacher = .data

  @Option(
    parsing: .unconditional, help: "euler or heun (gaussian teacher).",
    transform: ODESolver.parser("--solver"))
  var solver: ODESolver = .heun

  @Option(parsing: .unconditional, help: "m, the teacher's mean (default: zeros).")
  var teacherMean: String?

  @Option(parsing: .unconditional, help: "s, the teacher's std (> 0).")
  var teacherStd = "0.5"

  func run() throws {
    let x = try vector(self.x, flag: "--x")
    let z = try vector(self.z, flag: "--z")
    try requireSameLength(z, "--z", as: x, "--x")
    let sigmas = try grid.sigmas()
    let n = try integer(
      index, flag: "--index", atLeast: 0, atMost: sigmas.count - 2,
      highLabel: "N − 2 = \(sigmas.count - 2)")
    let m =
      try teacherMean.map { try vector($0, flag: "--teacher-mean") } ?? Array(repeating: 0, count: x.count)
    try requireSameLength(m, "--teacher-mean", as: x, "--x")
    let s = try real(teacherStd, flag: "--teacher-std", .positive)

    // current_sigmas = sigmas[timesteps]; next_sigmas = sigmas[timesteps + 1]
    let tN = sigmas[n]
    let tNPlus1 = sigmas[n + 1]
    // next_noisy_data = data + next_sigmas * noise
    let (xTN, xTNPlus1) = ctNoisyPair(x: x, z: z, tN: tN, tNPlus1: tNPlus1)
    let xTarget: [Double]
    switch teacher {
    case .data:
      // CT: current_noisy_data = data + current_sigmas * noise
      xTarget = xTN
    case .gaussian:
      // CD: x̂_{t_n} = x_{t_{n+1}} + (t_n − t_{n+1}) Φ(x_{t_{n+1}}, t_{n+1}; φ)
      xTarget = solver.step(x: xTNPlus1, from: tNPlus1, to: tN) { xt, t in
        gaussianDenoiser(x: xt, t: t, mean: m, std: s)
      }
    }
    try printJSON([
      "t_n": .number(tN),
      "t_n_plus_1": .number(tNPlus1),
      "x_t_n_plus_1": .numbers(xTNPlus1),
      "x_target": .numbers(xTarget),
    ])
  }
}
