// Teacher.swift: the two kinds of CD teacher behind one batched denoiser.

import CMCore
import CMData
import Testing

@testable import CMTeacher

@Suite struct TeacherTests {
  /// The worked number of `denoise`: the `gaussian` dataset's oracle at t = 0.5 halves x, row by
  /// row, each row at its own t.
  @Test func oracleWorkedNumber() throws {
    let teacher = Teacher.oracle(try #require(Dataset.gaussian.mixture))
    #expect(teacher.denoise(batch: [1, -2], t: [0.5]) == [0.5, -1])
    let rows = teacher.denoise(batch: [1, -2, 1, -2], t: [0.5, 0])
    #expect(rows[0] == 0.5 && rows[1] == -1)
    #expect(rows[2] == 1 && rows[3] == -2)  // t = 0: the point itself
    #expect(teacher.name == "oracle" && teacher.hiddenWidths == nil)
    #expect(teacher.initialWeights(hiddenWidths: [64, 64, 64]) == nil)
  }

  /// An EDM teacher is its network D_φ; its weights start a student only of the same widths.
  @Test func edmTeacherIsItsNetwork() {
    let model = DiffusionModel<Float>(hiddenWidths: [8, 8], sigmaData: 0.5)
    let phi = model.network.initialParameters(seed: 3)
    let teacher = Teacher.edm(EDMTeacher(model: model, parameters: phi))
    let x = [0.3, -0.7, 1.5, 0.2]
    #expect(teacher.denoise(batch: x, t: [0.4, 2]) == model(parameters: phi, x: x, sigma: [0.4, 2]))
    #expect(teacher.name == "edm" && teacher.hiddenWidths == [8, 8])
    #expect(teacher.initialWeights(hiddenWidths: [8, 8]) == phi)
    #expect(teacher.initialWeights(hiddenWidths: [8, 8, 8]) == nil)
  }
}
