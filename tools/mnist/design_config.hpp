// netlists/mnist/design.conf: the single source of the classifier's design
// constants (`key = value`, SI numbers without suffixes, '#' comments).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"

namespace dwspice::mnist {

class DesignConfig {
public:
  // Reads and validates the file: every line is blank, a comment or
  // `key = number`; keys are unique and all required keys are present.
  static DesignConfig read(const std::filesystem::path &file);

  // The value of a required key (all of requiredKeys() exist after read()).
  [[nodiscard]] double operator[](std::string_view key) const;
  void set(const std::string &key, double value); // command-line overrides
  // Entries in file order, for the netlist's .param block.
  [[nodiscard]] const std::vector<std::pair<std::string, double>> &entries() const { return entries_; }
  [[nodiscard]] const std::string &path() const { return path_; }

  static const std::vector<std::string> &requiredKeys();

private:
  std::string path_;
  std::vector<std::pair<std::string, double>> entries_;
};

} // namespace dwspice::mnist
