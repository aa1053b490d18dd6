#include "trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fmt/core.h>
#include <numeric>
#include <random>
#include <unistd.h>

namespace dwspice::train {

namespace {

constexpr int evaluationChunk = 1000;

// Uniform doubles in [0, 1) from the 64-bit engine, written out so the
// sequence does not depend on the standard library's distributions.
double unit(std::mt19937_64 &random) {
  return static_cast<double>(random() >> 11) * 0x1.0p-53;
}
int uniformInt(std::mt19937_64 &random, int low, int high) { // inclusive
  return low + static_cast<int>(random() % static_cast<std::uint64_t>(high - low + 1));
}

void shuffle(std::vector<int> &order, std::mt19937_64 &random) {
  for (std::size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[static_cast<std::size_t>(random() % i)]);
  }
}

// One augmented training batch: each image shifted by (dx, dy) pixels
// (zeros shifted in) and optionally mirrored left-right.
Matrix augmentedBatch(const dataset::ImageSet &images, const std::vector<int> &order, std::size_t first,
                      int count, const TrainOptions &options, std::mt19937_64 &random) {
  const int rows = images.rows, cols = images.cols, pixels = rows * cols;
  Matrix x = Matrix::Zero(count, pixels + 1);
  x.col(pixels).setOnes();
  for (int b = 0; b < count; ++b) {
    const std::uint8_t *image = images.image(order[first + static_cast<std::size_t>(b)]);
    const int dx = options.maxShift > 0 ? uniformInt(random, -options.maxShift, options.maxShift) : 0;
    const int dy = options.maxShift > 0 ? uniformInt(random, -options.maxShift, options.maxShift) : 0;
    const bool flip = options.horizontalFlip && (random() & 1u) != 0;
    for (int r = 0; r < rows; ++r) {
      const int sourceRow = r - dy;
      if (sourceRow < 0 || sourceRow >= rows) {
        continue;
      }
      for (int c = 0; c < cols; ++c) {
        int sourceCol = c - dx;
        if (sourceCol < 0 || sourceCol >= cols) {
          continue;
        }
        if (flip) {
          sourceCol = cols - 1 - sourceCol;
        }
        x(b, r * cols + c) = image[sourceRow * cols + sourceCol] / 255.0;
      }
    }
  }
  return x;
}

struct AdamState {
  Matrix m, v;
  explicit AdamState(const Matrix &shape)
      : m(Matrix::Zero(shape.rows(), shape.cols())), v(Matrix::Zero(shape.rows(), shape.cols())) {}
};

// One Adam step (decoupled weight decay); latents stay in [−1, 1], the
// range the conductance pair can represent.
void adamStep(Matrix &u, const Matrix &gradient, AdamState &state, double rate, double decay, long step) {
  constexpr double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  state.m = beta1 * state.m + (1 - beta1) * gradient;
  state.v = beta2 * state.v + (1 - beta2) * gradient.cwiseAbs2();
  const double correction1 = 1 - std::pow(beta1, static_cast<double>(step));
  const double correction2 = 1 - std::pow(beta2, static_cast<double>(step));
  u.array() -= rate * ((state.m.array() / correction1) / ((state.v.array() / correction2).sqrt() + epsilon) +
                       decay * u.array());
  u = u.cwiseMax(-1.0).cwiseMin(1.0);
}

class Progress {
public:
  explicit Progress(bool enabled) : tty_(enabled && isatty(fileno(stderr)) != 0), enabled_(enabled) {}
  void batch(std::string_view stage, int epoch, int epochs, long done, long total, double loss) const {
    if (!tty_) {
      return;
    }
    const int width = 30;
    const int filled = static_cast<int>(width * done / std::max(total, 1L));
    fmt::print(stderr, "\r{} epoch {}/{} [{}{}] {:3d}% loss {:.4f}", stage, epoch, epochs,
               std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(width - filled), '.'),
               static_cast<int>(100 * done / std::max(total, 1L)), loss);
  }
  void epochDone(std::string_view stage, int epoch, int epochs, double loss, double seconds) const {
    if (!enabled_) {
      return;
    }
    fmt::print(stderr, "{}{} epoch {}/{}: mean loss {:.4f}, {:.1f} s\n", tty_ ? "\r\033[K" : "", stage, epoch,
               epochs, loss, seconds);
  }

private:
  bool tty_;
  bool enabled_;
};

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// One stage of Adam epochs with cosine learning-rate decay.
void runStage(std::string_view stage, const Network &network, const dataset::LabelledImages &train,
              Parameters &parameters, WeightMode mode, int epochs, double rate, const TrainOptions &options,
              std::mt19937_64 &random) {
  const int available = train.images.count;
  const int count = options.trainLimit > 0 ? std::min(options.trainLimit, available) : available;
  std::vector<int> order(static_cast<std::size_t>(count));
  std::iota(order.begin(), order.end(), 0);
  const long batchesPerEpoch = (count + options.batchSize - 1) / options.batchSize;
  const long totalSteps = batchesPerEpoch * epochs;
  AdamState adam1(parameters.u1), adam2(parameters.u2);
  Progress progress(options.progress);
  Parameters gradient;
  std::vector<std::uint8_t> labels;
  long step = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    shuffle(order, random);
    double lossSum = 0;
    for (long batch = 0; batch < batchesPerEpoch; ++batch) {
      const auto first = static_cast<std::size_t>(batch * options.batchSize);
      const int size = static_cast<int>(std::min<long>(options.batchSize, count - batch * options.batchSize));
      const Matrix x = augmentedBatch(train.images, order, first, size, options, random);
      labels.resize(static_cast<std::size_t>(size));
      for (int b = 0; b < size; ++b) {
        labels[static_cast<std::size_t>(b)] = train.labels[static_cast<std::size_t>(order[first + b])];
      }
      const double loss = network.lossAndGradient(x, labels, parameters, mode, gradient);
      lossSum += loss;
      ++step;
      // Cosine decay from `rate` to rate/50 over the stage.
      const double progressFraction = static_cast<double>(step - 1) / static_cast<double>(totalSteps);
      const double currentRate = rate * (0.02 + 0.98 * 0.5 * (1 + std::cos(M_PI * progressFraction)));
      adamStep(parameters.u1, gradient.u1, adam1, currentRate, options.weightDecay, step);
      adamStep(parameters.u2, gradient.u2, adam2, currentRate, options.weightDecay, step);
      if (batch % 20 == 0) {
        progress.batch(stage, epoch, epochs, batch, batchesPerEpoch,
                       lossSum / static_cast<double>(batch + 1));
      }
    }
    progress.epochDone(stage, epoch, epochs, lossSum / static_cast<double>(batchesPerEpoch), seconds(start));
  }
}

} // namespace

