import CMCore
import CMMetrics
import Testing

@Test func energyDistanceWorkedNumber() {
  #expect(energyDistance([0, 0, 2, 0], [1, 0]) == 1)
}

@Test func energyDistanceOfIdenticalSetsIsZero() {
  let x = randomPoints(300, seed: 6)
  #expect(energyDistance(x, x) == 0)
}

@Test func energyDistanceIsNonNegativeAndSymmetric() {
  for seed in UInt64(0)..<20 {
    let x = randomPoints(50 + Int(seed), seed: 100 + seed)
    var generator = SeededGenerator(seed: 200 + seed)
    // Sometimes close to x (a small perturbation), sometimes a different distribution.
    let scale = seed % 2 == 0 ? 1e-3 : 0.7
    let y = x.map { $0 + scale * generator.nextGaussian() }
    let xy = energyDistance(x, y)
    let yx = energyDistance(y, x)
    #expect(xy >= 0)
    #expect(abs(xy - yx) <= 1e-13)
  }
}

@Test func energyDistanceWorksInOtherDimensions() {
  // 1-D: X = {0}, Y = {3} gives 2·3 = 6.
  #expect(energyDistance([0], [3], dimension: 1) == 6)
  // 3-D: the same two points embedded in 3-D.
  #expect(energyDistance([0, 0, 0], [0, 3, 0], dimension: 3) == 6)
}

@Test func energyDistanceGrowsWithAShift() {
  let x = randomPoints(200, seed: 7)
  let small = energyDistance(shifted(x, by: SIMD2(0.1, 0)), x)
  let large = energyDistance(shifted(x, by: SIMD2(1, 0)), x)
  #expect(0 < small && small < large)
}
