#include "design_config.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/core.h>

#include "text_source.hpp"

namespace dwspice::mnist {

const std::vector<std::string> &DesignConfig::requiredKeys() {
  // The names fixed by the shared MNIST spec; the values are the cells
  // engineer's to tune.
  static const std::vector<std::string> keys = {
      "vread",   "vbias2", "k1",     "k2",      "vdd",        "vss",     "t_rise",   "t_in",
      "t_write", "t_l2",   "t_read", "t_readw", "t_classify", "t_reset", "t_resetw", "i_reset",
      "tstop",   "tmax",   "ra_l1",  "ra_l2",   "vrd",        "rload2"};
  return keys;
}

namespace {

bool isKeyCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

} // namespace

DesignConfig DesignConfig::read(const std::filesystem::path &file) {
  const auto source = loadTextFile(file, "design");
  DesignConfig config;
  config.path_ = source->path;
  for (std::size_t index = 0; index < source->lineCount(); ++index) {
    const std::string_view raw = source->line(index);
    const std::string_view line = stripComment(raw);
    if (line.empty()) {
      continue;
    }
    const auto column = static_cast<std::size_t>(line.data() - raw.data()) + 1;
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) {
      throw UserError(locationOf(source, index, column), "expected 'key = value'");
    }
    std::string_view key = line.substr(0, equals);
    key = key.substr(0, key.find_last_not_of(" \t") + 1);
    std::string_view value = stripComment(line.substr(equals + 1));
    if (key.empty() || !std::all_of(key.begin(), key.end(), isKeyCharacter) ||
        std::isdigit(static_cast<unsigned char>(key.front())) != 0) {
      throw UserError(locationOf(source, index, column),
                      fmt::format("'{}' is not a valid key (letters, digits, '_')", key));
    }
    double number = 0.0;
    if (!parseDouble(value, number)) {
      throw UserError(
          locationOf(source, index, column + equals + 1),
          fmt::format("value of '{}' must be a plain number in SI units (no suffix), got '{}'", key, value));
    }
    const std::string name(key);
    const bool duplicate = std::any_of(config.entries_.begin(), config.entries_.end(),
                                       [&](const auto &entry) { return entry.first == name; });
    if (duplicate) {
      throw UserError(locationOf(source, index, column), fmt::format("'{}' is given twice", name));
    }
    config.entries_.emplace_back(name, number);
  }
  for (const auto &key : requiredKeys()) {
    const bool present = std::any_of(config.entries_.begin(), config.entries_.end(),
                                     [&](const auto &entry) { return entry.first == key; });
    if (!present) {
      throw UserError(fmt::format("{}: required key '{}' is missing", config.path_, key));
    }
  }
  return config;
}

double DesignConfig::operator[](std::string_view key) const {
  for (const auto &[name, value] : entries_) {
    if (name == key) {
      return value;
    }
  }
  throw UserError(fmt::format("{}: key '{}' is missing", path_, key));
}

void DesignConfig::set(const std::string &key, double value) {
  for (auto &entry : entries_) {
    if (entry.first == key) {
      entry.second = value;
      return;
    }
  }
  entries_.emplace_back(key, value);
}

} // namespace dwspice::mnist
