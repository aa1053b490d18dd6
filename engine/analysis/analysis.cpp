#include "analysis/analysis.hpp"

#include "analysis/dae_system.hpp"

#include "analysis/dc_sweep.hpp"
#include "analysis/newton.hpp"
#include "analysis/operating_point.hpp"
#include "analysis/transient.hpp"

#include <fmt/core.h>

namespace dwspice {

AnalysisCache::AnalysisCache() = default;
AnalysisCache::~AnalysisCache() = default;
AnalysisCache::AnalysisCache(AnalysisCache &&) noexcept = default;
AnalysisCache &AnalysisCache::operator=(AnalysisCache &&) noexcept = default;

namespace {

AnalysisSummary runOperatingPoint(Circuit &circuit, const SourceLoc &where, SolutionObserver &observer) {
  NewtonSolver newton(circuit);
  OperatingPointSettings settings;
  settings.mode = AnalysisMode::OperatingPoint;
  settings.iterationLimit = circuit.options().itl1;
  // ngspice applies .ic only to the transient's initial point, not to .op.
  const OperatingPointResult op =
      solveOperatingPoint(circuit, newton, nodesetGuess(circuit), settings, where);
  circuit.acceptStep(op.x, 0.0);
  observer.beginPlot(circuit, PlotInfo{PlotKind::OperatingPoint, "Operating Point", ""});
  observer.addPoint(0.0, op.x);
  observer.endPlot();
  return {fmt::format("operating point: {}", op.describe())};
}

} // namespace

AnalysisSummary runAnalysis(Circuit &circuit, const AnalysisSpec &analysis, SolutionObserver &observer,
                            const RunSettings &settings) {
  if (std::holds_alternative<OpAnalysisSpec>(analysis.kind)) {
    return runOperatingPoint(circuit, analysis.loc, observer);
  }
  if (const auto *dc = std::get_if<DcAnalysisSpec>(&analysis.kind)) {
    return runDcSweep(circuit, *dc, analysis.loc, observer, settings);
  }
  return runTransient(circuit, std::get<TranAnalysisSpec>(analysis.kind), analysis.loc, observer, settings);
}

} // namespace dwspice
