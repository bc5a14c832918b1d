// Shared test helpers: per-coordinate sample statistics with their sampling error, and a
// quadrature rule, so that tolerances come from the sample size rather than from guesswork.
import CMData

/// Per-coordinate mean and std of a flat count × 2 sample, with standard errors.
///
/// ```
/// SE(μ̂) = σ̂/√n,   SE(σ̂) ≈ √(μ̂₄ − σ̂⁴) / (2 σ̂ √n)      (delta method, μ̂₄ the 4th central moment)
/// ```
struct SampleStatistics {
  var mean: [Double]
  var std: [Double]
  var meanError: [Double]
  var stdError: [Double]

  init(_ samples: [Double]) {
    let moments = CoordinateMoments(of: samples)
    let n = Double(samples.count / 2)
    var fourth = [0.0, 0.0]
    for i in 0..<samples.count / 2 {
      for j in 0..<2 {
        let c = samples[2 * i + j] - moments.mean[j]
        fourth[j] += c * c * c * c
      }
    }
    mean = moments.mean
    std = moments.std
    meanError = moments.std.map { $0 / n.squareRoot() }
    stdError = (0..<2).map { j in
      let s = moments.std[j]
      return (fourth[j] / n - s * s * s * s).squareRoot() / (2 * s * n.squareRoot())
    }
  }

  /// Whether the sample is consistent with the given mean and std within `z` standard errors.
  func agrees(mean expectedMean: [Double], std expectedStd: [Double], z: Double = 5) -> Bool {
    (0..<2).allSatisfy { j in
      abs(mean[j] - expectedMean[j]) <= z * meanError[j]
        && abs(std[j] - expectedStd[j]) <= z * stdError[j]
    }
  }
}

/// Composite Simpson's rule for ∫_a^b f over `panels` (even) panels.
func simpson(_ a: Double, _ b: Double, panels: Int = 20_000, _ f: (Double) -> Double) -> Double {
  let h = (b - a) / Double(panels)
  var total = f(a) + f(b)
  for i in 1..<panels { total += (i % 2 == 1 ? 4 : 2) * f(a + Double(i) * h) }
  return total * h / 3
}

/// |a − b| ≤ tolerance, for every element.
func close(_ a: [Double], _ b: [Double], tolerance: Double) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

func close(_ a: SIMD2<Double>, _ b: SIMD2<Double>, tolerance: Double) -> Bool {
  abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
}
