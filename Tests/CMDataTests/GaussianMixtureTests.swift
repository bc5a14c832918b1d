import CMCore
import CMData
import Testing

let twoBlobs = GaussianMixture(weights: [1, 1], means: [[-1, 0], [1, 0]], stds: [0.5, 0.5])

@Test func mixtureMomentsWorkedNumber() {
  #expect(twoBlobs.mean == [0, 0])
  #expect(twoBlobs.coordinateVariance == [1.25, 0.25])
}

@Test func weightsAreNormalised() {
  let mixture = GaussianMixture(weights: [2, 6], means: [[0, 0], [1, 1]], stds: [1, 1])
  #expect(mixture.weights == [0.25, 0.75])
  #expect(mixture.componentCount == 2 && mixture.dimension == 2)
}

@Test func sampleMomentsMatchTheMixtureMoments() {
  let mixture = GaussianMixture(
    weights: [0.2, 0.5, 0.3], means: [[-1, 2], [0.5, 0], [2, -1]], stds: [0.3, 0.6, 0.2])
  var generator = SeededGenerator(seed: 7)
  let samples = mixture.sample(count: 200_000, using: &generator)
  #expect(samples.count == 400_000)
  let stats = SampleStatistics(samples)
  #expect(stats.agrees(mean: mixture.mean, std: mixture.coordinateVariance.map { $0.squareRoot() }))
}

@Test func sampleIsSeeded() {
  var g1 = SeededGenerator(seed: 3)
  var g2 = SeededGenerator(seed: 3)
  #expect(twoBlobs.sample(count: 10, using: &g1) == twoBlobs.sample(count: 10, using: &g2))
}
