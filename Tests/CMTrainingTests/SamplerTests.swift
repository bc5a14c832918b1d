import CMCore
import CMStorage
import CMTeacher
import Testing

@testable import CMTraining

@Test("τ lists must be strictly decreasing and inside (ε, T)")
func tauValidation() throws {
  try validateSamplingTaus([], sigmaMin: 0.002, sigmaMax: 80)
  try validateSamplingTaus([5, 1, 0.1], sigmaMin: 0.002, sigmaMax: 80)
  for bad in [[1, 1], [0.5, 1], [80], [0.002], [-1], [Double.nan], [100]] as [[Double]] {
    #expect(throws: SamplingScheduleError.self) {
      try validateSamplingTaus(bad, sigmaMin: 0.002, sigmaMax: 80)
    }
  }
}

@Test("one-step sampling with F ≡ 0 is c_skip(T)·T·z; a step at τ adds √(τ² − ε²)·z′ then rescales")
func samplingFollowsAlgorithm1() {
  let model = ConsistencyModel<Double>(
    dimension: 2, hiddenWidths: [4], sigmaData: 0.5, sigmaMin: 0.002)
  let zeros = [Double](repeating: 0, count: model.network.parameterCount)
  var generator = SeededGenerator(seed: 3)
  var replay = generator
  let oneStep = model.sample(
    parameters: zeros, count: 3, taus: [], sigmaMax: 80, generator: &generator)
  let z = replay.gaussians(count: 6)
  for i in 0..<6 { #expect(oneStep[i] == cSkip(t: 80) * (80 * z[i])) }

  let twoStep = model.sample(
    parameters: zeros, count: 3, taus: [1.5], sigmaMax: 80, generator: &generator)
  // The second call draws z for its first jump, then z′ for the re-noising at τ = 1.5.
  let zFirstJump = replay.gaussians(count: 6)
  let zPrime = replay.gaussians(count: 6)
  for i in 0..<6 {
    let x = cSkip(t: 80) * (80 * zFirstJump[i])
    let expected = cSkip(t: 1.5) * (x + (1.5 * 1.5 - 0.002 * 0.002).squareRoot() * zPrime[i])
    #expect(abs(twoStep[i] - expected) <= 1e-15 * max(1, abs(expected)))
  }
}
