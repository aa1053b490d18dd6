// Per-run cost of a netlist's .tran, as a batch run sees it: the circuit is
// built once and the transient repeated on it (sharing one AnalysisCache,
// so the linear reduction is built on the first run only). Prints the CPU
// time of each run and the cost split from Circuit::costCounters(), and,
// with --compare, the largest deviation of every output point between the
// reduced and the unreduced transient.
//
//   transient_bench NETLIST [--runs N] [--noreduce] [--compare]
#include "analysis/analysis.hpp"
#include "analysis/linear_reduction.hpp"
#include "core/circuit.hpp"
#include "core/diagnostics.hpp"
#include "elaborate/load_netlist.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fmt/core.h>
#include <string>
#include <vector>

namespace {

double threadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// Keeps every point (for --compare) or only counts them.
class PointKeeper final : public dwspice::SolutionObserver {
public:
  explicit PointKeeper(bool keep) : keep_(keep) {}
  void beginPlot(const dwspice::Circuit & /*circuit*/, const dwspice::PlotInfo & /*plot*/) override {}
  void addPoint(double scale, std::span<const double> x) override {
    ++points;
    if (keep_) {
      times.push_back(scale);
      values.emplace_back(x.begin(), x.end());
    }
  }
  void endPlot() override {}
  long points = 0;
  std::vector<double> times;
  std::vector<std::vector<double>> values;

private:
  bool keep_;
};

const dwspice::AnalysisSpec &transientOf(const dwspice::CircuitSpec &spec) {
  for (const dwspice::AnalysisSpec &analysis : spec.analyses) {
    if (std::holds_alternative<dwspice::TranAnalysisSpec>(analysis.kind)) {
      return analysis;
    }
  }
  throw std::runtime_error("the netlist has no .tran");
}

// Linear interpolation of a run's unknown k at time t.
double valueAt(const PointKeeper &run, size_t k, double t) {
  const auto it = std::lower_bound(run.times.begin(), run.times.end(), t);
  if (it == run.times.begin()) {
    return run.values.front()[k];
  }
  if (it == run.times.end()) {
    return run.values.back()[k];
  }
  const auto i = static_cast<size_t>(it - run.times.begin());
  const double t0 = run.times[i - 1], t1 = run.times[i];
  const double a = t1 > t0 ? (t - t0) / (t1 - t0) : 1.0;
  return (1 - a) * run.values[i - 1][k] + a * run.values[i][k];
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: transient_bench NETLIST [--runs N] [--noreduce] [--compare]\n");
    return 2;
  }
  int runs = 3;
  bool noReduce = false, compare = false;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::stoi(argv[++i]);
    } else if (arg == "--noreduce") {
      noReduce = true;
    } else if (arg == "--compare") {
      compare = true;
    } else {
      fmt::print(stderr, "unknown argument '{}'\n", arg);
      return 2;
    }
  }
  try {
    double cpu = threadCpuSeconds();
    dwspice::CircuitSpec spec = dwspice::loadNetlist(argv[1]);
    if (noReduce) {
      spec.options.extra["noreduce"] = 1.0;
    }
    dwspice::Circuit circuit(spec);
    fmt::print("{}: {} unknowns, {} devices, {} matrix entries; parse+build {:.3f} s CPU\n", argv[1],
               circuit.size(), circuit.devices().size(), circuit.pattern().nonZeros(),
               threadCpuSeconds() - cpu);
    const dwspice::AnalysisSpec &tran = transientOf(spec);
    dwspice::AnalysisCache cache;
    dwspice::RunSettings settings;
    settings.cache = &cache;
    PointKeeper reducedRun(compare);
    for (int run = 0; run < runs; ++run) {
      PointKeeper observer(compare && run == 0);
      circuit.costCounters().reset();
      cpu = threadCpuSeconds();
      const auto wallStart = std::chrono::steady_clock::now();
      const dwspice::AnalysisSummary summary = dwspice::runAnalysis(circuit, tran, observer, settings);
      cpu = threadCpuSeconds() - cpu;
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
      const dwspice::CostCounters &c = circuit.costCounters();
      fmt::print(
          "run {}: {:.4f} s CPU, {} points | assembly {:.4f} devices {:.4f} factor {:.4f} solve {:.4f} other "
          "{:.4f} s | {} evaluations, {} factorisations, {} solves\n",
          run, cpu, observer.points, c.assemblySeconds, c.deviceSeconds, c.factorSeconds, c.solveSeconds,
          cpu - c.assemblySeconds - c.deviceSeconds - c.factorSeconds - c.solveSeconds, c.residualEvaluations,
          c.factorizations, c.solves);
      if (const auto *reduced = dynamic_cast<const dwspice::ReducedSystem *>(cache.transientSystem.get())) {
        fmt::print("  {} excitation classes, {} evaluations/reconstructions off the classes (exact solve)\n",
                   reduced->excitationClasses(), reduced->classMisses());
      }
      if (run == 0) {
        fmt::print("  {}\n", summary.text);
        if (compare) {
          reducedRun = std::move(observer);
        }
      }
    }
    if (compare) {
      dwspice::CircuitSpec fullSpec = dwspice::loadNetlist(argv[1]);
      fullSpec.options.extra["noreduce"] = 1.0;
      dwspice::Circuit fullCircuit(fullSpec);
      PointKeeper fullRun(true);
      dwspice::RunSettings plain;
      cpu = threadCpuSeconds();
      dwspice::runAnalysis(fullCircuit, tran, fullRun, plain);
      fmt::print("unreduced: {:.4f} s CPU, {} points\n", threadCpuSeconds() - cpu, fullRun.points);
      // Largest deviation per unknown kind, relative to the unknown's range.
      double worst = 0.0;
      std::string where;
      const size_t n = static_cast<size_t>(fullCircuit.size()) + 1;
      for (size_t k = 1; k < n; ++k) {
        double lo = INFINITY, hi = -INFINITY;
        for (const auto &point : fullRun.values) {
          lo = std::min(lo, point[k]);
          hi = std::max(hi, point[k]);
        }
        // Range of the waveform, or its size when it is flat, never below the
        // unknown's absolute tolerance.
        const double floor = fullCircuit.absoluteTolerance(static_cast<int>(k));
        const double range = std::max({hi - lo, 1e-3 * std::max(std::abs(hi), std::abs(lo)), floor});
        for (size_t i = 0; i < fullRun.times.size(); ++i) {
          const double deviation =
              std::abs(valueAt(reducedRun, k, fullRun.times[i]) - fullRun.values[i][k]) / range;
          if (deviation > worst) {
            worst = deviation;
            where = fmt::format("{} at t = {:.4g}", fullCircuit.unknowns()[k].name, fullRun.times[i]);
          }
        }
      }
      fmt::print("largest deviation reduced vs unreduced: {:.3g} of the unknown's range ({})\n", worst,
                 where);
    }
  } catch (const dwspice::UserError &error) {
    fmt::print(stderr, "{}\n", error.what());
    return 1;
  } catch (const std::exception &error) {
    fmt::print(stderr, "error: {}\n", error.what());
    return 1;
  }
  return 0;
}
