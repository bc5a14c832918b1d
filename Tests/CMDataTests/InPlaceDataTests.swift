// Data drawn into a kept array, and the mixture denoiser written into one, give the same bits as
// the allocating functions.
import CMCore
import Testing

@testable import CMData

@Suite struct InPlaceDataTests {
  @Test(arguments: Dataset.allCases)
  func sampleIntoDrawsTheSameBatch(dataset: Dataset) {
    var a = SeededGenerator(seed: 1)
    var b = SeededGenerator(seed: 1)
    var batch: [Double] = []
    for count in [5, 3] {
      dataset.sample(count: count, using: &a, into: &batch)
      #expect(batch == dataset.sample(count: count, using: &b))
    }
    #expect(a.next() == b.next())
  }

  @Test func mixtureDenoiseIntoMatchesDenoise() {
    let mixture = GaussianMixture.ring8()
    var generator = SeededGenerator(seed: 2)
    let x = generator.gaussians(count: 12).map { 3 * $0 }
    let t = [0.002, 0.1, 0.5, 2, 20, 80]
    var out: [Double] = []
    mixture.denoise(batch: x, t: t, into: &out)
    #expect(out == mixture.denoise(batch: x, t: t))
    // Components whose s changes and repeats (the in-place loop reuses log(2πv) and the shrink
    // factor within a run of equal s): the bits of the row-by-row reference.
    let uneven = GaussianMixture(
      weights: [0.1, 0.2, 0.3, 0.15, 0.25], means: [[0, 1], [1, 0], [-1, 0.5], [0.3, -0.7], [2, 2]],
      stds: [0.1, 0.1, 0.3, 0.2, 0.2])
    uneven.denoise(batch: x, t: t, into: &out)
    #expect(out.map(\.bitPattern) == uneven.denoise(batch: x, t: t).map(\.bitPattern))
  }
}
