// The variants of `cm compare --variants` / `--ablation`, the spread over seeds and the verdicts,
// and `runVariants` on the tiny budget.

import CMCore
import CMData
import CMTeacher
import Testing

@testable import CMExperiments
@testable import CMTraining

@Suite struct VariantTests {
  /// The ladder starts at CM's CT, ends at iCT, and each row sets exactly one more option to iCT's
  /// value, in the paper's order; nothing else differs between rows.
  @Test func ablationAddsOneChangeAtATimeInThePapersOrder() throws {
    let budget = ComparisonBudget.named(.ablation)
    let configs = ComparisonVariant.ablation.map {
      $0.trainingConfig(budget: budget, dataset: .ring8, seed: 7)
    }
    #expect(ComparisonVariant.ablation.first?.key == "ct-cm" && ComparisonVariant.ablation.last?.key == "ict")
    #expect(configs.count == ICTOption.allCases.count + 1)
    for (i, config) in configs.enumerated() {
      for (j, option) in ICTOption.allCases.enumerated() {
        #expect(config.setting(of: option) == (j < i ? .ict : .cm), "row \(i), \(option)")
      }
      #expect(config.totalSteps == budget.steps && config.batchSize == budget.batchSize && config.seed == 7)
      #expect(config.hiddenWidths == budget.hiddenWidths && config.learningRate == budget.learningRate)
    }
    // The last row is the ict preset's options on the budget's size.
    var ict = TrainingConfig.preset(.ict)
    ict.totalSteps = budget.steps
    ict.batchSize = budget.batchSize
    ict.learningRate = budget.learningRate
    ict.hiddenWidths = budget.hiddenWidths
    ict.seed = 7
    ict.logEvery = configs.last!.logEvery
    #expect(configs.last == ict)
  }

  @Test func namedVariants() throws {
    #expect(ComparisonVariant.named("ct-cm+pairs+weighting")?.ictOptions == [.weighting, .pairs])
    #expect(ComparisonVariant.named("ct-cm+pairs+pairs") == nil)
    #expect(ComparisonVariant.named("ct-cm+") == nil)
    #expect(ComparisonVariant.named("ict+weighting") == nil)
    #expect(ComparisonVariant.named("cd-edm")?.teacher == .edm)
    let tuned = try #require(ComparisonVariant.named("ict-tuned"))
    let config = tuned.trainingConfig(budget: .named(.tiny), dataset: .ring8, seed: 0)
    #expect(config.initializeFromTeacher && config.method == .ct && config.setting(of: .pairs) == .ict)
    let cd = try #require(ComparisonVariant.named("cd-oracle"))
    #expect(
      cd.trainingConfig(budget: .named(.tiny), dataset: .ring8, seed: 0)
        == ComparisonBudget.named(.tiny).trainingConfig(method: .cd, dataset: .ring8, seed: 0))
  }

  /// Worked numbers: values 1, 2, 4 have mean 7/3 and sd √(7/3) (sum of squares 14/3 over n − 1 = 2).
  @Test func spreadAndChange() {
    let spread = Spread([1, 2, 4])
    #expect(abs(spread.mean - 7.0 / 3) <= 1e-15)
    #expect(abs(spread.sd - (7.0 / 3).squareRoot()) <= 1e-15)
    #expect(Spread([5]).sd == 0)
    // Every seed better by more than either row's sd: beyond the noise.
    let a = Spread([1.0, 1.1, 0.9])
    let better = VariantComparison.Change(from: a, to: Spread([0.5, 0.62, 0.41]))
    #expect(better.isBeyondSeedNoise && abs(better.mean - (-0.49)) <= 1e-12)
    // Seeds that disagree, or a mean change smaller than the spread: within the noise.
    #expect(!VariantComparison.Change(from: a, to: Spread([0.8, 1.2, 0.7])).isBeyondSeedNoise)
    #expect(!VariantComparison.Change(from: a, to: Spread([0.95, 1.05, 0.85])).isBeyondSeedNoise)
    #expect(!VariantComparison.Change(from: Spread([1]), to: Spread([0.1])).isBeyondSeedNoise)
  }

  /// Tiny budget, two variants (one needing the EDM teacher), two seeds: one row per variant, one
  /// value per seed; a seed's numbers do not depend on the other seeds or variants (a run of
  /// ct-cm alone from seed 2 gives the same row entry).
  @Test func runVariantsOnTheTinyBudget() throws {
    let variants = ["ct-cm", "ct-tuned"].map { ComparisonVariant.named($0)! }
    let both = try runVariants(
      dataset: .ring8, budget: .named(.tiny), variants: variants, seeds: [1, 2], command: "test")
    #expect(both.rows.map(\.key) == ["ct-cm", "ct-tuned"] && both.teacherTrained && !both.isAblation)
    for row in both.rows {
      #expect(row.perSeed.count == 2 && row.sw1OneStep.values.count == 2)
      #expect(row.perSeed.allSatisfy { $0.sw1OneStep > 0 && $0.consistencyError > 0 })
    }
    #expect(both.noiseFloor.values.count == 2 && both.ictAgainstCM() == nil)
    #expect(both.table().contains("CT tuned from EDM") && both.markdown().contains("| ct-tuned | 2 |"))
    let alone = try runVariants(
      dataset: .ring8, budget: .named(.tiny), variants: [variants[0]], seeds: [2], command: "test")
    #expect(!alone.teacherTrained)
    #expect(alone.rows[0].perSeed[0].sw1OneStep == both.rows[0].perSeed[1].sw1OneStep)
    #expect(alone.rows[0].perSeed[0].sw1TwoStep == both.rows[0].perSeed[1].sw1TwoStep)
  }
}
