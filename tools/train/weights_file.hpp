// The `<stem>.weights` file: the trained classifier as notch states of the
// G+/G- synapse pair of every weight (format: tools/train/README.md and the
// shared MNIST spec). dwtrain writes it; readWeightsFile reads it back.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dwspice::train {

// rows x cols weights, row-major; each the (G+ state, G- state) pair.
struct StatePairs {
  int rows = 0, cols = 0;
  std::vector<std::uint8_t> plus, minus;

  StatePairs() = default;
  StatePairs(int rowCount, int colCount)
      : rows(rowCount), cols(colCount), plus(static_cast<std::size_t>(rowCount * colCount)),
        minus(static_cast<std::size_t>(rowCount * colCount)) {}
  [[nodiscard]] std::size_t at(int row, int col) const {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(col);
  }
  bool operator==(const StatePairs &) const = default;
};

struct WeightsFile {
  std::string dataset; // mnist | fashion
  int notches = 0, inputs = 0, hidden = 0, outputs = 0;
  double vread = 0, vbias2 = 0;         // V
  std::vector<double> levels1, levels2; // S, states 0..notches
  StatePairs layer1;                    // (inputs + 1) x hidden, bias row last
  StatePairs layer2;                    // (hidden + 1) x outputs, bias row last
  bool operator==(const WeightsFile &) const = default;
};

void writeWeightsFile(const std::filesystem::path &file, const WeightsFile &weights);
// UserError (file:line) for anything malformed: version line, unknown or
// missing keys, shapes, states outside 0..notches, levels not rising.
WeightsFile readWeightsFile(const std::filesystem::path &file);

} // namespace dwspice::train
