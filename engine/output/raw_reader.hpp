// Reader for SPICE raw files as ngspice writes them (and as dwspice writes
// them, since it follows the same layout): binary or ASCII, real or complex,
// several plots one after another in one file.
//
// Used by the ngspice comparison suite, the benchmark and later tools that
// post-process waveforms. Everything is read into memory, column-major (one
// std::vector per variable), because every consumer works vector by vector.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice {

struct RawVariable {
  std::string name; // as written, e.g. "time", "v(out)", "i(v1)"
  std::string type; // "time", "voltage", "current", … (first word after the name)
};

struct RawPlot {
  std::string title;
  std::string date;
  std::string plotName; // "Operating Point", "DC transfer characteristic", "Transient Analysis"
  std::string flags;    // "real" or "complex" (possibly with further words)
  bool complex = false;
  std::vector<RawVariable> variables;
  // real[v][p] is the (real part of the) value of variable v at point p;
  // imag has the same shape for complex plots and is empty otherwise.
  std::vector<std::vector<double>> real;
  std::vector<std::vector<double>> imag;

  [[nodiscard]] std::size_t pointCount() const { return real.empty() ? 0 : real.front().size(); }
  // Case-insensitive lookup by variable name; nullopt when absent.
  [[nodiscard]] std::optional<std::size_t> indexOf(std::string_view name) const;
  // The real part of a variable's values, or nullptr when absent.
  [[nodiscard]] const std::vector<double> *values(std::string_view name) const;
};

// Parses the bytes of a raw file. `displayName` is used in error messages.
// Throws UserError on anything malformed or truncated (a silently shortened
// waveform would make a comparison look better than it is).
std::vector<RawPlot> parseRawFile(std::string_view bytes, const std::string &displayName = "<raw>");

// Reads and parses a raw file from disk. Throws UserError if it cannot be read.
std::vector<RawPlot> readRawFile(const std::filesystem::path &file);

} // namespace dwspice
