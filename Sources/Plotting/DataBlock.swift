// A named gnuplot data block: the table of numbers a script carries inline.
import Foundation

/// A table of numbers that a gnuplot script defines inline and plots by name, so that the `.gp`
/// file is complete on its own: edit it, run `gnuplot file.gp`, get the same figure.
///
/// Written by GnuplotBridge as gnuplot 5's named data block, one row per line, every number in
/// the shortest form that reads back to the same Double (std::to_chars, like Swift's
/// `description`):
///
/// ```
/// $loss << EOD
/// 0 0.5
/// 100 0.0831
/// EOD
/// plot $loss using 1:2 with lines
/// ```
///
/// Property: parsing the rows back gives bit-identical Doubles (the round trip a test pins).
public struct DataBlock: Sendable, Equatable {
  /// The name without `$`: a letter or `_`, then letters, digits and `_`.
  public let name: String
  /// Numbers per row.
  public let columns: Int
  /// The rows, concatenated (row-major): `values[i * columns + j]` is row i, column j.
  public let values: [Double]

  /// A block from its rows, each of `columns` numbers.
  public init(name: String, rows: [[Double]]) {
    let columns = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == columns }, "DataBlock \(name): ragged rows")
    self.init(name: name, columns: columns, values: rows.flatMap { $0 })
  }

  /// A block from its columns, each of the same length (e.g. `[steps, losses]`).
  public init(name: String, columns: [[Double]]) {
    let rowCount = columns.first?.count ?? 0
    precondition(columns.allSatisfy { $0.count == rowCount }, "DataBlock \(name): ragged columns")
    var values: [Double] = []
    values.reserveCapacity(rowCount * columns.count)
    for i in 0..<rowCount {
      for column in columns { values.append(column[i]) }
    }
    self.init(name: name, columns: columns.count, values: values)
  }

  /// A block from row-major values.
  public init(name: String, columns: Int, values: [Double]) {
    precondition(DataBlock.isValidName(name), "DataBlock name '\(name)' is not an identifier")
    precondition(columns > 0 || values.isEmpty, "DataBlock \(name): values without columns")
    precondition(columns == 0 || values.count % columns == 0, "DataBlock \(name): partial row")
    self.name = name
    self.columns = columns
    self.values = values
  }

  /// Rows in the block.
  public var rowCount: Int { columns == 0 ? 0 : values.count / columns }

  /// How a script refers to the block: `$name`.
  public var reference: String { "$" + name }

  /// Whether `name` can name a data block: a letter or `_`, then letters, digits and `_`.
  public static func isValidName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first == "_" || first.isASCIILetter else {
      return false
    }
    return name.unicodeScalars.allSatisfy { $0 == "_" || $0.isASCIILetter || $0.isASCIIDigit }
  }
}

extension Unicode.Scalar {
  fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
  fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
