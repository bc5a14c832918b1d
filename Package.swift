// swift-tools-version:6.1
// The manifest mirrors the layers of STYLE.md: each target imports only the ones above it in this list.
//
//   CMCore            pure math in Double: schedules, scalings, distances, weighting, RNG, EMA,
//                     ODE steps, exact Gaussian answers, the trace hook
//   CMStorage         files that never destroy anything: atomic writes, the checkpoint format
//   CMData            seeded 2-D datasets, each with its exact denoiser where one exists
//   CMNetwork         the MLP F_θ (each layer's forward beside its backward) and optimisers
//   CBLAS             OpenBLAS's matrix product (Debian libopenblas-dev), used by CMNetwork
//   CMKernels         hand-written Float layer kernels in C (AVX-512F / AVX2 / portable, chosen at
//                     run time), CMNetwork's fast path
//   CMMetrics         sample-quality metrics (sliced Wasserstein-1, energy distance)
//   CMTeacher         CD's frozen teacher: the exact oracle, or the EDM diffusion model with its
//                     pre-training, its Heun sampler and its checkpoint
//   CMTraining        CT and CD steps (siblings), the one run driver, the consistency sampler,
//                     checkpoints, the trace values
//   CMExperiments     experiments built from the above: the CD-versus-CT comparison, which
//                     returns one value that `cm compare` writes and plots
//   ConsistencyModels umbrella that re-exports the library for tutorials and users
//   CMAllocationCounter  counts the process's heap allocations (malloc interposition), for cm bench
//   CMBench           what cm bench measures: steps/s, GFLOP/s against the SGEMM peak, allocations
//   cm                the command-line tool: one thin file per subcommand (parse, call, write)
//   TutorialKit       the pause / print helpers shared by the numbered tutorials
//   TutorialFigures   where a tutorial writes its figures (out/tutorials/NAME.gp and .png), via Plotting
//   GnuplotBridge     C++ over gnuplot-iostream (Debian libgnuplot-iostream-dev) behind a C API
//   Plotting          gnuplot scripts with inline data (.gp beside its .png), and rendering them
//   _TestSupport      fixture loading, approximate equality, running an executable
import PackageDescription

/// The numbered tutorials, in reading order: (folder under Tutorials/, target name).
let tutorials: [(folder: String, target: String)] = [
  ("00-WhatIsAConsistencyModel", "Tutorial00WhatIsAConsistencyModel"),
  ("01-Curriculum", "Tutorial01Curriculum"),
  ("02-KarrasGrid", "Tutorial02KarrasGrid"),
  ("03-NoisyPair", "Tutorial03NoisyPair"),
  ("04-ConsistencyFunction", "Tutorial04ConsistencyFunction"),
  ("05-Distances", "Tutorial05Distances"),
  ("06-TargetEMA", "Tutorial06TargetEMA"),
  ("07-CTStep", "Tutorial07CTStep"),
  ("08-Sampling", "Tutorial08Sampling"),
  ("09-CDOrCT", "Tutorial09CDOrCT"),
  ("10-SeedAsWritten", "Tutorial10SeedAsWritten"),
  ("11-ConditionalSampling", "Tutorial11ConditionalSampling"),
  ("12-Interpolation", "Tutorial12Interpolation"),
]

/// The library's layers. Executables that import only the umbrella also name these directly: an
/// incremental build then recompiles them when a layer's interface changes (through the umbrella
/// alone it did not, and a stale binary crashed).
let libraryLayers: [Target.Dependency] = [
  "CMCore", "CMStorage", "CMData", "CMNetwork", "CMMetrics", "CMTeacher", "CMTraining", "CMExperiments",
]

let swiftSettings: [SwiftSetting] = [
  .swiftLanguageMode(.v6)
]

