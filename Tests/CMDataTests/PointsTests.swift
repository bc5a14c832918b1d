import CMData
import Testing

@Test func pointsFromFlatWorkedNumber() {
  #expect(points(fromFlat: [1, 2, 3, 4]) == [SIMD2(1, 2), SIMD2(3, 4)])
}

@Test func flatIsTheInverseOfPoints() {
  let values: [Double] = [0.5, -1, 2, 3.25, -7, 0]
  #expect(flat(fromPoints: points(fromFlat: values)) == values)
}

@Test func coordinateMomentsWorkedNumber() {
  let moments = CoordinateMoments(of: [0, 1, 2, 1])
  #expect(moments.mean == [1, 1])
  #expect(moments.std == [1, 0])
}

@Test func coordinateMomentsSurviveALargeOffset() {
  // Two-pass variance: no cancellation when the mean dwarfs the spread.
  let moments = CoordinateMoments(of: [1e9, 1e9 + 1, 1e9 + 2, 1e9 + 3], dimension: 1)
  #expect(abs(moments.std[0] - 1.25.squareRoot()) < 1e-9)
}
