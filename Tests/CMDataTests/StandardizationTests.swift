import CMData
import Testing

@Test func standardizationWorkedNumber() {
  let map = Standardization(rawMean: SIMD2(1, 2), rawStd: SIMD2(2, 4))
  #expect(map.apply(SIMD2(3, 2)) == SIMD2(0.5, 0))
}
