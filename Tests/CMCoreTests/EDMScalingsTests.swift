// Tests of EDMScalings.swift: EDM Table 1's c_skip, c_out, c_in, c_noise, λ(σ) and training σ.
//
// Expected values were computed independently with NumPy 1.x from the formulas of EDM Table 1:
//   sd = 0.5
//   for s in [1.0, 0.5, 0.002, 80.0]:
//     print(sd**2/(s**2+sd**2), s*sd/np.sqrt(s**2+sd**2), 1/np.sqrt(s**2+sd**2),
//           0.25*np.log(s), (s**2+sd**2)/(s*sd)**2)
//   print(np.exp(-1.2), np.exp(1.2*1-1.2), np.exp(1.2*-2-1.2))
import CMCore
import Foundation
import Testing
import _TestSupport

@Suite struct EDMScalingsTests {
  /// (σ, c_skip, c_out, c_in, c_noise, λ) at σ_data = 0.5, from the NumPy lines above.
  let reference: [(Double, Double, Double, Double, Double, Double)] = [
    (1.0, 0.2, 0.4472135954999579, 0.8944271909999159, 0.0, 5.0),
    (0.5, 0.5, 0.35355339059327373, 1.414213562373095, -0.17328679513998632, 8.0),
    (
      0.002, 0.9999840002559959, 0.0019999840001919972, 1.9999840001919975, -1.5536520246055479,
      250004.00000000003
    ),
    (80.0, 3.906097418069607e-05, 0.49999023466109294, 0.012499755866527323, 1.0955066586684703, 4.00015625),
  ]

  @Test func scalingsMatchNumPy() {
    for (sigma, skip, out, cin, noise, lambda) in reference {
      expectClose(edmCSkip(sigma: sigma), skip, "c_skip(\(sigma))")
      expectClose(edmCOut(sigma: sigma), out, "c_out(\(sigma))")
      expectClose(edmLossWeight(sigma: sigma), lambda, "λ(\(sigma))")
      let all = EDMScalings(sigma: sigma, sigmaData: 0.5)
      expectClose(
        [all.cSkip, all.cOut, all.cIn, all.cNoise], [skip, out, cin, noise], "EDMScalings(\(sigma))")
    }
    expectClose(edmTrainingSigma(rndNormal: 0), 0.3011942119122021, "σ at rnd_normal = 0")
    expectClose(edmTrainingSigma(rndNormal: 1), 1.0, "σ at rnd_normal = 1")
    expectClose(edmTrainingSigma(rndNormal: -2), 0.02732372244729257, "σ at rnd_normal = −2")
  }

  @Test func workedNumbers() {
    // "σ = 1, σ_data = 0.5 gives c_skip = 0.25 / 1.25 = 0.2."
    #expect(isClose(edmCSkip(sigma: 1), 0.2, abs: 0, rel: 1e-15))
    // "… gives c_out = 0.5 / √1.25 = 0.44721359…"
    #expect(matchesWrittenDigits(edmCOut(sigma: 1), "0.44721359"))
    // "σ = 1, σ_data = 0.5 gives λ = 1.25 / 0.25 = 5."
    #expect(edmLossWeight(sigma: 1) == 5)
    // "rnd_normal = −2 gives σ = exp(−3.6) = 0.02732372…"
    #expect(matchesWrittenDigits(edmTrainingSigma(rndNormal: -2), "0.02732372"))
    // "the median σ is exp(P_mean) = 0.30119421…"
    #expect(matchesWrittenDigits(edmTrainingSigma(rndNormal: 0), "0.30119421"))
    // "at σ = ε = 0.002 it is 0.99998400…" and "0.00199998…"
    #expect(matchesWrittenDigits(edmCSkip(sigma: 0.002), "0.99998400"))
    #expect(matchesWrittenDigits(edmCOut(sigma: 0.002), "0.00199998"))
    // "σ = 0.5, σ_data = 0.5 gives (0.5, 0.35355339…, 1.41421356…, −0.17328679…)"
    let s = EDMScalings(sigma: 0.5, sigmaData: 0.5)
    #expect(s.cSkip == 0.5)
    #expect(matchesWrittenDigits(s.cOut, "0.35355339"))
    #expect(matchesWrittenDigits(s.cIn, "1.41421356"))
    #expect(matchesWrittenDigits(s.cNoise, "-0.17328679"))
  }

