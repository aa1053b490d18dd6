// The three training stages of dwtrain: FP32 (continuous conductance
// differences), direct quantisation to notch pairs, and fine-tuning with the
// quantiser in the forward pass (straight-through estimator on latent
// weights). Adam on mini-batches; deterministic for a given seed and thread
// count (the shuffles and shifts come from one seeded generator, and
// Eigen's parallel products split work the same way every run).
#pragma once

#include "dataset/idx.hpp"
#include "network.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace dwspice::train {

struct TrainOptions {
  int epochs = 30;        // FP32 stage
  int finetuneEpochs = 8; // quantisation in the loop
  int batchSize = 100;
  double learningRate = 1e-2;         // Adam, cosine decay to 1/50 over the stage
  double finetuneLearningRate = 2e-3; // same decay
  double weightDecay = 0;             // decoupled (AdamW), per step: u -= lr·decay·u
  int maxShift = 2;                   // augmentation: random shift by −maxShift..maxShift pixels
  bool horizontalFlip = false;        // augmentation: mirror half the images
  std::uint64_t seed = 1;
  int trainLimit = 0; // use only the first n training images (0 = all)
  bool progress = true;
};

struct Evaluation {
  Matrix readout;               // images x outputs, µA
  std::vector<int> predictions; // argmax, ties → lowest index
  double accuracyPercent = 0;
  std::array<std::array<int, 10>, 10> confusion{}; // rows = true label
};

struct TrainResult {
  Parameters fp32;                   // latent weights after the FP32 stage
  Parameters finetuned;              // latent weights after fine-tuning
  StatePairs quantized1, quantized2; // direct quantisation of fp32
  StatePairs finetuned1, finetuned2; // quantisation of the fine-tuned latents
  double fp32Accuracy = 0, quantizedAccuracy = 0, finetunedAccuracy = 0;
  Evaluation finetunedEvaluation;
};

// The network inputs for images [first, first + count): pixels / 255 and the
// bias column (1).
Matrix inputMatrix(const dataset::ImageSet &images, int first, int count);

Evaluation evaluate(const Network &network, const Conductances &g, const dataset::LabelledImages &test);

// Initial latent weights: uniform, scaled so that I1 and I2 of a sample of
// training images spread over the rising parts of the hidden and output
// tables. `report` prints the resulting spreads to stderr.
Parameters initialParameters(const Network &network, const dataset::ImageSet &images, std::uint64_t seed,
                             bool report = false);

TrainResult trainNetwork(const Network &network, const dataset::LabelledImages &train,
                         const dataset::LabelledImages &test, const TrainOptions &options);

} // namespace dwspice::train
