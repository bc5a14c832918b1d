// `cm evaluate`: sample quality against the true data, beside its noise floor and a bad baseline.

import ArgumentParser
import ConsistencyModels
import Foundation

struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Sliced Wasserstein-1 and energy distance of samples (CSV) against a dataset, as JSON.",
    discussion: """
      Each metric comes with its noise floor (true data against an independent true sample of \
      the same size) and a bad baseline (a Gaussian with the data's mean and std).
      """)

  @Option(help: "A CSV file with an x,y header, as cm sample writes it.")
  var samples: String
  @Option(help: "The dataset: \(Dataset.names).", transform: Dataset.parser("--dataset"))
  var dataset: Dataset = .ring8
  @Option(help: "The seed of the reference samples.")
  var referenceSeed: String = "0"

  func run() throws {
    let referenceSeed = try unsigned(self.referenceSeed, flag: "--reference-seed")
    let points = try readSamplesCSV(samples, flag: "--samples")
    let report = EvaluationReport(generated: points, dataset: dataset, referenceSeed: referenceSeed)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
  }
}

/// Reads an `x,y` CSV into a flat row-major array; every problem names the flag and the line.
func readSamplesCSV(_ path: String, flag: String) throws -> [Double] {
  let text: String
  do {
    text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
  } catch {
    throw ValidationError("\(flag) \(path) cannot be read: \((error as NSError).localizedDescription)")
  }
  var lines = text.split(whereSeparator: \.isNewline).map(String.init)
  guard let header = lines.first, header.trimmingCharacters(in: .whitespaces) == "x,y" else {
    throw ValidationError("\(flag) \(path) must start with the header x,y")
  }
  lines.removeFirst()
  guard !lines.isEmpty else { throw ValidationError("\(flag) \(path) has no samples") }
  var points: [Double] = []
  points.reserveCapacity(2 * lines.count)
  for (i, line) in lines.enumerated() {
    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      .map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard fields.count == 2, let x = fields[0], let y = fields[1], x.isFinite, y.isFinite else {
      throw ValidationError("\(flag) \(path) line \(i + 2) is not two finite numbers: \(line)")
    }
    // The distances square differences: beyond 1e100 they would overflow to inf and NaN.
    guard abs(x) <= 1e100, abs(y) <= 1e100 else {
      throw ValidationError(
        "\(flag) \(path) line \(i + 2) has a value beyond ±1e100, too large to score: \(line)")
    }
    points += [x, y]
  }
  return points
}
