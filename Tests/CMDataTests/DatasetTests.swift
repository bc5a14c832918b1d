import CMCore
import CMData
import Testing

@Test func namesParse() throws {
  #expect(Dataset.allCases.map(\.name) == ["ring8", "moons", "spiral", "checkerboard", "gaussian"])
  for dataset in Dataset.allCases { #expect(try Dataset(named: dataset.name) == dataset) }
  #expect(try Dataset(named: " Ring8 ") == .ring8)
  #expect(Dataset.default == .ring8)
}

@Test func unknownNameListsTheAllowedNames() {
  #expect(throws: UnknownDatasetError(name: "swissroll")) { try Dataset(named: "swissroll") }
  #expect(
    UnknownDatasetError(name: "swissroll").description
      == "unknown dataset 'swissroll'; allowed: ring8, moons, spiral, checkerboard, gaussian")
}

@Test func exactDenoiserExistsForTheMixturesOnly() {
  for dataset in Dataset.allCases {
    let isMixture = dataset == .ring8 || dataset == .gaussian
    #expect((dataset.exactDenoiser != nil) == isMixture)
    #expect((dataset.mixture != nil) == isMixture)
  }
}

@Test func gaussianDatasetMatchesCMCore() {
  let D = Dataset.gaussian.exactDenoiser!
  let x: [Double] = [1, -2]
  #expect(
    close(
      D(x, 0.5),
      gaussianDenoiser(x: x, t: 0.5, mean: Dataset.gaussianMean, std: Dataset.gaussianStd),
      tolerance: 1e-15))
  #expect(close(D(x, 0.5), [0.5, -1], tolerance: 1e-15))  // CMCore's worked number
}

@Test(arguments: Dataset.allCases)
func samplesAreSeededAndShaped(dataset: Dataset) {
  var g1 = SeededGenerator(seed: 42)
  var g2 = SeededGenerator(seed: 42)
  let flatSample = dataset.sample(count: 100, using: &g1)
  #expect(flatSample.count == 200)
  #expect(dataset.samplePoints(count: 100, using: &g2) == points(fromFlat: flatSample))
}

/// Every dataset has per-coordinate mean 0 and std σ_data = 0.5, within 5 standard errors of a
/// fresh 4·10⁵-point sample (a seed not used to fix any constant).
@Test(arguments: Dataset.allCases)
func freshSampleHasMeanZeroAndStdSigmaData(dataset: Dataset) {
  var generator = SeededGenerator(seed: 31_337)
  let stats = SampleStatistics(dataset.sample(count: 400_000, using: &generator))
  #expect(
    stats.agrees(mean: [0, 0], std: [Dataset.sigmaData, Dataset.sigmaData]),
    "\(dataset): \(stats.mean) \(stats.std)")
  // And the sampling error is small enough for that to mean something.
  #expect(stats.stdError.allSatisfy { $0 < 0.001 })
}
