import Foundation
import Testing

@testable import CMNetwork

@Suite struct SGDTests {
  @Test func plainStepIsThetaMinusEtaG() {
    var theta: [Double] = [1, -2, 0.5]
    var sgd = SGD<Double>(parameterCount: 3, learningRate: 0.1)
    sgd.update(parameters: &theta, gradient: [2, -1, 0])
    let expected: [Double] = [1 - 0.1 * 2, -2 + 0.1, 0.5]
    #expect(theta == expected)
  }

  @Test func momentumWorkedNumber() {
    var theta: [Double] = [1]
    var sgd = SGD<Double>(parameterCount: 1, learningRate: 0.1, momentum: 0.9)
    sgd.update(parameters: &theta, gradient: [2])
    #expect(abs(theta[0] - 0.8) < 1e-15)
    sgd.update(parameters: &theta, gradient: [2])
    #expect(abs(theta[0] - 0.42) < 1e-15)
    #expect(abs(sgd.velocity[0] - 3.8) < 1e-15)
  }

  @Test func codableRoundTrip() throws {
    var theta: [Float] = [1, 2]
    var sgd = SGD<Float>(parameterCount: 2, learningRate: 0.5, momentum: 0.5)
    sgd.update(parameters: &theta, gradient: [1, -1])
    let restored = try JSONDecoder().decode(SGD<Float>.self, from: try JSONEncoder().encode(sgd))
    #expect(restored == sgd)
  }
}
