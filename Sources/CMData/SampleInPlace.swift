// Data batches written into a caller's array: a training loop that keeps one batch buffer draws
// its data without allocating.
import CMCore

extension GaussianMixture {
  /// `sample(count:using:)` into `result`: the same draws in the same order.
  public func sample(count: Int, using generator: inout SeededGenerator, into result: inout [Double]) {
    precondition(count >= 0, "sample(count:) needs a non-negative count")
    resize(&result, count: count * dimension)
    for row in 0..<count {
      let k = drawComponent(uniform: generator.nextUniform())
      for j in 0..<dimension {
        result[row * dimension + j] = means[k][j] + stds[k] * generator.nextGaussian()
      }
    }
  }
}

extension Standardization {
  /// `sample(count:using:rawPoint:)` into `result`: the same draws in the same order.
  public func sample(
    count: Int, using generator: inout SeededGenerator,
    rawPoint: (inout SeededGenerator) -> SIMD2<Double>, into result: inout [Double]
  ) {
    precondition(count >= 0, "sample(count:) needs a non-negative count")
    resize(&result, count: 2 * count)
    for row in 0..<count {
      let x = apply(rawPoint(&generator))
      result[2 * row] = x.x
      result[2 * row + 1] = x.y
    }
  }
}

extension Dataset {
  /// `sample(count:using:)` into `result`: the same draws in the same order, allocating nothing
  /// once `result` has its size.
  public func sample(count: Int, using generator: inout SeededGenerator, into result: inout [Double]) {
    switch self {
    case .ring8, .gaussian: mixture!.sample(count: count, using: &generator, into: &result)
    case .moons:
      Moons.standardization.sample(count: count, using: &generator, rawPoint: Moons.rawPoint, into: &result)
    case .spiral:
      Spiral.standardization.sample(count: count, using: &generator, rawPoint: Spiral.rawPoint, into: &result)
    case .checkerboard:
      Checkerboard.standardization.sample(
        count: count, using: &generator, rawPoint: Checkerboard.rawPoint, into: &result)
    }
  }
}
