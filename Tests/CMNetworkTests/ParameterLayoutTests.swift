import Testing

@testable import CMNetwork

@Suite struct ParameterLayoutTests {
  @Test func consistencyModelNetworkHas33794Parameters() {
    let layout = ParameterLayout(inputDim: 3, hiddenWidths: [128, 128, 128], outputDim: 2)
    #expect(layout.widths == [3, 128, 128, 128, 2])
    #expect(layout.layerCount == 4)
    #expect(layout.count == 33_794)
    #expect(layout.weightOffset(layer: 0) == 0)
    #expect(layout.biasOffset(layer: 0) == 384)
    #expect(layout.weightOffset(layer: 1) == 512)
    #expect(layout.biasRange(layer: 3) == 33_792..<33_794)
  }

  @Test func rangesTileTheVectorInOrder() {
    let layout = ParameterLayout(inputDim: 3, hiddenWidths: [5, 4], outputDim: 2)
    var next = 0
    for l in 0..<layout.layerCount {
      #expect(layout.weightRange(layer: l).lowerBound == next)
      #expect(layout.weightRange(layer: l).count == layout.fanOut(layer: l) * layout.fanIn(layer: l))
      #expect(layout.biasRange(layer: l).lowerBound == layout.weightRange(layer: l).upperBound)
      #expect(layout.biasRange(layer: l).count == layout.fanOut(layer: l))
      next = layout.biasRange(layer: l).upperBound
    }
    #expect(next == layout.count)
    #expect(layout.count == (3 * 5 + 5) + (5 * 4 + 4) + (4 * 2 + 2))
  }

  @Test func noHiddenLayerIsOneLinearLayer() {
    let layout = ParameterLayout(inputDim: 2, hiddenWidths: [], outputDim: 3)
    #expect(layout.layerCount == 1)
    #expect(layout.count == 9)
  }
}
