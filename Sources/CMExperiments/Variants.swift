// The contestants of `cm compare --variants` and `--ablation`: named training configurations,
// every one trained on the same budget from the same seeds.

import CMCore
import CMData
import CMTeacher
import CMTraining

/// One named training configuration of `cm compare --variants`.
///
/// ```
/// ct                  the toy default CT (the `default` preset: iCT's options)
/// ct-mix              the earlier toy default, `TrainingConfig()`: pseudo-Huber, λ = 1/Δt,
///                     uniform pairs, √ curriculum with s₁ = 40, EMA target
/// ct-cm               CM's CT: every iCT option at CM's value (the `cm` preset)
/// ict                 improved consistency training: every option at iCT's value (`ict`)
/// ct-cm+OPT[+OPT…]    CM's CT with the named options at iCT's value
///                     (OPT: weighting, target, distance, curriculum, pairs)
/// ct-tuned, ict-tuned consistency tuning: ct or ict from the EDM teacher's weights
/// cd-oracle, cd-edm   CD (Algorithm 2) with the exact or the pre-trained EDM teacher
/// ```
public struct ComparisonVariant: Sendable, Equatable, Codable {
  /// The name on the command line (and in the summary).
  public var key: String
  /// A short title for tables and the bar chart.
  public var title: String
  /// CT or CD.
  public var method: TrainingMethod
  /// CD's teacher, or the EDM teacher whose weights start a tuned CT run; nil for plain CT.
  public var teacher: TeacherKind?
  /// CT only: the preset the variant starts from and the iCT options it then sets to iCT's value.
  public var base: TrainingConfig.Preset
  /// The iCT options set to iCT's value on top of `base`, in the order given.
  public var ictOptions: [ICTOption]
  /// CT only: start from `TrainingConfig()`'s fields (the earlier toy mix) instead of the preset.
  public var mix: Bool

  /// Which teacher a variant needs.
  public enum TeacherKind: String, Sendable, Codable {
    /// The exact denoiser of the data.
    case oracle
    /// An EDM diffusion model pre-trained on the data.
    case edm
  }

  /// The variant named `key`, or nil (the caller lists `ComparisonVariant.examples`).
  public static func named(_ key: String) -> ComparisonVariant? {
    switch key {
    case "ct": return ComparisonVariant(key: key, title: "CT (toy default)", method: .ct, base: .default)
    case "ct-mix":
      return ComparisonVariant(key: key, title: "CT, earlier toy mix", method: .ct, base: .default, mix: true)
    case "ct-cm": return ComparisonVariant(key: key, title: "CM's CT", method: .ct, base: .cm)
    case "ict": return ComparisonVariant(key: key, title: "iCT", method: .ct, base: .ict)
    case "ct-tuned":
      return ComparisonVariant(
        key: key, title: "CT tuned from EDM", method: .ct, teacher: .edm, base: .default)
    case "ict-tuned":
      return ComparisonVariant(key: key, title: "iCT tuned from EDM", method: .ct, teacher: .edm, base: .ict)
    case "cd-oracle":
      return ComparisonVariant(
        key: key, title: "CD (oracle teacher)", method: .cd, teacher: .oracle, base: .default)
    case "cd-edm":
      return ComparisonVariant(
        key: key, title: "CD (EDM teacher)", method: .cd, teacher: .edm, base: .default)
    default:
      let parts = key.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
      guard parts.count >= 2, parts[0] == "ct-cm" else { return nil }
      let options = parts.dropFirst().compactMap(ICTOption.init(rawValue:))
      guard options.count == parts.count - 1, Set(options).count == options.count else { return nil }
      // The options in the paper's order, whatever order the key names them in.
      let ordered = ICTOption.allCases.filter(options.contains)
      return ComparisonVariant(
        key: key, title: "CM's CT + " + ordered.map(\.shortTitle).joined(separator: ", "), method: .ct,
        base: .cm, ictOptions: ordered)
    }
  }

  init(
    key: String, title: String, method: TrainingMethod, teacher: TeacherKind? = nil,
    base: TrainingConfig.Preset, ictOptions: [ICTOption] = [], mix: Bool = false
  ) {
    self.mix = mix
    self.key = key
    self.title = title
    self.method = method
    self.teacher = teacher
    self.base = base
    self.ictOptions = ictOptions
  }

  /// The ablation of `cm compare --ablation`: CM's CT, then iCT's changes added one at a time in
  /// the paper's order (§3.1 weighting, §3.2 μ = 0, §3.3 pseudo-Huber, §3.4 exponential
  /// curriculum, §3.5 lognormal pairs); the last row is iCT.
  public static let ablation: [ComparisonVariant] = (0...ICTOption.allCases.count).map { count in
    let added = ICTOption.allCases.prefix(count)
    guard let last = added.last else { return named("ct-cm")! }
    let isICT = count == ICTOption.allCases.count
    var variant = named(isICT ? "ict" : "ct-cm+" + added.map(\.rawValue).joined(separator: "+"))!
    variant.title = "+ \(last.shortTitle) (\(last.section))" + (isICT ? " = iCT" : "")
    return variant
  }

  /// Names to show in an error message.
  public static let examples =
    "ct, ct-mix, ct-cm, ict, ct-cm+OPT[+OPT…] (OPT: \(ICTOption.allCases.map(\.rawValue).joined(separator: ", "))), ct-tuned, ict-tuned, cd-oracle, cd-edm"

  /// The training configuration of this variant under `budget`: the budget's K, B, η and widths
  /// (as every run of `cm compare`), the variant's preset and options.
  public func trainingConfig(budget: ComparisonBudget, dataset: Dataset, seed: UInt64) -> TrainingConfig {
    var config = budget.trainingConfig(method: method, dataset: dataset, seed: seed)
    if method == .ct {
      switch base {
      case .cm, .ict: config.apply(base == .cm ? .cm : .ict)
      case .default, .tiny: break
      }
      if mix {
        let fields = TrainingConfig()
        config.schedule = fields.schedule
        config.metric = fields.metric
        config.weighting = fields.weighting
        config.pairSampling = fields.pairSampling
      }
      for option in ictOptions { config.set(option, to: .ict) }
      config.initializeFromTeacher = teacher == .edm
    }
    return config
  }
}

extension ICTOption {
  /// The change in a few words, for table rows and bar labels.
  public var shortTitle: String {
    switch self {
    case .weighting: return "λ = 1/Δt"
    case .target: return "μ = 0"
    case .distance: return "pseudo-Huber"
    case .curriculum: return "exp. curriculum"
    case .pairs: return "lognormal pairs"
    }
  }
}
