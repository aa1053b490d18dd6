// Minimal test-only devices for the analysis tests, registered under the
// otherwise unused element letter 'y' with private model types, so that the
// analyses are tested independently of the real device models:
//   tr  resistor   (value R)            tc  capacitor (value C)
//   tl  inductor   (value L)            ti  current source (value I, n+ → n−)
//   tv  voltage source (value V, or pulse(v1 v2 td tr tf pw per)); sweepable
//   td  diode (is=, n=) with no voltage limiting, so plain Newton struggles
//   tsq current k·v² into n+ (assign k=): dv/dt = v² blows up in finite time
//   tdc resistor that vanishes in transient mode (a node that is fine at DC
//       and singular in .tran)
#pragma once

#include "core/circuit.hpp"
#include "device_test_kit.hpp"

#include <string>
#include <vector>

namespace dwspice::analysistest {

// A model spec of the given test type (static storage, so instances may
// point at it).
const ModelSpec *testModel(const std::string &type);

// Builds an instance of a test device: name must start with 'y'.
inline InstanceSpec part(const std::string &name, const std::string &type, std::vector<std::string> nodes,
                         std::vector<CardArg> args) {
  return testkit::instance(name, std::move(nodes), std::move(args), testModel(type));
}

} // namespace dwspice::analysistest

#include "analysis/analysis.hpp"
#include "output/solution_observer.hpp"

namespace dwspice::analysistest {

// Keeps everything an analysis reports.
class RecordingObserver final : public SolutionObserver {
public:
  void beginPlot(const Circuit & /*circuit*/, const PlotInfo &info) override {
    plot = info;
    ++plotsBegun;
  }
  void addPoint(double scale, std::span<const double> x) override {
    scales.push_back(scale);
    points.emplace_back(x.begin(), x.end());
  }
  void endPlot() override { ++plotsEnded; }

  PlotInfo plot;
  int plotsBegun = 0, plotsEnded = 0;
  std::vector<double> scales;
  std::vector<std::vector<double>> points;
};

// Runs one analysis of `spec` on a fresh circuit.
struct AnalysisRun {
  std::unique_ptr<Circuit> circuit;
  RecordingObserver observer;
  AnalysisSummary summary;

  // Value of unknown `name` at point `i`.
  [[nodiscard]] double value(size_t i, const std::string &name) const {
    const auto index = circuit->findUnknown(name);
    REQUIRE_MESSAGE(index.has_value(), "no unknown " << name);
    return points().at(i).at(static_cast<size_t>(*index));
  }
  [[nodiscard]] const std::vector<std::vector<double>> &points() const { return observer.points; }
};

inline std::unique_ptr<AnalysisRun> runOn(const CircuitSpec &spec, const AnalysisSpec &analysis) {
  auto run = std::make_unique<AnalysisRun>();
  run->circuit = std::make_unique<Circuit>(spec);
  run->summary = runAnalysis(*run->circuit, analysis, run->observer, RunSettings{});
  return run;
}

inline AnalysisSpec opAnalysis() {
  return AnalysisSpec{OpAnalysisSpec{}, {}};
}
inline AnalysisSpec tranAnalysis(double tstep, double tstop, double tstart = 0, double tmax = 0,
                                 bool uic = false) {
  return AnalysisSpec{TranAnalysisSpec{tstep, tstop, tstart, tmax, uic}, {}};
}

} // namespace dwspice::analysistest
