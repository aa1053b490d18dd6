#include "cell_tables.hpp"

#include "core/diagnostics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fmt/core.h>
#include <fmt/std.h>
#include <fstream>
#include <string>

namespace dwspice::train {

PiecewiseLinear::PiecewiseLinear(std::vector<double> x, std::vector<double> y)
    : x_(std::move(x)), y_(std::move(y)) {
  if (x_.size() < 2 || x_.size() != y_.size()) {
    throw UserError("a transfer table needs at least two (x, y) samples");
  }
  for (std::size_t i = 1; i < x_.size(); ++i) {
    if (!(x_[i] > x_[i - 1])) {
      throw UserError(fmt::format("transfer table x values must rise strictly (sample {})", i));
    }
  }
  const double step = (x_.back() - x_.front()) / static_cast<double>(x_.size() - 1);
  uniform_ = true;
  for (std::size_t i = 0; i < x_.size(); ++i) {
    if (std::abs(x_[i] - (x_.front() + step * static_cast<double>(i))) > 1e-9 * step) {
      uniform_ = false;
    }
  }
  inverseStep_ = 1.0 / step;
}

std::size_t PiecewiseLinear::segment(double x) const {
  if (!(x > x_.front())) { // also NaN
    return 0;
  }
  if (uniform_) {
    const double position = std::floor((x - x_.front()) * inverseStep_);
    auto index = static_cast<std::size_t>(std::clamp(position, 0.0, static_cast<double>(x_.size() - 2)));
    // Rounding near a sample: step to the segment that really holds x.
    if (x < x_[index] && index > 0) {
      --index;
    } else if (x >= x_[index + 1] && index + 2 < x_.size()) {
      ++index;
    }
    return index;
  }
  const auto upper = std::upper_bound(x_.begin(), x_.end(), x);
  const auto index = static_cast<std::size_t>(upper - x_.begin());
  return std::clamp<std::size_t>(index, 1, x_.size() - 1) - 1;
}

double PiecewiseLinear::operator()(double x) const {
  if (x <= x_.front()) {
    return y_.front();
  }
  if (x >= x_.back()) {
    return y_.back();
  }
  const std::size_t i = segment(x);
  const double t = (x - x_[i]) / (x_[i + 1] - x_[i]);
  return y_[i] + t * (y_[i + 1] - y_[i]);
}

double PiecewiseLinear::slope(double x) const {
  if (x < x_.front() || x >= x_.back()) {
    return 0.0;
  }
  const std::size_t i = segment(x);
  return (y_[i + 1] - y_[i]) / (x_[i + 1] - x_[i]);
}

double PiecewiseLinear::minY() const {
  return *std::min_element(y_.begin(), y_.end());
}
double PiecewiseLinear::maxY() const {
  return *std::max_element(y_.begin(), y_.end());
}

std::pair<double, double> PiecewiseLinear::activeRange(double fraction) const {
  const double tolerance = fraction * (maxY() - minY());
  std::size_t first = 0;
  while (first + 1 < y_.size() && std::abs(y_[first + 1] - y_.front()) <= tolerance) {
    ++first;
  }
  std::size_t last = y_.size() - 1;
  while (last > first && std::abs(y_[last - 1] - y_.back()) <= tolerance) {
    --last;
  }
  if (last <= first) { // flat table: the whole range
    return {x_.front(), x_.back()};
  }
  return {x_[first], x_[last]};
}

namespace {

// Reads a CSV with the exact header `expectedHeader`; each row's numbers
// scaled by `scales` (same length as the columns).
std::vector<std::vector<double>> readCsv(const std::filesystem::path &file, const std::string &expectedHeader,
                                         const std::vector<double> &scales) {
  std::ifstream in(file);
  if (!in) {
    throw UserError(fmt::format("cell table {} not found (run `characterize --mnist-cells <dir>` or pass "
                                "--cells with the folder that holds it)",
                                file));
  }
  std::string line;
  if (!std::getline(in, line)) {
    throw UserError(fmt::format("{}: empty file", file));
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  if (line != expectedHeader) {
    throw UserError(fmt::format("{}:1: header is '{}', expected '{}'", file, line, expectedHeader));
  }
  std::vector<std::vector<double>> columns(scales.size());
  int lineNumber = 1;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.find_first_not_of(" \t") == std::string::npos) {
      continue;
    }
    std::size_t start = 0;
    for (std::size_t c = 0; c < scales.size(); ++c) {
      const std::size_t end = c + 1 < scales.size() ? line.find(',', start) : line.size();
      if (end == std::string::npos) {
        throw UserError(
            fmt::format("{}:{}: expected {} comma-separated numbers", file, lineNumber, scales.size()));
      }
      std::string field = line.substr(start, end - start);
      field.erase(0, field.find_first_not_of(" \t"));
      field.erase(field.find_last_not_of(" \t") + 1);
      double value = 0;
      const auto [pointer, error] = std::from_chars(field.data(), field.data() + field.size(), value);
      if (field.empty() || error != std::errc() || pointer != field.data() + field.size() ||
          !std::isfinite(value)) {
        throw UserError(fmt::format("{}:{}: '{}' is not a number", file, lineNumber, field));
      }
      columns[c].push_back(value * scales[c]);
      start = end + 1;
    }
  }
  if (columns[0].size() < 2) {
    throw UserError(fmt::format("{}: needs at least two data rows", file));
  }
  return columns;
}

PiecewiseLinear table(const std::filesystem::path &file, std::vector<double> x, std::vector<double> y) {
  try {
    return PiecewiseLinear(std::move(x), std::move(y));
  } catch (const UserError &error) {
    throw UserError(fmt::format("{}: {}", file, error.message()));
  }
}

// Levels in S as written in the file.
std::vector<double> readLevels(const std::filesystem::path &file, int notches) {
  const auto columns = readCsv(file, "state,G_S", {1.0, 1.0});
  if (static_cast<int>(columns[0].size()) != notches + 1) {
    throw UserError(
        fmt::format("{}: {} states, expected {} (0..{})", file, columns[0].size(), notches + 1, notches));
  }
  for (int state = 0; state <= notches; ++state) {
    if (columns[0][static_cast<std::size_t>(state)] != state) {
      throw UserError(fmt::format("{}: row {} is state {}, expected {}", file, state + 1,
                                  columns[0][static_cast<std::size_t>(state)], state));
    }
    if (columns[1][static_cast<std::size_t>(state)] <= 0 ||
        (state > 0 &&
         !(columns[1][static_cast<std::size_t>(state)] > columns[1][static_cast<std::size_t>(state - 1)]))) {
      throw UserError(
          fmt::format("{}: conductances must be positive and rise strictly with the state", file));
    }
  }
  return columns[1];
}

} // namespace

