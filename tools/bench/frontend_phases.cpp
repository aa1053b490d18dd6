// Where the time of one `dwspice -b` run goes, phase by phase, for netlists
// whose cost is mostly reading and building (the 784x128 `.op` crossbar):
//
//   frontend_phases deck.cir [--reps N]
//
// Each repetition loads the netlist, builds the circuit (as the CLI does,
// freeing the instance list on the way), runs its analyses into an observer
// that keeps nothing, and tears both down, timing each phase (CPU time of the process, so other jobs on the machine count less).
// Prints the median of every phase. Linked with the same allocator and
// configuration as the CLI, so the figures are the CLI's.
#include "analysis/analysis.hpp"
#include "core/circuit.hpp"
#include "elaborate/load_netlist.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <ctime>
#include <memory>
#include <string_view>
#include <vector>

namespace {

using namespace dwspice;

double cpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

class DiscardingObserver final : public SolutionObserver {
public:
  void beginPlot(const Circuit & /*circuit*/, const PlotInfo & /*plot*/) override {}
  void addPoint(double /*scale*/, std::span<const double> /*x*/) override {}
  void endPlot() override {}
};

enum Phase { kLoad, kBuild, kAnalyses, kCircuitTeardown, kSpecTeardown, kPhaseCount };
constexpr std::array<const char *, kPhaseCount> kPhaseNames{"parse + elaborate", "circuit build", "analyses",
                                                            "circuit teardown", "spec teardown"};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: frontend_phases deck.cir [--reps N]\n");
    return 2;
  }
  int reps = 5;
  if (argc == 4 && std::string_view(argv[2]) == "--reps") {
    const std::string_view text(argv[3]);
    if (std::from_chars(text.data(), text.data() + text.size(), reps).ec != std::errc{} || reps < 1) {
      fmt::print(stderr, "frontend_phases: --reps needs a positive integer\n");
      return 2;
    }
  }
  try {
    std::array<std::vector<double>, kPhaseCount> seconds;
    for (int rep = 0; rep < reps; ++rep) {
      double mark = cpuSeconds();
      const auto lap = [&mark, &seconds](Phase phase) {
        const double now = cpuSeconds();
        seconds[phase].push_back(now - mark);
        mark = now;
      };
      auto spec = std::make_unique<CircuitSpec>(loadNetlist(argv[1]));
      lap(kLoad);
      // As the CLI builds it: the instance list is freed once the devices exist.
      auto circuit = std::make_unique<Circuit>(*spec, Circuit::ReleaseInstances{});
      lap(kBuild);
      DiscardingObserver observer;
      for (const AnalysisSpec &analysis : spec->analyses) {
        runAnalysis(*circuit, analysis, observer, RunSettings{});
      }
      lap(kAnalyses);
      circuit.reset();
      lap(kCircuitTeardown);
      spec.reset();
      lap(kSpecTeardown);
    }
    double total = 0;
    for (int phase = 0; phase < kPhaseCount; ++phase) {
      const double value = median(seconds[static_cast<std::size_t>(phase)]);
      total += value;
      fmt::print("{:<18} {:8.4f} s\n", kPhaseNames[static_cast<std::size_t>(phase)], value);
    }
    fmt::print("{:<18} {:8.4f} s  (sum of medians, {} repetitions)\n", "total", total, reps);
  } catch (const std::exception &e) {
    fmt::print(stderr, "frontend_phases: {}\n", e.what());
    return 1;
  }
  return 0;
}