  @Test("unshifted: unlike CM's c_skip and c_out, EDM's are not exactly 1 and 0 at ε")
  func contrastWithConsistencyScalings() {
    #expect(cSkip(t: 0.002) == 1 && cOut(t: 0.002) == 0)
    #expect(edmCSkip(sigma: 0.002) < 1 && edmCOut(sigma: 0.002) > 0)
    // Far from ε the two agree to O(ε): c_out differs by the factor (t − ε)/t.
    for t in [0.5, 1.0, 10.0, 80.0] {
      expectClose(
        cOut(t: t) * t / (t - 0.002), edmCOut(sigma: t), abs: 0, rel: 1e-14, "c_out·t/(t − ε) at \(t)")
    }
    // c_in and c_noise are shared.
    #expect(EDMScalings(sigma: 1.3).cIn == BoundaryScalings(t: 1.3).cIn)
    #expect(EDMScalings(sigma: 1.3).cNoise == BoundaryScalings(t: 1.3).cNoise)
  }

  @Test("the network's target F* has unit variance at every σ (EDM App. B.6)")
  func unitVarianceTarget() {
    for sigmaData in [0.5, 1.0, 0.25] {
      for sigma in [0.002, 0.03, 0.3, 1.0, 3.0, 80.0] {
        let skip = edmCSkip(sigma: sigma, sigmaData: sigmaData)
        let out = edmCOut(sigma: sigma, sigmaData: sigmaData)
        let variance =
          ((1 - skip) * (1 - skip) * sigmaData * sigmaData + skip * skip * sigma * sigma) / (out * out)
        expectClose(variance, 1, abs: 0, rel: 1e-12, "Var F* at σ \(sigma), σ_data \(sigmaData)")
      }
    }
  }

  @Test("λ(σ)·c_out(σ)² = 1: every σ weighs the same on the network's output")
  func lossWeightCancelsOutputScale() {
    for sigmaData in [0.5, 1.0, 0.25] {
      for sigma in [0.002, 0.03, 0.3, 1.0, 3.0, 80.0] {
        let out = edmCOut(sigma: sigma, sigmaData: sigmaData)
        expectClose(
          edmLossWeight(sigma: sigma, sigmaData: sigmaData) * out * out, 1, abs: 0, rel: 1e-12, "σ \(sigma)")
      }
    }
  }

  @Test("c_skip·x alone is the ideal denoiser of N(0, σ_data²I)")
  func skipIsTheGaussianDenoiser() {
    for sigma in [0.01, 0.5, 2.0, 80.0] {
      let x = [0.7, -1.9]
      let ideal = gaussianDenoiser(x: x, t: sigma, mean: [0, 0], std: 0.5)
      expectClose(x.map { edmCSkip(sigma: sigma) * $0 }, ideal, abs: 1e-15, rel: 1e-14, "σ \(sigma)")
    }
  }

  @Test("ln σ has mean P_mean and std P_std over many draws")
  func trainingSigmaDistribution() {
    var generator = SeededGenerator(seed: 11)
    let logs = (0..<20_000).map { _ in log(edmTrainingSigma(rndNormal: generator.nextGaussian())) }
    let mean = logs.reduce(0, +) / Double(logs.count)
    let std = (logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(logs.count)).squareRoot()
    // Standard errors: 1.2/√20000 ≈ 0.0085 for the mean, about 0.006 for the std.
    #expect(abs(mean - -1.2) < 0.04, "mean \(mean)")
    #expect(abs(std - 1.2) < 0.03, "std \(std)")
  }
}
