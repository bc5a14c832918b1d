// `cm inspect distance`: d(x, y) for one sample (`distance_metric` in the seed pseudocode).

import ArgumentParser
import ConsistencyModels

struct InspectDistance: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "distance",
    abstract: "The per-sample distance d(x, y) of CM Eq. 7 or iCT §3.3.",
    discussion: """
      l2            (1/D) Σᵢ (xᵢ − yᵢ)²      squared L2, averaged over D dimensions
      l1            (1/D) Σᵢ |xᵢ − yᵢ|
      pseudo-huber  √(‖x − y‖₂² + c²) − c    on the sample's norm, not per element

      c defaults to iCT's 0.00054 · √D and must be > 0 (c = 0 would be the plain norm ‖x − y‖, \
      a different metric).

      Example: cm inspect distance --x 1,2 --y 0,0 --metric l1
               {"distance":1.5}
      """)

  @Option(parsing: .unconditional, help: "x, comma-separated (e.g. 1,-2).")
  var x: String

  @Option(parsing: .unconditional, help: "y, comma-separated, as many entries as x.")
  var y: String

  @Option(
    parsing: .unconditional, help: "l2, l1 or pseudo-huber.", transform: MetricChoice.parser("--metric"))
  var metric: MetricChoice = .l2

  @Option(parsing: .unconditional, help: "Pseudo-Huber's c (> 0; default: 0.00054 · √dim).")
  var c: String?

  func run() throws {
    let x = try vector(self.x, flag: "--x")
    let y = try vector(self.y, flag: "--y")
    try requireSameLength(y, "--y", as: x, "--x")
    let metric: DistanceMetric
    switch self.metric {
    case .l2: metric = .squaredL2
    case .l1: metric = .l1
    case .pseudoHuber:
      let c = try self.c.map { try real($0, flag: "--c", .positive) } ?? pseudoHuberC(dimension: x.count)
      metric = .pseudoHuber(c: c)
    }
    try printJSON(["distance": .number(distance(x, y, metric: metric))])
  }
}
