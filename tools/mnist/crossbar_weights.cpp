#include "crossbar_weights.hpp"

#include <charconv>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/core.h>

#include "core/diagnostics.hpp"
#include "text_source.hpp"

namespace dwspice::mnist {

namespace {

// Walks the file's meaningful lines (comments and blank lines skipped) and
// splits them into blank-separated tokens with their columns.
class WeightsScanner {
public:
  explicit WeightsScanner(std::shared_ptr<const SourceFile> source) : source_(std::move(source)) {}

  // Advances to the next non-empty line; false at the end of the file.
  bool nextLine() {
    while (++line_ < source_->lines.size()) {
      content_ = stripComment(source_->lines[line_]);
      if (!content_.empty()) {
        position_ = 0;
        return true;
      }
    }
    content_ = {};
    return false;
  }

  // Next token of the current line; empty at its end.
  std::string_view nextToken() {
    while (position_ < content_.size() && (content_[position_] == ' ' || content_[position_] == '\t')) {
      ++position_;
    }
    tokenStart_ = position_;
    while (position_ < content_.size() && content_[position_] != ' ' && content_[position_] != '\t') {
      ++position_;
    }
    return content_.substr(tokenStart_, position_ - tokenStart_);
  }

  [[noreturn]] void fail(const std::string &message) const {
    const std::size_t lineIndex = line_ < source_->lines.size() ? line_ : source_->lines.size();
    if (lineIndex >= source_->lines.size()) {
      throw UserError(fmt::format("{}: {} (at end of file)", source_->path, message));
    }
    const auto column =
        static_cast<std::size_t>(content_.data() - source_->lines[lineIndex].data()) + tokenStart_ + 1;
    throw UserError(locationOf(source_, lineIndex, column), message);
  }

  void expectLineEnd() {
    if (const auto extra = nextToken(); !extra.empty()) {
      fail(fmt::format("unexpected '{}' at the end of the line", extra));
    }
  }

  int integer(std::string_view token, int low, int high, std::string_view what) {
    int value = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (token.empty() || error != std::errc() || end != token.data() + token.size() || value < low ||
        value > high) {
      fail(fmt::format("{} must be an integer in {}..{}, got '{}'", what, low, high, token));
    }
    return value;
  }

  double number(std::string_view token, std::string_view what) {
    double value = 0.0;
    if (!parseDouble(token, value)) {
      fail(fmt::format("{} must be a number, got '{}'", what, token));
    }
    return value;
  }