Matrix inputMatrix(const dataset::ImageSet &images, int first, int count) {
  const int pixels = images.pixelsPerImage();
  Matrix x(count, pixels + 1);
  for (int b = 0; b < count; ++b) {
    const std::uint8_t *image = images.image(first + b);
    for (int p = 0; p < pixels; ++p) {
      x(b, p) = image[p] / 255.0;
    }
    x(b, pixels) = 1.0;
  }
  return x;
}

Evaluation evaluate(const Network &network, const Conductances &g, const dataset::LabelledImages &test) {
  Evaluation result;
  const int count = test.images.count;
  result.readout.resize(count, network.outputs());
  for (int first = 0; first < count; first += evaluationChunk) {
    const int size = std::min(evaluationChunk, count - first);
    result.readout.middleRows(first, size) = network.readout(inputMatrix(test.images, first, size), g);
  }
  result.predictions = argmaxRows(result.readout);
  int correct = 0;
  for (int i = 0; i < count; ++i) {
    const int label = test.labels[static_cast<std::size_t>(i)];
    const int predicted = result.predictions[static_cast<std::size_t>(i)];
    correct += predicted == label ? 1 : 0;
    if (label < 10 && predicted < 10) {
      ++result.confusion[static_cast<std::size_t>(label)][static_cast<std::size_t>(predicted)];
    }
  }
  result.accuracyPercent = count > 0 ? 100.0 * correct / count : 0.0;
  return result;
}

