#include "cli_options.hpp"

#include <charconv>
#include <fmt/format.h>
#include <functional>
#include <vector>

namespace dwspice::cli {

namespace {

struct OptionSpec {
  char shortName; // 0: long form only
  std::string_view longName;
  std::string_view valueName; // empty: a flag without value
  std::string_view help;
  std::function<void(CliOptions &, std::string_view value)> apply;
};

std::filesystem::path nonEmptyPath(std::string_view value, std::string_view option) {
  if (value.empty()) {
    throw UsageError(fmt::format("option '{}' needs a file name", option));
  }
  return std::filesystem::path(std::string(value));
}

// A whole number >= `least` (counts and indices).
int wholeNumber(std::string_view value, std::string_view option, int least) {
  int result = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), result);
  if (value.empty() || error != std::errc() || end != value.data() + value.size() || result < least) {
    throw UsageError(fmt::format("option '{}' needs a whole number >= {}, not '{}'", option, least, value));
  }
  return result;
}

const std::vector<OptionSpec> &optionTable() {
  static const std::vector<OptionSpec> table{
      {'b', "batch", "", "batch mode (the only mode; accepted for ngspice compatibility)",
       [](CliOptions &o, std::string_view) { o.batch = true; }},
      {'r', "rawfile", "FILE", "write every analysis to a SPICE raw file (binary unless --ascii)",
       [](CliOptions &o, std::string_view v) { o.rawFile = nonEmptyPath(v, "--rawfile"); }},
      {'o', "output", "FILE", "write the log (summaries, warnings) to FILE instead of stderr",
       [](CliOptions &o, std::string_view v) { o.logFile = nonEmptyPath(v, "--output"); }},
      {0, "csv", "FILE",
       "write waveforms as CSV (several analyses: one file each, FILE-op.csv, FILE-tran.csv, ...)",
       [](CliOptions &o, std::string_view v) { o.csvFile = nonEmptyPath(v, "--csv"); }},
      {0, "ascii", "", "write the raw file as ASCII (as SPICE_ASCIIRAWFILE=1 does)",
       [](CliOptions &o, std::string_view) { o.asciiRaw = true; }},
      {0, "report", "FILE", "netlists with .dataset: classify the images in a batch and write a JSON report",
       [](CliOptions &o, std::string_view v) { o.reportFile = nonEmptyPath(v, "--report"); }},
      {0, "images", "N", "with --report: only the first N images (default: all)",
       [](CliOptions &o, std::string_view v) { o.images = wholeNumber(v, "--images", 1); }},
      {0, "save", "K",
       "netlists with .dataset: simulate image K (default 0); with --report also write its raw file",
       [](CliOptions &o, std::string_view v) { o.saveImage = wholeNumber(v, "--save", 0); }},
      {0, "threads", "T", "with --report: worker threads (default: the hardware's)",
       [](CliOptions &o, std::string_view v) { o.threads = wholeNumber(v, "--threads", 1); }},
      {0, "devices", "", "list the element types and device models this build knows",
       [](CliOptions &o, std::string_view) { o.action = CliAction::ListDevices; }},
      {'h', "help", "", "show this help",
       [](CliOptions &o, std::string_view) { o.action = CliAction::Help; }},
      {'v', "version", "", "show the version",
       [](CliOptions &o, std::string_view) { o.action = CliAction::Version; }},
  };
  return table;
}

const OptionSpec *findShort(char name) {
  for (const OptionSpec &spec : optionTable()) {
    if (spec.shortName == name) {
      return &spec;
    }
  }
  return nullptr;
}

const OptionSpec *findLong(std::string_view name) {
  for (const OptionSpec &spec : optionTable()) {
    if (spec.longName == name) {
      return &spec;
    }
  }
  return nullptr;
}

} // namespace

CliOptions parseCommandLine(std::span<const std::string_view> args) {
  CliOptions options;
  std::optional<std::string_view> netlist;
  bool optionsEnded = false;

  const auto takePositional = [&](std::string_view arg) {
    if (netlist) {
      throw UsageError(fmt::format("only one netlist may be given ('{}' and '{}')", *netlist, arg));
    }
    netlist = arg;
  };

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
      takePositional(arg);
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    const OptionSpec *spec = nullptr;
    std::optional<std::string_view> inlineValue;
    std::string shown;
    if (arg.starts_with("--")) {
      std::string_view name = arg.substr(2);
      if (const auto eq = name.find('='); eq != std::string_view::npos) {
        inlineValue = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      spec = findLong(name);
      shown = fmt::format("--{}", name);
    } else {
      spec = findShort(arg[1]);
      if (arg.size() > 2) {
        inlineValue = arg.substr(2); // -rout.raw, as ngspice accepts
      }
      shown = std::string(arg.substr(0, 2));
    }
    if (spec == nullptr) {
      throw UsageError(fmt::format("unknown option '{}'", shown));
    }
    if (spec->valueName.empty()) {
      if (inlineValue) {
        throw UsageError(fmt::format("option '{}' takes no value", shown));
      }
      spec->apply(options, {});
      continue;
    }
    if (!inlineValue) {
      if (i + 1 >= args.size()) {
        throw UsageError(fmt::format("option '{}' needs a value ({})", shown, spec->valueName));
      }
      inlineValue = args[++i];
    }
    spec->apply(options, *inlineValue);
  }

  if (options.action == CliAction::Run) {
    if (!netlist) {
      throw UsageError("no netlist given");
    }
    options.netlist = std::filesystem::path(std::string(*netlist));
    if (!options.reportFile && (options.images || options.threads)) {
      throw UsageError(fmt::format("option '{}' needs --report", options.images ? "--images" : "--threads"));
    }
    if (options.reportFile && options.csvFile) {
      throw UsageError(
          "--csv cannot be combined with --report (use --save K with -r for one image's waveforms)");
    }
  }
  return options;
}

std::string usageText() {
  std::string text = "Usage: dwspice -b [options] netlist.cir\n"
                     "\n"
                     "Simulates a SPICE netlist (.op, .dc, .tran) with spintronic device models.\n"
                     "Without -r, --csv or .print op, operating points are printed on stdout.\n"
                     "A netlist with .dataset simulates one image (--save K, default 0); with\n"
                     "--report FILE it classifies the images (.readout) and writes a JSON report.\n"
                     "\n"
                     "Options:\n";
  for (const OptionSpec &spec : optionTable()) {
    std::string flags = spec.shortName != 0 ? fmt::format("-{}, --{}", spec.shortName, spec.longName)
                                            : fmt::format("    --{}", spec.longName);
    if (!spec.valueName.empty()) {
      flags += fmt::format(" {}", spec.valueName);
    }
    text += fmt::format("  {:<22} {}\n", flags, spec.help);
  }
  text += "\n"
          "Exit status: 0 on success, 1 for an error in the netlist or the simulation,\n"
          "2 for a command-line error, 3 for an internal error.\n";
  return text;
}

} // namespace dwspice::cli