  [[nodiscard]] const std::string &path() const { return source_->path; }

private:
  std::shared_ptr<const SourceFile> source_;
  std::size_t line_ = static_cast<std::size_t>(-1);
  std::string_view content_;
  std::size_t position_ = 0;
  std::size_t tokenStart_ = 0;
};

std::vector<double> readLevels(WeightsScanner &scanner, int notches, std::string_view key) {
  std::vector<double> levels;
  for (auto token = scanner.nextToken(); !token.empty(); token = scanner.nextToken()) {
    const double g = scanner.number(token, fmt::format("{} entry", key));
    if (!(g > 0.0)) {
      scanner.fail(fmt::format("{} conductances must be positive", key));
    }
    if (!levels.empty() && !(g > levels.back())) {
      scanner.fail(fmt::format("{} must rise strictly with the state", key));
    }
    levels.push_back(g);
  }
  if (static_cast<int>(levels.size()) != notches + 1) {
    scanner.fail(
        fmt::format("{} has {} entries, expected notches + 1 = {}", key, levels.size(), notches + 1));
  }
  return levels;
}

// Reads `<name> R C` (the name token already consumed when nameConsumed)
// and the R lines of C `a:b` entries that follow.
WeightLayer readLayer(WeightsScanner &scanner, std::string_view name, int rows, int cols, int notches,
                      bool nameConsumed) {
  if (!nameConsumed) {
    if (!scanner.nextLine()) {
      scanner.fail(fmt::format("missing '{} {} {}'", name, rows, cols));
    }
    if (scanner.nextToken() != name) {
      scanner.fail(fmt::format("expected '{} {} {}'", name, rows, cols));
    }
  }
  WeightLayer layer;
  layer.rows = scanner.integer(scanner.nextToken(), rows, rows, fmt::format("{} row count", name));
  layer.cols = scanner.integer(scanner.nextToken(), cols, cols, fmt::format("{} column count", name));
  scanner.expectLineEnd();
  const auto cells = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  layer.plusState.reserve(cells);
  layer.minusState.reserve(cells);
  for (int row = 0; row < rows; ++row) {
    if (!scanner.nextLine()) {
      scanner.fail(fmt::format("{} ends after {} of {} rows", name, row, rows));
    }
    for (int col = 0; col < cols; ++col) {
      const auto token = scanner.nextToken();
      if (token.empty()) {
        scanner.fail(fmt::format("{} row {} has {} entries, expected {}", name, row, col, cols));
      }
      const auto colon = token.find(':');
      if (colon == std::string_view::npos) {
        scanner.fail(fmt::format("expected 'a:b' (G+ state:G- state), got '{}'", token));
      }
      layer.plusState.push_back(
          static_cast<std::uint8_t>(scanner.integer(token.substr(0, colon), 0, notches, "a synapse state")));
      layer.minusState.push_back(
          static_cast<std::uint8_t>(scanner.integer(token.substr(colon + 1), 0, notches, "a synapse state")));
    }
    scanner.expectLineEnd();
  }
  return layer;
}

} // namespace

CrossbarWeights readCrossbarWeights(const std::filesystem::path &file) {
  const auto source = loadTextFile(file, "weights");
  // The version line is a comment to everything else, so it is checked on
  // the raw text.
  if (source->lines.empty() || source->lines.front().rfind("# dwspice-weights 1", 0) != 0) {
    throw UserError(locationOf(source, 0),
                    "not a dwspice weights file (the first line must be '# dwspice-weights 1')");
  }
  WeightsScanner scanner(source);
  CrossbarWeights weights;
  std::optional<double> vread;
  std::optional<double> vbias2;
  // Header: `key value…` lines in any order, up to `layer1`.
  while (true) {
    if (!scanner.nextLine()) {
      scanner.fail("missing 'layer1' section");
    }
    const auto key = scanner.nextToken();
    if (key == "layer1") {
      break;
    }
    if (key == "dataset") {
      weights.dataset = std::string(scanner.nextToken());
      if (weights.dataset != "mnist" && weights.dataset != "fashion") {
        scanner.fail(fmt::format("dataset must be 'mnist' or 'fashion', got '{}'", weights.dataset));
      }
    } else if (key == "notches") {
      weights.notches = scanner.integer(scanner.nextToken(), 1, 64, "notches");
    } else if (key == "inputs") {
      weights.inputs = scanner.integer(scanner.nextToken(), 1, 100000, "inputs");
    } else if (key == "hidden") {
      weights.hidden = scanner.integer(scanner.nextToken(), 1, 100000, "hidden");
    } else if (key == "outputs") {
      weights.outputs = scanner.integer(scanner.nextToken(), 2, 1000, "outputs");
    } else if (key == "vread") {
      vread = scanner.number(scanner.nextToken(), "vread");
    } else if (key == "vbias2") {
      vbias2 = scanner.number(scanner.nextToken(), "vbias2");
    } else if (key == "levels1" || key == "levels2") {
      if (weights.notches == 0) {
        scanner.fail("'notches' must come before the levels");
      }
      (key == "levels1" ? weights.levels1 : weights.levels2) = readLevels(scanner, weights.notches, key);
      continue; // readLevels consumed the whole line
    } else {
      scanner.fail(fmt::format("unknown header key '{}'", key));
    }
    scanner.expectLineEnd();
  }
  const auto require = [&](bool present, std::string_view key) {
    if (!present) {
      scanner.fail(fmt::format("header key '{}' is missing before 'layer1'", key));
    }
  };
  require(!weights.dataset.empty(), "dataset");
  require(weights.notches > 0, "notches");
  require(weights.inputs > 0, "inputs");
  require(weights.hidden > 0, "hidden");
  require(weights.outputs > 0, "outputs");
  require(vread.has_value(), "vread");
  require(vbias2.has_value(), "vbias2");
  require(!weights.levels1.empty(), "levels1");
  require(!weights.levels2.empty(), "levels2");
  weights.vread = *vread;
  weights.vbias2 = *vbias2;
  weights.layer1 = readLayer(scanner, "layer1", weights.inputs + 1, weights.hidden, weights.notches, true);
  weights.layer2 = readLayer(scanner, "layer2", weights.hidden + 1, weights.outputs, weights.notches, false);
  if (scanner.nextLine()) {
    scanner.fail(fmt::format("unexpected '{}' after layer2", scanner.nextToken()));
  }
  return weights;
}

} // namespace dwspice::mnist
