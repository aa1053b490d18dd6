// The weights file is read by the trainer's own reader (tools/train,
// dwspice_weights), so the writer and every reader share one parser; this
// adapter only converts to the generator's view.
#include "crossbar_weights.hpp"

#include "weights_file.hpp"

namespace dwspice::mnist {

namespace {

WeightLayer toLayer(const train::StatePairs &pairs) {
  WeightLayer layer;
  layer.rows = pairs.rows;
  layer.cols = pairs.cols;
  layer.plusState = pairs.plus;
  layer.minusState = pairs.minus;
  return layer;
}

} // namespace

CrossbarWeights readCrossbarWeights(const std::filesystem::path &file) {
  const train::WeightsFile read = train::readWeightsFile(file);
  CrossbarWeights weights;
  weights.dataset = read.dataset;
  weights.notches = read.notches;
  weights.inputs = read.inputs;
  weights.hidden = read.hidden;
  weights.outputs = read.outputs;
  weights.vread = read.vread;
  weights.vbias2 = read.vbias2;
  weights.levels1 = read.levels1;
  weights.levels2 = read.levels2;
  weights.layer1 = toLayer(read.layer1);
  weights.layer2 = toLayer(read.layer2);
  return weights;
}

} // namespace dwspice::mnist
