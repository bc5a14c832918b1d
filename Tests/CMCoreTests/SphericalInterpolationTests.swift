import CMCore
import Foundation
import Testing
import _TestSupport

@Test func slerpWorkedNumber() {
  let z = sphericalInterpolation([1, 0], [0, 1], alpha: 0.5)
  expectClose(z, [Double(0.5).squareRoot(), Double(0.5).squareRoot()], abs: 1e-15, rel: 1e-15)
}

@Test func slerpEndsAreTheEndpoints() {
  let z1 = [0.3, -1.2, 2.0]
  let z2 = [-0.7, 0.4, 1.1]
  expectClose(sphericalInterpolation(z1, z2, alpha: 0), z1, abs: 1e-15, rel: 1e-14)
  expectClose(sphericalInterpolation(z1, z2, alpha: 1), z2, abs: 1e-15, rel: 1e-14)
}

@Test func slerpOfEqualNormsStaysOnTheSphereAtConstantSpeed() {
  let z1 = [3.0, 4.0]  // norm 5
  let z2 = [-5.0, 0.0]  // norm 5
  let psi = acos((3.0 * -5.0) / 25)
  for alpha in stride(from: 0.0, through: 1.0, by: 0.125) {
    let z = sphericalInterpolation(z1, z2, alpha: alpha)
    #expect(isClose((z[0] * z[0] + z[1] * z[1]).squareRoot(), 5, abs: 1e-13))
    // The angle to z₁ is αψ.
    let angle = acos(min(1, max(-1, (z[0] * 3 + z[1] * 4) / 25)))
    #expect(isClose(angle, alpha * psi, abs: 1e-7))
  }
}

@Test func slerpOfParallelVectorsIsTheStraightLine() {
  let z = sphericalInterpolation([1, 1], [2, 2], alpha: 0.25)
  expectClose(z, [1.25, 1.25], abs: 1e-15, rel: 1e-15)
}
