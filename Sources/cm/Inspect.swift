// `cm inspect …`: evaluate one formula of the papers on given inputs and print it as JSON.
//
// Each subcommand is one concept of CMCore, named after the seed pseudocode's function where it
// has one (karras_schedule, timestep_schedule, ema_decay_schedule, skip_scaling, …), so that a
// researcher can check one line of their training loop against exact numbers.

import ArgumentParser

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate one formula of the papers and print it as one line of JSON.",
    discussion: """
      Numbers are printed in their shortest round-trip form, so json.loads gives back the \
      same float64. Negative values can be written as they are (--p-mean -1.1, --x -1,2).
      """,
    subcommands: [
      InspectKarras.self,  // karras_schedule
      InspectCurriculum.self,  // timestep_schedule
      InspectEMADecay.self,  // ema_decay_schedule
      InspectScalings.self,  // skip_scaling, output_scaling, c_in, c_noise
      InspectDistance.self,  // distance_metric
      InspectLognormal.self,  // iCT's pair-index distribution and loss weighting
      InspectPair.self,  // current_noisy_data / next_noisy_data, or the CD solver step
    ])
}
