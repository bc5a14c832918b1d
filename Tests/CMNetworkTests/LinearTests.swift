import Testing

@testable import CMNetwork

@Suite struct LinearTests {
  /// The worked number of `Linear`: forward Y = X Wᵀ + b and the three backward products.
  @Test func workedNumber() {
    let layer = Linear<Double>(fanIn: 2, fanOut: 2)
    let w: [Double] = [1, 2, 3, 4]
    let b: [Double] = [0.5, -1]
    let x: [Double] = [1, 1]
    var y = [Double](repeating: 0, count: 2)
    layer.forward(x: x, w: w, b: b, y: &y, rows: 1)
    #expect(y == [3.5, 6])

    let dY: [Double] = [1, 0]
    var dW = [Double](repeating: .nan, count: 4)
    var db = [Double](repeating: .nan, count: 2)
    var dX = [Double](repeating: .nan, count: 2)
    dX.withUnsafeMutableBufferPointer { dX in
      layer.backward(dY: dY, x: x, w: w, dW: &dW, db: &db, dX: dX.baseAddress, rows: 1)
    }
    #expect(dW == [1, 1, 0, 0])
    #expect(db == [1, 0])
    #expect(dX == [1, 2])
  }

  @Test func biasGradientSumsOverRows() {
    let layer = Linear<Double>(fanIn: 1, fanOut: 2)
    let x: [Double] = [1, 2, 3]
    let dY: [Double] = [1, 10, 2, 20, 3, 30]
    var dW = [Double](repeating: 0, count: 2)
    var db = [Double](repeating: 0, count: 2)
    layer.backward(dY: dY, x: x, w: [0, 0], dW: &dW, db: &db, dX: nil, rows: 3)
    #expect(db == [6, 60])
    let expectedDW: [Double] = [14, 140]  // Σ_r dY[r, i]·x[r]: 1 + 4 + 9, 10 + 40 + 90
    #expect(dW == expectedDW)
  }
}