Parameters initialParameters(const Network &network, const dataset::ImageSet &images, std::uint64_t seed,
                             bool report) {
  std::mt19937_64 random(seed ^ 0x5eed5eedULL);
  Parameters parameters;
  parameters.u1.resize(network.inputs() + 1, network.hidden());
  parameters.u2.resize(network.hidden() + 1, network.outputs());
  for (double &value : parameters.u1.reshaped()) {
    value = 2 * unit(random) - 1;
  }
  for (double &value : parameters.u2.reshaped()) {
    value = 2 * unit(random) - 1;
  }
  // Scale each layer so its column currents on sample images have a spread
  // of half the rising range of the table that reads them.
  const int sample = std::min(images.count, 512);
  const Matrix x = inputMatrix(images, 0, sample);
  auto spread = [](const Matrix &values) {
    const double mean = values.mean();
    return std::sqrt((values.array() - mean).square().mean());
  };
  const auto [hiddenLow, hiddenHigh] = network.tables().hiddenPlus.activeRange();
  const double hiddenSpread =
      spread(network.hiddenCurrents(x, network.conductances(parameters, WeightMode::Continuous)));
  if (hiddenSpread > 0) {
    parameters.u1 *= std::min(1.0, 0.5 * (hiddenHigh - hiddenLow) / hiddenSpread);
  }
  const auto [outputLow, outputHigh] = network.tables().output.activeRange();
  const double outputSpread =
      spread(network.outputCurrents(x, network.conductances(parameters, WeightMode::Continuous)));
  if (outputSpread > 0) {
    parameters.u2 *= std::min(1.0, 0.5 * (outputHigh - outputLow) / outputSpread);
  }
  if (report) {
    const auto g = network.conductances(parameters, WeightMode::Continuous);
    const Matrix i1 = network.hiddenCurrents(x, g);
    const Matrix i2 = network.outputCurrents(x, g);
    fmt::print(stderr,
               "initial weights: |U1| <= {:.3f}, I1 mean {:.2f} uA sd {:.2f} uA ({:.0f} % above the hidden "
               "threshold); |U2| <= {:.3f}, I2 mean {:.2f} uA sd {:.2f} uA ({:.0f} % on the output curve's "
               "rising part)\n",
               parameters.u1.cwiseAbs().maxCoeff(), i1.mean(), spread(i1),
               100 * (i1.array() > hiddenLow).cast<double>().mean(), parameters.u2.cwiseAbs().maxCoeff(),
               i2.mean(), spread(i2),
               100 * ((i2.array() > outputLow) && (i2.array() < outputHigh)).cast<double>().mean());
    // What the hardware can reach at all (every weight at ±ΔG, every hidden
    // output saturated): when a table's rising part lies near or beyond this,
    // the weights pile up at the clamp and accuracy suffers.
    const double reach1 = network.constants().vread * network.quantizer1().span() *
                          x.leftCols(network.inputs()).rowwise().sum().mean();
    const double reach2 =
        network.hidden() * network.tables().hiddenPlus.maxY() * network.quantizer2().span() +
        network.constants().vbias2 * network.quantizer2().span();
    fmt::print(
        stderr,
        "reach: |I1| <= {:.1f} uA for the mean image (hidden curve rises over {:.2f}..{:.2f} uA), |I2| <= "
        "{:.2f} uA (output curve rises over {:.3f}..{:.3f} uA)\n",
        reach1, hiddenLow, hiddenHigh, reach2, outputLow, outputHigh);
  }
  return parameters;
}

TrainResult trainNetwork(const Network &network, const dataset::LabelledImages &train,
                         const dataset::LabelledImages &test, const TrainOptions &options) {
  std::mt19937_64 random(options.seed);
  TrainResult result;
  Parameters parameters = initialParameters(network, train.images, options.seed, options.progress);

  runStage("fp32", network, train, parameters, WeightMode::Continuous, options.epochs, options.learningRate,
           options, random);
  result.fp32 = parameters;
  result.fp32Accuracy =
      evaluate(network, network.conductances(parameters, WeightMode::Continuous), test).accuracyPercent;
  result.quantized1 = network.quantize1(parameters.u1);
  result.quantized2 = network.quantize2(parameters.u2);
  result.quantizedAccuracy =
      evaluate(network, network.conductances(result.quantized1, result.quantized2), test).accuracyPercent;
  if (options.progress) {
    fmt::print(stderr, "fp32 test accuracy {:.2f} %, directly quantised {:.2f} %\n", result.fp32Accuracy,
               result.quantizedAccuracy);
  }

  runStage("finetune", network, train, parameters, WeightMode::Quantized, options.finetuneEpochs,
           options.finetuneLearningRate, options, random);
  result.finetuned = parameters;
  result.finetuned1 = network.quantize1(parameters.u1);
  result.finetuned2 = network.quantize2(parameters.u2);
  result.finetunedEvaluation =
      evaluate(network, network.conductances(result.finetuned1, result.finetuned2), test);
  result.finetunedAccuracy = result.finetunedEvaluation.accuracyPercent;
  if (options.progress) {
    fmt::print(stderr, "fine-tuned (quantised) test accuracy {:.2f} %\n", result.finetunedAccuracy);
  }
  return result;
}

} // namespace dwspice::train
