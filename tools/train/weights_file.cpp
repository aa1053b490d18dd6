#include "weights_file.hpp"

#include "core/diagnostics.hpp"

#include <charconv>
#include <fmt/core.h>
#include <fmt/os.h>
#include <fmt/std.h>
#include <fstream>
#include <sstream>

namespace dwspice::train {

namespace {

void writeLayer(fmt::ostream &out, std::string_view name, const StatePairs &layer) {
  out.print("{} {} {}\n", name, layer.rows, layer.cols);
  for (int row = 0; row < layer.rows; ++row) {
    std::string line;
    for (int col = 0; col < layer.cols; ++col) {
      const std::size_t i = layer.at(row, col);
      line += fmt::format("{}{}:{}", col == 0 ? "" : " ", layer.plus[i], layer.minus[i]);
    }
    out.print("{}\n", line);
  }
}

std::string joinLevels(const std::vector<double> &levels) {
  std::string text;
  for (const double g : levels) {
    text += fmt::format(" {}", g); // shortest round-trip representation
  }
  return text;
}

// Line-oriented reader: comments (#...) and blank lines skipped.
class Lines {
public:
  explicit Lines(const std::filesystem::path &file) : file_(file), in_(file) {
    if (!in_) {
      throw UserError(fmt::format("weights file {} not found", file));
    }
  }
  // Next meaningful line split into tokens; false at the end.
  bool next(std::vector<std::string> &tokens) {
    std::string line;
    while (std::getline(in_, line)) {
      ++number_;
      if (number_ == 1) {
        if (line.rfind("# dwspice-weights 1", 0) != 0) {
          fail("not a dwspice weights file (first line must be '# dwspice-weights 1')");
        }
        continue;
      }
      line = line.substr(0, line.find('#'));
      std::istringstream words(line);
      tokens.clear();
      for (std::string word; words >> word;) {
        tokens.push_back(word);
      }
      if (!tokens.empty()) {
        return true;
      }
    }
    if (number_ == 0) {
      fail("empty file");
    }
    return false;
  }
  [[noreturn]] void fail(const std::string &message) const {
    throw UserError(fmt::format("{}:{}: {}", file_, number_, message));
  }
  double number(const std::string &token) const {
    double value = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (error != std::errc() || end != token.data() + token.size()) {
      fail(fmt::format("'{}' is not a number", token));
    }
    return value;
  }
  int integer(const std::string &token, int low, int high) const {
    int value = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (error != std::errc() || end != token.data() + token.size() || value < low || value > high) {
      fail(fmt::format("'{}' is not an integer in {}..{}", token, low, high));
    }
    return value;
  }

private:
  std::filesystem::path file_;
  std::ifstream in_;
  int number_ = 0;
};

// The `rows` lines of `a:b` entries that follow a layer's header line.
StatePairs readLayerRows(Lines &lines, const std::string &name, int rows, int cols, int notches) {
  std::vector<std::string> tokens;
  StatePairs layer(rows, cols);
  for (int row = 0; row < rows; ++row) {
    if (!lines.next(tokens)) {
      lines.fail(fmt::format("{} ends after {} of {} rows", name, row, rows));
    }
    if (static_cast<int>(tokens.size()) != cols) {
      lines.fail(fmt::format("{} row {} has {} entries, expected {}", name, row, tokens.size(), cols));
    }
    for (int col = 0; col < cols; ++col) {
      const std::string &token = tokens[static_cast<std::size_t>(col)];
      const auto colon = token.find(':');
      if (colon == std::string::npos) {
        lines.fail(fmt::format("expected 'a:b' (G+ state:G- state), got '{}'", token));
      }
      layer.plus[layer.at(row, col)] =
          static_cast<std::uint8_t>(lines.integer(token.substr(0, colon), 0, notches));
      layer.minus[layer.at(row, col)] =
          static_cast<std::uint8_t>(lines.integer(token.substr(colon + 1), 0, notches));
    }
  }
  return layer;
}

// Checks a layer header line `name rows cols` already split into tokens.
void checkLayerHeader(const Lines &lines, const std::vector<std::string> &tokens, const std::string &name,
                      int rows, int cols) {
  if (tokens.size() != 3 || tokens[0] != name || lines.integer(tokens[1], 0, 1 << 20) != rows ||
      lines.integer(tokens[2], 0, 1 << 20) != cols) {
    lines.fail(fmt::format("expected '{} {} {}'", name, rows, cols));
  }
}

} // namespace

void writeWeightsFile(const std::filesystem::path &file, const WeightsFile &weights) {
  auto out = fmt::output_file(file.string());
  out.print("# dwspice-weights 1\n");
  out.print("dataset {}\nnotches {}\ninputs {}\nhidden {}\noutputs {}\n", weights.dataset, weights.notches,
            weights.inputs, weights.hidden, weights.outputs);
  out.print("vread {}\nvbias2 {}\n", weights.vread, weights.vbias2);
  out.print("levels1{}\nlevels2{}\n", joinLevels(weights.levels1), joinLevels(weights.levels2));
  writeLayer(out, "layer1", weights.layer1);
  writeLayer(out, "layer2", weights.layer2);
}

WeightsFile readWeightsFile(const std::filesystem::path &file) {
  Lines lines(file);
  WeightsFile weights;
  std::vector<std::string> tokens;
  bool haveVread = false, haveVbias2 = false;
  while (true) {
    if (!lines.next(tokens)) {
      lines.fail("missing 'layer1' section");
    }
    const std::string &key = tokens[0];
    if (key == "layer1") {
      break;
    }
    const bool isLevels = key == "levels1" || key == "levels2";
    if (!isLevels && tokens.size() != 2) {
      lines.fail(fmt::format("expected '{} <value>'", key));
    }
    if (key == "dataset") {
      if (tokens[1] != "mnist" && tokens[1] != "fashion") {
        lines.fail(fmt::format("dataset must be mnist or fashion, got '{}'", tokens[1]));
      }
      weights.dataset = tokens[1];
    } else if (key == "notches") {
      weights.notches = lines.integer(tokens[1], 1, 255);
    } else if (key == "inputs") {
      weights.inputs = lines.integer(tokens[1], 1, 1 << 20);
    } else if (key == "hidden") {
      weights.hidden = lines.integer(tokens[1], 1, 1 << 20);
    } else if (key == "outputs") {
      weights.outputs = lines.integer(tokens[1], 1, 1 << 20);
    } else if (key == "vread") {
      weights.vread = lines.number(tokens[1]);
      haveVread = true;
    } else if (key == "vbias2") {
      weights.vbias2 = lines.number(tokens[1]);
      haveVbias2 = true;
    } else if (isLevels) {
      if (weights.notches == 0) {
        lines.fail("'notches' must come before the levels");
      }
      std::vector<double> levels;
      for (std::size_t i = 1; i < tokens.size(); ++i) {
        levels.push_back(lines.number(tokens[i]));
        if (levels.back() <= 0 || (levels.size() > 1 && !(levels.back() > levels[levels.size() - 2]))) {
          lines.fail(fmt::format("{} must be positive and rise strictly", key));
        }
      }
      if (static_cast<int>(levels.size()) != weights.notches + 1) {
        lines.fail(fmt::format("{} has {} entries, expected {}", key, levels.size(), weights.notches + 1));
      }
      (key == "levels1" ? weights.levels1 : weights.levels2) = std::move(levels);
    } else {
      lines.fail(fmt::format("unknown key '{}'", key));
    }
  }
  if (weights.dataset.empty() || weights.notches == 0 || weights.inputs == 0 || weights.hidden == 0 ||
      weights.outputs == 0 || !haveVread || !haveVbias2 || weights.levels1.empty() ||
      weights.levels2.empty()) {
    lines.fail("header incomplete: dataset, notches, inputs, hidden, outputs, vread, vbias2, levels1 and "
               "levels2 must all come before layer1");
  }
  checkLayerHeader(lines, tokens, "layer1", weights.inputs + 1, weights.hidden);
  weights.layer1 = readLayerRows(lines, "layer1", weights.inputs + 1, weights.hidden, weights.notches);
  if (!lines.next(tokens)) {
    lines.fail("missing 'layer2' section");
  }
  checkLayerHeader(lines, tokens, "layer2", weights.hidden + 1, weights.outputs);
  weights.layer2 = readLayerRows(lines, "layer2", weights.hidden + 1, weights.outputs, weights.notches);
  if (lines.next(tokens)) {
    lines.fail(fmt::format("unexpected '{}' after layer2", tokens[0]));
  }
  return weights;
}

} // namespace dwspice::train
