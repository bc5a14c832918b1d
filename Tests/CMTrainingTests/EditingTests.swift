import CMCore
import CMTraining
import Foundation
import Testing
import _TestSupport

private func smallModel() -> (ConsistencyModel<Double>, [Double]) {
  let model = ConsistencyModel<Double>(hiddenWidths: [16, 16], sigmaData: 0.5, sigmaMin: 0.002)
  var generator = SeededGenerator(seed: 11)
  let theta = model.network.initialParameters(generator: &generator)
  return (model, theta)
}

@Test func editKeepsTheFixedCoordinateExactly() {
  let (model, theta) = smallModel()
  let y = (0..<50).flatMap { _ in [0.25, 123.0] }  // the second entry is to be generated: ignored
  var generator = SeededGenerator(seed: 1)
  var traced = 0
  let x = model.edit(
    parameters: theta, reference: y, mask: [false, true], times: [80, 1, 0.1], generator: &generator,
    trace: { name, value in
      #expect(name == .x)
      #expect((0..<50).allSatisfy { value[2 * $0] == 0.25 })
      traced += 1
    })
  #expect(traced == 3)
  #expect((0..<50).allSatisfy { x[2 * $0] == 0.25 && x[2 * $0 + 1].isFinite })
}

@Test func editWithEverythingMaskedIsMultistepSampling() {
  // Ω = 1 everywhere and t₁ = T: x ~ N(0, T²I) is T·z, so Algorithm 4 is Algorithm 1, draw for draw.
  let (model, theta) = smallModel()
  var g1 = SeededGenerator(seed: 5)
  var g2 = SeededGenerator(seed: 5)
  let edited = model.edit(
    parameters: theta, reference: [Double](repeating: 0.7, count: 40), mask: [true, true],
    times: [80, 0.8, 0.2], generator: &g1)
  let sampled = model.sample(parameters: theta, count: 20, taus: [0.8, 0.2], sigmaMax: 80, generator: &g2)
  #expect(edited == sampled)
}

@Test func interpolationEndsAreOneStepSamplesOfTheEndpoints() {
  let (model, theta) = smallModel()
  let z1 = [0.4, -1.3]
  let z2 = [-0.9, 0.2]
  let path = model.interpolate(parameters: theta, from: z1, to: z2, alphas: [0, 0.5, 1], sigmaMax: 80)
  let ends = model(parameters: theta, x: [80 * z1[0], 80 * z1[1], 80 * z2[0], 80 * z2[1]], t: [80, 80])
  expectClose(Array(path[0..<2]), Array(ends[0..<2]), abs: 1e-12, rel: 1e-12)
  expectClose(Array(path[4..<6]), Array(ends[2..<4]), abs: 1e-12, rel: 1e-12)
}
