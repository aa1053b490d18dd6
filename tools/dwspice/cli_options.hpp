// The dwspice command line: a table of options (one row per option, so a
// new option is one row and one field), the parser and the help text.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dwspice::cli {

enum class CliAction { Run, Help, Version, ListDevices };

struct CliOptions {
  CliAction action = CliAction::Run;
  std::filesystem::path netlist;
  std::optional<std::filesystem::path> rawFile; // -r
  std::optional<std::filesystem::path> logFile; // -o
  std::optional<std::filesystem::path> csvFile; // --csv
  bool asciiRaw = false;                        // --ascii (or SPICE_ASCIIRAWFILE)
  bool batch = false;                           // -b: the only mode; accepted as ngspice users type it
  // Data-set runs (netlists with .dataset): --report batches over the images.
  std::optional<std::filesystem::path> reportFile; // --report
  std::optional<int> images;                       // --images N (>= 1)
  std::optional<int> saveImage;                    // --save K (>= 0)
  std::optional<int> threads;                      // --threads T (>= 1)
};

// A malformed command line (exit status 2).
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Parses the arguments after the program name. Throws UsageError.
[[nodiscard]] CliOptions parseCommandLine(std::span<const std::string_view> args);

[[nodiscard]] std::string usageText();

} // namespace dwspice::cli