CellTables readCellTables(const std::filesystem::path &directory, int notches) {
  CellTables tables;
  const auto hiddenFile = directory / "hidden_transfer.csv";
  const auto hidden = readCsv(hiddenFile, "i_col_A,v_outp_V,v_outn_V", {1e6, 1.0, 1.0});
  tables.hiddenPlus = table(hiddenFile, hidden[0], hidden[1]);
  tables.hiddenMinus = table(hiddenFile, hidden[0], hidden[2]);
  const auto outputFile = directory / "output_transfer.csv";
  const auto output = readCsv(outputFile, "i_col_A,i_sense_A", {1e6, 1e6});
  tables.output = table(outputFile, output[0], output[1]);
  if (!(tables.output.maxY() > tables.output.minY())) {
    throw UserError(fmt::format("{}: the readout does not depend on the input (flat table)", outputFile));
  }
  tables.levels1Siemens =
      readLevels(directory / fmt::format("synapse_levels_{}notch_l1.csv", notches), notches);
  tables.levels2Siemens =
      readLevels(directory / fmt::format("synapse_levels_{}notch_l2.csv", notches), notches);
  for (const double g : tables.levels1Siemens) {
    tables.levels1.push_back(g * 1e6);
  }
  for (const double g : tables.levels2Siemens) {
    tables.levels2.push_back(g * 1e6);
  }
  return tables;
}

} // namespace dwspice::train
