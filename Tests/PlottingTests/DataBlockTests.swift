// Tests of DataBlock.swift: names, shapes, and the inline numbers' round trip.
import Foundation
import Plotting
import Testing

@Suite struct DataBlockTests {
  @Test func rowsAndColumnsGiveTheSameBlock() {
    let byRows = DataBlock(name: "d", rows: [[1, 10], [2, 20], [3, 30]])
    let byColumns = DataBlock(name: "d", columns: [[1, 2, 3], [10, 20, 30]])
    #expect(byRows == byColumns)
    #expect(byRows.rowCount == 3)
    #expect(byRows.columns == 2)
    #expect(byRows.reference == "$d")
  }

  @Test func namesAreIdentifiers() {
    #expect(DataBlock.isValidName("panel_1"))
    #expect(DataBlock.isValidName("_x"))
    #expect(!DataBlock.isValidName("1panel"))
    #expect(!DataBlock.isValidName("a-b"))
    #expect(!DataBlock.isValidName(""))
    #expect(!DataBlock.isValidName("σ"))
  }

  @Test func inlineNumbersRoundTripBitForBit() throws {
    let values: [Double] = [
      0.1, 1.0 / 3, -2.0 / 7, .pi, 1e-300, .leastNonzeroMagnitude, .leastNormalMagnitude, -0.0,
      1e22, 123_456_789.123_456_78, .greatestFiniteMagnitude, 0.30000000000000004, -1,
    ]
    var script = PlotScript()
    script.add(DataBlock(name: "rt", columns: 1, values: values))
    let folder = try temporaryFolder()
    defer { removeFolder(folder) }
    let url = folder.appendingPathComponent("roundtrip.gp")
    try script.write(to: url)
    let lines = text(url).split(separator: "\n", omittingEmptySubsequences: false)
    let begin = try #require(lines.firstIndex(of: "$rt << EOD"))
    let end = try #require(lines[begin...].firstIndex(of: "EOD"))
    let read = lines[(begin + 1)..<end].map { Double(String($0)) }
    #expect(read.count == values.count)
    for (written, back) in zip(values, read) {
      #expect(
        back?.bitPattern == written.bitPattern,
        "\(written) read back as \(String(describing: back))")
    }
    // Shortest form: what Swift prints, up to Swift's trailing ".0".
    #expect(lines[begin + 1] == "0.1")
    #expect(lines[begin + 2] == "\(1.0 / 3)")
  }
}
