import CMCore
import CMData
import CMMetrics
import Foundation
import Testing

/// On ring8 the noise floor (true vs true) is well below the moment-matched Gaussian, for both
/// metrics: the report can tell a good sampler from a blurry one.
@Test func ring8NoiseFloorIsWellBelowTheGaussianBaseline() {
  var generator = SeededGenerator(seed: 1234)
  let generated = Dataset.ring8.sample(count: 1000, using: &generator)
  let report = EvaluationReport(generated: generated, dataset: .ring8, referenceSeed: 0)
  #expect(
    report.sampleCount == 1000 && report.dataset == "ring8"
      && report.slicedWassersteinDirections == 64)
  for reading in [report.slicedWasserstein1, report.energyDistance] {
    #expect(reading.noiseFloor < reading.gaussianBaseline / 3, "\(report.summary)")
    // A true sample scores like the noise floor, not like the baseline.
    #expect(reading.value < reading.gaussianBaseline / 3, "\(report.summary)")
  }
}

@Test func aGaussianSamplerScoresLikeTheBaseline() {
  var generator = SeededGenerator(seed: 77)
  let blurry = generator.gaussians(count: 2000).map { 0.5 * $0 }
  let report = EvaluationReport(generated: blurry, dataset: .ring8)
  for reading in [report.slicedWasserstein1, report.energyDistance] {
    #expect(reading.value > 3 * reading.noiseFloor, "\(report.summary)")
  }
}

@Test func reportIsSeededAndJSONReady() throws {
  var generator = SeededGenerator(seed: 8)
  let generated = Dataset.moons.sample(count: 200, using: &generator)
  let report = EvaluationReport(generated: generated, dataset: .moons, referenceSeed: 5)
  #expect(report == EvaluationReport(generated: generated, dataset: .moons, referenceSeed: 5))
  let data = try JSONEncoder().encode(report)
  #expect(try JSONDecoder().decode(EvaluationReport.self, from: data) == report)
  let json = String(decoding: data, as: UTF8.self)
  #expect(json.contains("\"noiseFloor\"") && json.contains("\"gaussianBaseline\""))
}

@Test func reportDrawsItsReferenceInTheDocumentedOrder() {
  // value = M(generated, R) with R the first n draws of the seed: so generating R itself scores 0.
  var generator = SeededGenerator(seed: 9)
  let reference = Dataset.spiral.sample(count: 150, using: &generator)
  let report = EvaluationReport(generated: reference, dataset: .spiral, referenceSeed: 9)
  #expect(report.slicedWasserstein1.value == 0 && report.energyDistance.value == 0)
  // R′ is the next n draws of the same generator.
  let independent = Dataset.spiral.sample(count: 150, using: &generator)
  #expect(report.slicedWasserstein1.noiseFloor == slicedWasserstein1(independent, reference))
}
