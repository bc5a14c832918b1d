// Tutorial 05: the distance d(·,·), the iCT weighting λ and the lognormal pair probabilities.
//
// Seed pseudocode:
//   loss = distance_metric(student_model_prediction, teacher_model_prediction)
//   timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)
//
// Run: swift run Tutorial05Distances [--no-pause]

import ConsistencyModels
import Foundation
import Plotting
import TutorialFigures
import TutorialKit

var tutorial = Tutorial(number: 5, title: "Distances, the weighting λ and pair probabilities", steps: 5)

// MARK: Step 1 — squared L2 and L1, per sample, then over the batch
tutorial.step("squared L2 and L1: per sample, then the batch mean")
tutorial.seed("loss = distance_metric(student_model_prediction, teacher_model_prediction)")
tutorial.paper(
  "L = E[ λ(t_n) · d( f_θ(x_(t_(n+1)), t_(n+1)), f_θ⁻(x̂_(t_n), t_n) ) ]", source: "CM Eq. 10 (CT); Eq. 7 (CD)"
)
tutorial.paper("squared L2: d = (1/dim) Σᵢ (xᵢ − yᵢ)²      L1: d = (1/dim) Σᵢ |xᵢ − yᵢ|")
var generator = SeededGenerator(seed: 5)
let batch = (0..<3).map { _ in (online: generator.gaussians(count: 2), target: generator.gaussians(count: 2))
}
let l2 = batch.map { distance($0.online, $0.target, metric: .squaredL2) }
let l1 = batch.map { distance($0.online, $0.target, metric: .l1) }
tutorial.table(
  ["b", "online prediction", "target prediction", "squared L2", "L1"],
  batch.indices.map { b in
    ["\(b)", vec(batch[b].online, 6), vec(batch[b].target, 6), sig(l2[b], 6), sig(l1[b], 6)]
  })
tutorial.values([
  ("batch mean, squared L2", sig(l2.reduce(0, +) / Double(l2.count))),
  ("batch mean, L1", sig(l1.reduce(0, +) / Double(l1.count))),
])
tutorial.note("Each d is over one sample's dim = 2 coordinates (mean_flat in the official code);")
tutorial.note("the loss is the mean of those over the batch.")

// MARK: Step 2 — pseudo-Huber
tutorial.step("pseudo-Huber on the per-sample norm")
tutorial.paper("d(x, y) = √(‖x − y‖₂² + c²) − c,   c = 0.00054 · √dim", source: "iCT §3.3")
tutorial.values([
  ("c for dim = 2", sig(pseudoHuberC(dimension: 2))),
  ("c for dim = 3·32·32 (CIFAR-10)", sig(pseudoHuberC(dimension: 3 * 32 * 32))),
])
let c2 = pseudoHuberC(dimension: 2)
tutorial.note("For a difference along the first axis of size ‖δ‖ (dim = 2):")
tutorial.table(
  ["‖δ‖", "pseudo-Huber", "‖δ‖² / (2c)", "‖δ‖ − c", "‖δ‖²"],
  [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1].map { size in
    let d = distance([size, 0], [0, 0], metric: .pseudoHuber(c: c2))
    let linear = size > c2 ? sig(size - c2, 6) : ""  // a distance is never negative
    return [sig(size), sig(d, 6), sig(size * size / (2 * c2), 6), linear, sig(size * size, 6)]
  })
tutorial.note("Quadratic (like L2) for ‖δ‖ ≪ c, linear (like a norm) for ‖δ‖ ≫ c: large errors get")
tutorial.note("a bounded gradient, so a few bad samples cannot dominate a step.")

do {
  let c = pseudoHuberC(dimension: 2)
  let radii = (0...160).map { i in pow(10, -5 + Double(i) / 20) }  // ‖δ‖ from 10⁻⁵ to 10³
  let along = { (r: Double) in [r / 2.squareRoot(), r / 2.squareRoot()] }  // δ on the diagonal
  let zero = [0.0, 0.0]
  let script = PlotScript.linePlot(
    [
      Series(
        "squared L2 (mean over 2 coordinates)", x: radii,
        y: radii.map { distance(along($0), zero, metric: .squaredL2) }),
      Series(
        "L1 (mean over 2 coordinates)", x: radii, y: radii.map { distance(along($0), zero, metric: .l1) }),
      Series(
        "pseudo-Huber, c = 0.00054 sqrt(2)", x: radii,
        y: radii.map { distance(along($0), zero, metric: .pseudoHuber(c: c)) }),
    ],
    title:
      "d(delta, 0) against |delta| (2-D, delta on the diagonal): pseudo-Huber is quadratic below c, linear above",
    xLabel: "|delta| (log scale)", yLabel: "d (log scale)", logX: true, logY: true, key: "top left",
    height: 600)
  tutorial.figure(writeTutorialFigure(script, name: "05-distances"))
}

