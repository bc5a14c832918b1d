// Tests of Curriculum.swift: the CT curriculum N(k) (CM App. C) and the iCT exponential one.
import CMCore
import Testing
import _TestSupport

@Suite struct CurriculumTests {
  // MARK: Golden values (Fixtures/curriculum_ct.json, curriculum_ict.json)

  @Test func ctCurriculumMatchesReference() throws {
    let fixture = try Fixture("curriculum_ct")
    let cases = try fixture.cases
    #expect(cases.count > 100)
    for c in cases {
      let (k, K, s0, s1) = (try c("k").int, try c("K").int, try c("s0").int, try c("s1").int)
      let expected = try c("N").int
      let N = ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
      // Cases with "N_binary64" sit on exact squares, where a naive floating-point evaluation
      // returns N + 1; CMCore evaluates the formula exactly in integers and must give N.
      #expect(N == expected, "N(k) at k \(k), K \(K), s0 \(s0), s1 \(s1): \(N) vs expected \(expected)")
    }
  }

  @Test func ictCurriculumMatchesReference() throws {
    let fixture = try Fixture("curriculum_ict")
    let cases = try fixture.cases
    #expect(cases.count > 50)
    for c in cases {
      let (k, K, s0, s1) = (try c("k").int, try c("K").int, try c("s0").int, try c("s1").int)
      let expected = try c("N").int
      let N = ictDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
      #expect(N == expected, "iCT N(k) at k \(k), K \(K), s0 \(s0), s1 \(s1): \(N) vs expected \(expected)")
    }
  }

  // MARK: Worked numbers of the doc comments

  @Test func ctWorkedNumbers() {
    // "K = 800 000, s₀ = 2, s₁ = 150 gives N(0) = 2, N(1) = 3, N(1000) = 6, N(100 000) = 54,
    // N(800 000) = 151."
    let expected = [0: 2, 1: 3, 1000: 6, 100_000: 54, 800_000: 151]
    for (k, N) in expected {
      #expect(ctDiscretizationSteps(k: k, K: 800_000, s0: 2, s1: 150) == N, "N(\(k))")
    }
  }

  @Test func ictWorkedNumbers() {
    // "K = 400 000, s₀ = 10, s₁ = 1280 gives K′ = 50 000, N(0) = 11, N(50 000) = 21,
    // N(400 000) = 1281." K′ is internal; it shows as the step at which N first doubles.
    #expect(ictDiscretizationSteps(k: 0, K: 400_000, s0: 10, s1: 1280) == 11)
    #expect(ictDiscretizationSteps(k: 49_999, K: 400_000, s0: 10, s1: 1280) == 11)
    #expect(ictDiscretizationSteps(k: 50_000, K: 400_000, s0: 10, s1: 1280) == 21)
    #expect(ictDiscretizationSteps(k: 400_000, K: 400_000, s0: 10, s1: 1280) == 1281)
  }

  // MARK: Mathematical properties

  @Test(arguments: [1, 2, 3, 7, 10, 100, 1000, 12_345, 100_000, 800_000, 1_000_000])
  func ctEndsAreS0AndS1PlusOne(K: Int) {
    for s0 in [2, 3, 5, 10, 20] {
      for s1 in [s0, s0 + 1, 17, 40, 150, 151, 200, 1280, 5000] where s1 >= s0 {
        #expect(ctDiscretizationSteps(k: 0, K: K, s0: s0, s1: s1) == s0, "N(0), K \(K) s0 \(s0) s1 \(s1)")
        #expect(ctDiscretizationSteps(k: K, K: K, s0: s0, s1: s1) == s1 + 1, "N(K), K \(K) s0 \(s0) s1 \(s1)")
      }
    }
  }

  @Test(arguments: [(800_000, 2, 150), (100_000, 2, 150), (1000, 3, 40), (117, 2, 10), (12_345, 5, 17)])
  func ctIsNonDecreasing(K: Int, s0: Int, s1: Int) {
    var previous = ctDiscretizationSteps(k: 0, K: K, s0: s0, s1: s1)
    var decreases = 0
    for k in 1...K {
      let N = ctDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
      if N < previous { decreases += 1 }
      previous = N
    }
    #expect(decreases == 0, "N decreased \(decreases) times for K \(K), s0 \(s0), s1 \(s1)")
  }

  @Test func ictEndsAndMonotonicity() {
    for (K, s0, s1) in [(400_000, 10, 1280), (1000, 10, 1280), (64, 1, 64), (90, 10, 20), (5000, 7, 50)] {
      #expect(ictDiscretizationSteps(k: 0, K: K, s0: s0, s1: s1) == s0 + 1, "N(0), K \(K) s0 \(s0) s1 \(s1)")
      var previous = s0 + 1
      for k in stride(from: 0, through: K, by: max(K / 5000, 1)) {
        let N = ictDiscretizationSteps(k: k, K: K, s0: s0, s1: s1)
        #expect(N >= previous, "iCT N decreased at k \(k), K \(K)")
        #expect(N <= s1 + 1)
        previous = N
      }
    }
    // N(K) = s₁ + 1 when s₁/s₀ is a power of two.
    for (K, s0, s1) in [(400_000, 10, 1280), (800_000, 10, 1280), (64, 1, 64), (90, 10, 20), (1000, 5, 5)] {
      #expect(ictDiscretizationSteps(k: K, K: K, s0: s0, s1: s1) == s1 + 1, "N(K), K \(K) s0 \(s0) s1 \(s1)")
    }
  }
}
