// The plumbing under CTStep.swift and CDStep.swift: each line of the step that makes a batch-sized
// array makes it here, in a buffer kept from step to step, with the arithmetic (and the bits) of
// the CMCore function it stands for.
//
// Each method returns the buffer it filled. The returned array shares the buffer's storage (no
// copy); the step lets go of it before the next step refills the buffer, so the refill happens in
// place. A caller that keeps a result (a trace hook that stores it) only costs a copy at the next
// refill: Swift arrays copy on write, so no kept value is ever overwritten.

import CMCore
import CMNetwork
import CMTeacher

extension TrainingState.Buffers {
  /// `karrasSigmas(count: N, sigmaMin:sigmaMax:rho:)` of the run's configuration, recomputed in
  /// place only when N changes.
  mutating func karrasSigmas(count N: Int, config: TrainingConfig) -> [Double] {
    if sigmas.count != N {  // the grid depends on N alone, for one run's config
      CMCore.karrasSigmas(
        count: N, sigmaMin: config.sigmaMin, sigmaMax: config.sigmaMax, rho: config.rho, into: &sigmas)
    }
    return sigmas
  }

  /// `sampling.pairIndices(count: B, sigmas:using:)`: the same draws in the same order, and the
  /// same indices. iCT's lognormal probabilities are recomputed only when N changes (the grid
  /// depends on N alone), and kept as running sums p(0) + … + p(n), added in the order
  /// `samplePairIndex` adds them; a binary search for the first sum above U then finds the index
  /// that its linear scan finds, in log N steps instead of N (N reaches 1281 in iCT).
  mutating func pairIndices(
    count B: Int, sampling: PairSampling, sigmas: [Double], using generator: inout SeededGenerator
  ) -> [Int] {
    resize(&pairIndices, count: B)
    switch sampling {
    case .uniform:
      for b in 0..<B { pairIndices[b] = uniformPairIndex(N: sigmas.count, using: &generator) }
    case .lognormal(let pMean, let pStd):
      if pairCumulative.count != sigmas.count - 1 {
        lognormalPairProbabilities(sigmas: sigmas, pMean: pMean, pStd: pStd, into: &pairCumulative)
        for n in pairCumulative.indices.dropFirst() { pairCumulative[n] += pairCumulative[n - 1] }
      }
      for b in 0..<B {
        let u = generator.nextUniform()
        // The first n with cumulative[n] > u; the last pair when rounding leaves u above them all.
        var low = 0
        var high = pairCumulative.count - 1
        while low < high {
          let middle = (low + high) / 2
          if u < pairCumulative[middle] { high = middle } else { low = middle + 1 }
        }
        pairIndices[b] = low
      }
    }
    return pairIndices
  }

  /// `generator.gaussians(count:)`.
  mutating func gaussians(count: Int, using generator: inout SeededGenerator) -> [Double] {
    generator.gaussians(count: count, into: &noise)
    return noise
  }

  /// t_n of each row: `n.map { sigmas[$0] }`.
  mutating func currentSigmas(_ sigmas: [Double], at n: [Int]) -> [Double] {
    resize(&tN, count: n.count)
    for b in n.indices { tN[b] = sigmas[n[b]] }
    return tN
  }

  /// t_{n+1} of each row: `n.map { sigmas[$0 + 1] }`.
  mutating func nextSigmas(_ sigmas: [Double], at n: [Int]) -> [Double] {
    resize(&tNPlus1, count: n.count)
    for b in n.indices { tNPlus1[b] = sigmas[n[b] + 1] }
    return tNPlus1
  }
}

extension ODESolver {
  /// CD's x̂_{t_n} into `buffers`: `step(batch: x, from: n.map { sigmas[$0 + 1] },
  /// to: n.map { sigmas[$0] }, denoiser: teacher.denoise)`, one step of this solver along the
  /// teacher's probability-flow ODE from t_{n+1} to t_n, the same arithmetic without allocating.
  func step<Scalar>(
    batch x: [Double], sigmas: [Double], indices n: [Int], teacher: Teacher,
    buffers: inout TrainingState<Scalar>.Buffers
  ) -> [Double] {
    resize(&buffers.solverFrom, count: n.count)
    resize(&buffers.solverTo, count: n.count)
    for b in n.indices {
      buffers.solverFrom[b] = sigmas[n[b] + 1]
      buffers.solverTo[b] = sigmas[n[b]]
    }
    step(
      batch: x, from: buffers.solverFrom, to: buffers.solverTo, into: &buffers.currentNoisyData,
      scratch: &buffers.solverScratch,
      denoiser: { x, t, denoised in teacher.denoise(batch: x, t: t, into: &denoised) })
    return buffers.currentNoisyData
  }
}