// MARK: Step 3 — not element by element
tutorial.step("why the norm, not each element")
tutorial.code("mean over i of ( √(δᵢ² + c²) − c )", source: "element-wise, one PyTorch repository")
tutorial.paper("√(‖δ‖₂² + c²) − c", source: "iCT §3.3, per sample")
let dim = 3 * 32 * 32  // the data's number of coordinates (CIFAR-10)
let cD = pseudoHuberC(dimension: dim)
var deltaGenerator = SeededGenerator(seed: 6)
let delta = deltaGenerator.gaussians(count: dim).map { 0.01 * $0 }  // typical |δᵢ| ≈ 0.01 < c
let zeros = [Double](repeating: 0, count: dim)
func elementWise(_ d: [Double]) -> Double {
  d.map { ($0 * $0 + cD * cD).squareRoot() - cD }.reduce(0, +) / Double(d.count)
}
func perSample(_ d: [Double]) -> Double { distance(d, zeros, metric: .pseudoHuber(c: cD)) }
func squaredL2(_ d: [Double]) -> Double { distance(d, zeros, metric: .squaredL2) }
let doubled = delta.map { 2 * $0 }
tutorial.note("An image-sized difference: dim = \(dim), c = \(sig(cD, 6)), δᵢ = 0.01 · z (seeded).")
tutorial.value("‖δ‖₂", sig(squaredL2(delta).squareRoot() * Double(dim).squareRoot(), 6) + "   (≫ c)")
tutorial.table(
  ["d", "d(δ)", "d(2δ)", "d(2δ) / d(δ)"],
  [
    ("squared L2", squaredL2), ("pseudo-Huber, per sample", perSample),
    ("pseudo-Huber, element-wise", elementWise),
  ]
  .map { name, d in [name, sig(d(delta), 6), sig(d(doubled), 6), sig(d(doubled) / d(delta), 4)] },
  leftAligned: [0])
tutorial.note("Doubling the error multiplies squared L2 by 4 and the per-sample pseudo-Huber by about 2.")
tutorial.note("Element-wise, each |δᵢ| is compared with a c that was sized for the whole norm, so every")
tutorial.note("term sits in its quadratic part: the loss grows much more like L2 than like iCT's.")

// MARK: Step 4 — the weighting λ
let sigmas = karrasSigmas(count: 11)
let lambda = ictPairWeights(sigmas: sigmas)
let lognormal = lognormalPairProbabilities(sigmas: sigmas)
let typoSign = lognormalPairProbabilities(sigmas: sigmas, pMean: 1.1)
tutorial.step("the iCT weighting λ(t_n)")
tutorial.paper("CM: λ ≡ 1      iCT: λ(t_n) = 1 / (t_(n+1) − t_n)", source: "iCT §3.1")
tutorial.note("On the N = 11 grid of tutorial 02:")
tutorial.table(
  ["n", "t_n", "t_(n+1)", "λ(t_n)"],
  (0..<10).map { n in ["\(n)", sig(sigmas[n], 6), sig(sigmas[n + 1], 6), sig(lambda[n], 6)] })
tutorial.note("Small gaps near ε give small differences between the two predictions; λ scales them up.")

// MARK: Step 5 — lognormal pair probabilities
tutorial.step("iCT draws n from a discretised lognormal, not uniformly")
tutorial.seed("timesteps = uniform_distribution(batch_size, start=0, end=num_timesteps-1)")
tutorial.paper("p(n) ∝ erf((ln t_(n+1) − P_mean)/(√2 P_std)) − erf((ln t_n − P_mean)/(√2 P_std))")
tutorial.paper("P_mean = −1.1, P_std = 2.0", source: "iCT §3.5")
tutorial.table(
  ["n", "t_n", "uniform 1/(N−1)", "lognormal p(n)", "with P_mean = +1.1"],
  (0..<10).map { n in
    [
      "\(n)", sig(sigmas[n], 6), sig(0.1, 6), sig(lognormal[n], 6), sig(typoSign[n], 6),
    ]
  })
tutorial.value("Σ p(n)", sig(lognormal.reduce(0, +), 6))
tutorial.note("The mass is centred on ln t = −1.1 (t ≈ 0.33). The last column is what the sign typo of one")
tutorial.note("public README (P_mean = 1.1) would give: the mass moves towards t ≈ e^(1.1) ≈ 3.")

tutorial.finish()