let package = Package(
  name: "ConsistencyModels",
  products: [
    .library(name: "ConsistencyModels", targets: ["ConsistencyModels"]),
    .library(name: "CMCore", targets: ["CMCore"]),
    .executable(name: "cm", targets: ["cm"]),
  ] + tutorials.map { .executable(name: $0.target, targets: [$0.target]) },
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // `swift package generate-documentation` (the DocC catalogs in Sources/*/*.docc). A plugin
    // only: no target depends on it, so `swift build` and `swift test` do not compile it.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .target(name: "CMCore", swiftSettings: swiftSettings),
    .systemLibrary(name: "CBLAS"),
    .target(name: "CMKernels"),
    .target(name: "CMAllocationCounter"),
    .target(name: "CMData", dependencies: ["CMCore"], swiftSettings: swiftSettings),
    .target(name: "CMNetwork", dependencies: ["CMCore", "CBLAS", "CMKernels"], swiftSettings: swiftSettings),
    .target(name: "CMMetrics", dependencies: ["CMCore", "CMData"], swiftSettings: swiftSettings),
    .target(name: "CMStorage", swiftSettings: swiftSettings),
    .target(
      name: "CMTeacher", dependencies: ["CMCore", "CMData", "CMNetwork", "CMStorage"],
      swiftSettings: swiftSettings),
    .target(
      name: "CMTraining", dependencies: ["CMCore", "CMData", "CMNetwork", "CMStorage", "CMTeacher"],
      swiftSettings: swiftSettings),
    .target(
      name: "CMBench",
      dependencies: [
        "CMAllocationCounter", "CMKernels", "CMCore", "CMNetwork", "CMData", "CMTeacher", "CMTraining",
      ],
      swiftSettings: swiftSettings),
    .target(
      name: "CMExperiments",
      dependencies: ["CMCore", "CMData", "CMNetwork", "CMMetrics", "CMStorage", "CMTeacher", "CMTraining"],
      swiftSettings: swiftSettings),
    .target(name: "ConsistencyModels", dependencies: libraryLayers, swiftSettings: swiftSettings),
    .target(name: "TutorialKit", swiftSettings: swiftSettings),
    .target(name: "TutorialFigures", dependencies: ["Plotting"], swiftSettings: swiftSettings),
    .target(
      name: "GnuplotBridge",
      linkerSettings: [
        .linkedLibrary("boost_iostreams"), .linkedLibrary("boost_filesystem"),
        .linkedLibrary("boost_system"),
      ]),
    .target(name: "Plotting", dependencies: ["GnuplotBridge"], swiftSettings: swiftSettings),
    .executableTarget(
      name: "cm",
      dependencies: [
        "ConsistencyModels", "Plotting", "CMBench",
      ] + libraryLayers + [
        .product(name: "ArgumentParser", package: "swift-argument-parser")
      ],
      swiftSettings: swiftSettings),
    .target(name: "_TestSupport", dependencies: ["CMCore"], swiftSettings: swiftSettings),
    .testTarget(
      name: "CMCoreTests", dependencies: ["CMCore", "_TestSupport"], swiftSettings: swiftSettings),
    .testTarget(
      name: "CMDataTests", dependencies: ["CMData", "_TestSupport"], swiftSettings: swiftSettings),
    .testTarget(
      name: "CMNetworkTests", dependencies: ["CMNetwork", "_TestSupport"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "CMMetricsTests", dependencies: ["CMMetrics", "_TestSupport"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "CMStorageTests", dependencies: ["CMStorage"], swiftSettings: swiftSettings),
    .testTarget(
      name: "CMTeacherTests", dependencies: ["CMTeacher", "CMStorage", "_TestSupport"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "CMTrainingTests", dependencies: ["CMTraining", "CMTeacher", "_TestSupport"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "CMExperimentsTests", dependencies: ["CMExperiments", "CMTraining", "CMTeacher", "_TestSupport"],
      swiftSettings: swiftSettings),
    .testTarget(
      name: "PlottingTests", dependencies: ["Plotting", "GnuplotBridge"],
      swiftSettings: swiftSettings),
    // The executables are dependencies so that `swift test` builds them before running them.
    .testTarget(
      name: "CLITests", dependencies: ["_TestSupport", "cm"], swiftSettings: swiftSettings),
    .testTarget(
      name: "TutorialTests", dependencies: ["_TestSupport"] + tutorials.map { .target(name: $0.target) },
      swiftSettings: swiftSettings),
  ]
    + tutorials.map {
      .executableTarget(
        name: $0.target,
        dependencies: ["ConsistencyModels", "TutorialKit", "TutorialFigures", "Plotting"] + libraryLayers,
        path: "Tutorials/\($0.folder)", exclude: ["README.md", "transcript.txt"],
        swiftSettings: swiftSettings)
    }
)
