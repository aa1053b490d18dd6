// Reader for the trainer's `<stem>.weights` file (format in the shared MNIST
// spec and tools/train/README.md): per layer, the notch state of the G+ and
// the G- synapse of every weight.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dwspice::mnist {

// One crossbar: rows x cols signed weights, each a (G+ state, G- state) pair.
struct WeightLayer {
  int rows = 0;
  int cols = 0;
  std::vector<std::uint8_t> plusState;  // row-major, rows*cols
  std::vector<std::uint8_t> minusState; // row-major, rows*cols

  [[nodiscard]] int plus(int row, int col) const { return plusState[index(row, col)]; }
  [[nodiscard]] int minus(int row, int col) const { return minusState[index(row, col)]; }

private:
  [[nodiscard]] std::size_t index(int row, int col) const {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(col);
  }
};

struct CrossbarWeights {
  std::string dataset; // "mnist" or "fashion"
  int notches = 0;
  int inputs = 0;
  int hidden = 0;
  int outputs = 0;
  double vread = 0.0;
  double vbias2 = 0.0;
  std::vector<double> levels1; // S, states 0..notches
  std::vector<double> levels2;
  WeightLayer layer1; // (inputs + 1) x hidden, bias row last
  WeightLayer layer2; // (hidden + 1) x outputs, bias row last
};

// Reads and validates a weights file with the trainer's reader
// (tools/train/weights_file.hpp). Throws UserError naming the file and line
// for anything malformed: unknown or missing header keys, wrong layer shapes,
// states outside 0..notches, levels not strictly rising, trailing text.
CrossbarWeights readCrossbarWeights(const std::filesystem::path &file);

} // namespace dwspice::mnist
