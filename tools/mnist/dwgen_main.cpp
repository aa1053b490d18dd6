// dwgen: writes the SPICE netlist of the spintronic crossbar classifier from
// trained weights, the design constants and the cell library.
//
//   dwgen --weights <stem>.weights --design netlists/mnist/design.conf
//         --cells netlists/mnist/cells.inc -o out.cir [--rwire R] [--cwire C]
//         [--vread V] [--synapse-mode read|dynamic] [--images-hint N]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "classifier_netlist.hpp"
#include "core/diagnostics.hpp"
#include "text_source.hpp"

namespace {

using namespace dwspice;
using namespace dwspice::mnist;

constexpr std::string_view kUsage =
    "usage: dwgen --weights <stem>.weights --design <design.conf> --cells <cells.inc> -o <out.cir>\n"
    "             [--rwire OHM] [--cwire FARAD] [--vread VOLT] [--synapse-mode read|dynamic]\n"
    "             [--images-hint N] [--save-synapse-states] [--save-crossbar-currents]\n"
    "  --rwire, --cwire   wire R between successive crossbar taps and C to ground at each tap (default 0: "
    "ideal)\n"
    "  --vread            row read amplitude, overrides design.conf (the trained network assumed the\n"
    "                     weights file's vread; a different value changes the predictions)\n"
    "  --synapse-mode     read (default: frozen walls, linear) or dynamic (full wall dynamics, for the\n"
    "                     read-disturb check)\n"
    "  --images-hint      image count for the run command in the header comment\n"
    "  --save-synapse-states  .save every synapse's wall position #q and the readout currents\n"
    "                     (dynamic mode; input of tools/mnist/read_disturb)\n"
    "  --save-crossbar-currents  .save the column sense currents and layer-2 rows\n"
    "                     (input of tools/mnist/check_crossbar)\n";

struct UsageError {
  std::string message;
};

struct Arguments {
  std::string weights, design, cells, output;
  GeneratorOptions options;
  std::optional<double> vread;
};

double numberArgument(std::string_view option, std::string_view text) {
  double value = 0.0;
  if (!parseDouble(text, value)) {
    throw UsageError{fmt::format("{} needs a number, got '{}'", option, text)};
  }
  return value;
}

Arguments parseArguments(int argc, char **argv) {
  Arguments args;
  std::vector<std::string_view> words(argv + 1, argv + argc);
  for (std::size_t k = 0; k < words.size(); ++k) {
    const std::string_view option = words[k];
    if (option == "-h" || option == "--help") {
      std::fputs(kUsage.data(), stdout);
      std::exit(0);
    }
    if (option == "--save-synapse-states") {
      args.options.saveSynapseStates = true;
      continue;
    }
    if (option == "--save-crossbar-currents") {
      args.options.saveCrossbarCurrents = true;
      continue;
    }
    if (k + 1 >= words.size()) {
      throw UsageError{fmt::format("'{}' needs a value", option)};
    }
    const std::string_view value = words[++k];
    if (option == "--weights") {
      args.weights = value;
    } else if (option == "--design") {
      args.design = value;
    } else if (option == "--cells") {
      args.cells = value;
    } else if (option == "-o" || option == "--output") {
      args.output = value;
    } else if (option == "--rwire") {
      args.options.rwire = numberArgument(option, value);
    } else if (option == "--cwire") {
      args.options.cwire = numberArgument(option, value);
    } else if (option == "--vread") {
      args.vread = numberArgument(option, value);
    } else if (option == "--synapse-mode") {
      if (value == "read") {
        args.options.synapseMode = SynapseMode::Read;
      } else if (value == "dynamic") {
        args.options.synapseMode = SynapseMode::Dynamic;
      } else {
        throw UsageError{fmt::format("--synapse-mode is 'read' or 'dynamic', got '{}'", value)};
      }
    } else if (option == "--images-hint") {
      const double n = numberArgument(option, value);
      if (n < 0 || n != std::floor(n) || n > 1e9) {
        throw UsageError{fmt::format("--images-hint needs a non-negative integer, got '{}'", value)};
      }
      args.options.imagesHint = static_cast<int>(n);
    } else {
      throw UsageError{fmt::format("unknown option '{}'", option)};
    }
  }
  for (const auto &[value, name] :
       {std::pair{&args.weights, "--weights"}, std::pair{&args.design, "--design"},
        std::pair{&args.cells, "--cells"}, std::pair{&args.output, "-o"}}) {
    if (value->empty()) {
      throw UsageError{fmt::format("{} is required", name)};
    }
  }
  if (args.options.rwire < 0.0 || args.options.cwire < 0.0) {
    throw UsageError{"--rwire and --cwire must not be negative"};
  }
  if (args.options.saveSynapseStates && args.options.synapseMode != SynapseMode::Dynamic) {
    throw UsageError{
        "--save-synapse-states needs --synapse-mode dynamic (read-mode synapses have no #q state)"};
  }
  if (args.vread && !(*args.vread > 0.0)) {
    throw UsageError{"--vread must be positive"};
  }
  return args;
}

bool close(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

// Checks that the design constants, the weights and the dataset fit together,
// so a mismatch is reported here rather than as a wrong accuracy later.
void checkConsistency(const CrossbarWeights &weights, DesignConfig &design, const Arguments &args) {
  if (weights.inputs != 784) {
    throw UserError(fmt::format("{}: inputs = {}, but the images bound by .dataset have 28x28 = 784 pixels",
                                args.weights, weights.inputs));
  }
  if (args.vread) {
    if (!close(*args.vread, weights.vread)) {
      fmt::print(stderr,
                 "dwgen: note: --vread {} differs from the trained vread {}: the circuit's predictions will "
                 "differ from the behavioural ones\n",
                 *args.vread, weights.vread);
    }
    design.set("vread", *args.vread);
  } else if (!close(design["vread"], weights.vread)) {
    throw UserError(
        fmt::format("{} has vread = {} but {} was trained with vread = {} (pass --vread to override "
                    "on purpose)",
                    args.design, design["vread"], args.weights, weights.vread));
  }
  if (!close(design["vbias2"], weights.vbias2)) {
    throw UserError(fmt::format("{} has vbias2 = {} but {} was trained with vbias2 = {}", args.design,
                                design["vbias2"], args.weights, weights.vbias2));
  }
  const double tstop = design["tstop"];
  if (!(tstop > 0.0)) {
    throw UserError(fmt::format("{}: tstop must be positive", args.design));
  }
  for (const char *key : {"t_rise", "t_write", "t_readw", "t_resetw"}) {
    if (!(design[key] > 0.0)) {
      throw UserError(fmt::format("{}: {} must be positive", args.design, key));
    }
  }
  for (const char *key : {"t_in", "t_l2", "t_read", "t_reset", "tmax"}) {
    if (design[key] < 0.0) {
      throw UserError(fmt::format("{}: {} must not be negative", args.design, key));
    }
  }
  if (!(design["t_classify"] > 0.0 && design["t_classify"] <= tstop)) {
    throw UserError(fmt::format("{}: t_classify = {} is outside (0, tstop = {}]", args.design,
                                design["t_classify"], tstop));
  }
  if (design["t_in"] + design["t_write"] + 2 * design["t_rise"] > design["t_l2"] + 1e-18) {
    throw UserError(
        fmt::format("{}: the layer-2 window (t_l2) starts before the layer-1 write ends", args.design));
  }
}

std::string commandLineOf(int argc, char **argv) {
  std::string line = "dwgen";
  for (int k = 1; k < argc; ++k) {
    line += ' ';
    line += argv[k];
  }
  return line;
}

struct FileCloser {
  void operator()(std::FILE *file) const { std::fclose(file); }
};

} // namespace

int main(int argc, char **argv) {
  try {
    Arguments args = parseArguments(argc, argv);
    const auto start = std::chrono::steady_clock::now();
    const CrossbarWeights weights = readCrossbarWeights(args.weights);
    DesignConfig design = DesignConfig::read(args.design);
    const CellsLibrary cells = readCellsLibrary(args.cells);
    checkConsistency(weights, design, args);
    args.options.weightsPath = args.weights;
    args.options.designPath = args.design;
    args.options.cellsPath = args.cells;
    args.options.commandLine = commandLineOf(argc, argv);

    // Written to a temporary name and renamed at the end, so a failed run never
    // leaves a truncated netlist that looks complete to the build.
    const std::string partial = args.output + ".partial";
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(partial.c_str(), "wb"));
    if (!file) {
      throw UserError(fmt::format("cannot create '{}'", partial));
    }
    NetlistSummary summary;
    try {
      summary = writeClassifierNetlist(file.get(), weights, design, cells, args.options);
    } catch (...) {
      file.reset();
      std::remove(partial.c_str());
      throw;
    }
    if (std::fclose(file.release()) != 0) {
      std::remove(partial.c_str());
      throw UserError(fmt::format("cannot write '{}'", partial));
    }
    if (std::rename(partial.c_str(), args.output.c_str()) != 0) {
      std::remove(partial.c_str());
      throw UserError(fmt::format("cannot rename '{}' to '{}'", partial, args.output));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(stderr, "dwgen: wrote {} ({} lines, {} synapses, {} wire elements) in {:.2f} s\n", args.output,
               summary.lines, summary.synapses, summary.wireElements, seconds);
    return 0;
  } catch (const UsageError &error) {
    fmt::print(stderr, "dwgen: error: {}\n{}", error.message, kUsage);
    return 2;
  } catch (const dwspice::UserError &error) {
    if (error.location().valid()) {
      fmt::print(stderr, "{}\n", error.what());
    } else {
      fmt::print(stderr, "dwgen: error: {}\n", error.message());
    }
    return 1;
  } catch (const std::exception &error) {
    fmt::print(stderr, "dwgen: error: {}\n", error.what());
    return 1;
  }
}
