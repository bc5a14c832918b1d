import ArgumentParser
import ConsistencyModels

@main
struct CM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cm",
    abstract: "Consistency models, step by step: inspect, train, sample, compare.",
    subcommands: [])
}
