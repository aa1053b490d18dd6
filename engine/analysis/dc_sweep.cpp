#include "analysis/dc_sweep.hpp"

#include "analysis/newton.hpp"
#include "analysis/operating_point.hpp"

#include <cmath>
#include <fmt/core.h>

namespace dwspice {

namespace {

// Sets a source's DC value for the sweep and puts the netlist value back
// however the sweep ends.
class SweptSource {
public:
  SweptSource(Circuit &circuit, const DcSweepSpec &sweep) {
    Device *device = circuit.findDevice(sweep.source);
    source_ = dynamic_cast<SweepableSource *>(device);
    if (device == nullptr) {
      throw UserError(sweep.loc, fmt::format(".dc: no source named '{}'", sweep.source));
    }
    if (source_ == nullptr) {
      throw UserError(sweep.loc,
                      fmt::format(".dc: '{}' is not an independent voltage or current source", sweep.source));
    }
    original_ = source_->dcValue();
  }
  ~SweptSource() { source_->setDcValue(original_); }
  SweptSource(const SweptSource &) = delete;
  SweptSource &operator=(const SweptSource &) = delete;

  void set(double value) { source_->setDcValue(value); }

private:
  SweepableSource *source_ = nullptr;
  double original_ = 0.0;
};

// ngspice names the scale after the kind of the first swept source: a
// voltage source (it owns a branch current) gives "v-sweep", a current
// source "i-sweep".
std::string scaleName(const Circuit &circuit, const std::string &source) {
  return dynamic_cast<const BranchCurrentOwner *>(circuit.findDevice(source)) != nullptr ? "v-sweep"
                                                                                         : "i-sweep";
}

} // namespace

std::vector<double> sweepValues(const DcSweepSpec &sweep) {
  const double span = sweep.stop - sweep.start;
  if (sweep.step == 0.0 || !std::isfinite(sweep.step)) {
    if (span == 0.0) {
      return {sweep.start};
    }
    throw UserError(sweep.loc, fmt::format(".dc: step of '{}' must not be zero", sweep.source));
  }
  if (span != 0.0 && (span > 0) != (sweep.step > 0)) {
    throw UserError(sweep.loc, fmt::format(".dc: step {:g} of '{}' does not lead from {:g} to {:g}",
                                           sweep.step, sweep.source, sweep.start, sweep.stop));
  }
  // A small allowance so that 0 to 1 in steps of 0.1 includes 1.
  const double intervals = std::floor(span / sweep.step + 1e-9);
  if (intervals > kMaxDcSweepPoints) {
    throw UserError(sweep.loc,
                    fmt::format(".dc: sweep of '{}' has too many points ({:g})", sweep.source, intervals));
  }
  std::vector<double> values;
  values.reserve(static_cast<size_t>(intervals) + 1);
  for (long i = 0; i <= static_cast<long>(intervals); ++i) {
    values.push_back(sweep.start + static_cast<double>(i) * sweep.step);
  }
  return values;
}

AnalysisSummary runDcSweep(Circuit &circuit, const DcAnalysisSpec &spec, const SourceLoc &where,
                           SolutionObserver &observer, const RunSettings &settings) {
  const std::vector<double> inner = sweepValues(spec.outer);
  const std::vector<double> outer = spec.second ? sweepValues(*spec.second) : std::vector<double>{0.0};
  SweptSource innerSource(circuit, spec.outer);
  std::optional<SweptSource> outerSource;
  if (spec.second) {
    outerSource.emplace(circuit, *spec.second);
  }

  NewtonSolver newton(circuit);
  std::vector<double> x = nodesetGuess(circuit);
  bool haveSolution = false;
  int iterations = 0, fallbacks = 0;
  const size_t total = inner.size() * outer.size();
  size_t done = 0;

  observer.beginPlot(circuit, PlotInfo{PlotKind::DcSweep, "DC transfer characteristic",
                                       scaleName(circuit, spec.outer.source)});
  for (double outerValue : outer) {
    if (outerSource) {
      outerSource->set(outerValue);
    }
    for (double value : inner) {
      innerSource.set(value);
      bool converged = false;
      if (haveSolution) {
        NewtonRequest request;
        request.mode = AnalysisMode::DcSweep;
        request.maxIterations = circuit.options().itl2;
        const std::vector<double> previous = x;
        const NewtonOutcome outcome = newton.solve(x, request);
        iterations += outcome.iterations;
        converged = outcome.converged;
        if (!converged) {
          x = previous;
        }
      }
      if (!converged) {
        // First point, or continuation failed: the full operating-point strategy.
        OperatingPointSettings opSettings;
        opSettings.mode = AnalysisMode::DcSweep;
        opSettings.iterationLimit = circuit.options().itl1;
        try {
          OperatingPointResult op = solveOperatingPoint(circuit, newton, x, opSettings, where);
          iterations += op.iterations;
          x = std::move(op.x);
        } catch (const UserError &error) {
          throw UserError(where, fmt::format("{} at {} = {:g}{}", error.message(), spec.outer.source, value,
                                             spec.second
                                                 ? fmt::format(", {} = {:g}", spec.second->source, outerValue)
                                                 : std::string()));
        }
        fallbacks += haveSolution ? 1 : 0;
      }
      haveSolution = true;
      circuit.acceptStep(x, 0.0);
      observer.addPoint(value, x);
      ++done;
      if (settings.progress && (done % 64 == 0 || done == total)) {
        settings.progress(static_cast<double>(done) / static_cast<double>(total),
                          fmt::format("{} = {:g}", spec.outer.source, value));
      }
    }
  }
  observer.endPlot();
  return {fmt::format(
      "dc sweep: {} point{}, {} Newton iterations{}", total, total == 1 ? "" : "s", iterations,
      fallbacks > 0 ? fmt::format(", {} point(s) needed the full operating-point strategy", fallbacks)
                    : std::string())};
}

} // namespace dwspice
