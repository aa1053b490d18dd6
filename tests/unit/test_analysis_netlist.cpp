// The analyses driven from netlist text with the real device models, as the
// CLI runs them.
#include "analysis/analysis.hpp"
#include "elaborate/load_netlist.hpp"
#include "test_analysis_devices.hpp"

#include <algorithm>
#include <cmath>

using namespace dwspice;
using namespace dwspice::analysistest;

namespace {

struct NetlistRun {
  std::unique_ptr<Circuit> circuit;
  RecordingObserver observer;
  AnalysisSummary summary;
  std::vector<double> progress;
};

std::unique_ptr<NetlistRun> runNetlist(const std::string &text) {
  const CircuitSpec spec = loadNetlistText(text);
  REQUIRE(spec.analyses.size() == 1);
  auto run = std::make_unique<NetlistRun>();
  run->circuit = std::make_unique<Circuit>(spec);
  RunSettings settings;
  settings.progress = [&progress = run->progress](double fraction, const std::string &) {
    progress.push_back(fraction);
  };
  run->summary = runAnalysis(*run->circuit, spec.analyses.front(), run->observer, settings);
  return run;
}

} // namespace

TEST_CASE("netlist: RC pulse .tran with the real models matches the exponential") {
  const auto run = runNetlist("rc\n"
                              "v1 in 0 pulse(0 1 1u 10n 10n 5u 20u)\n"
                              "r1 in out 1k\n"
                              "c1 out 0 1n\n"
                              ".options reltol=1e-4\n"
                              ".tran 0.1u 8u\n"
                              ".end\n");
  INFO(run->summary.text);
  const auto &times = run->observer.scales;
  const size_t out = static_cast<size_t>(*run->circuit->findNode("out"));
  const double tau = 1e-6, rise = 10e-9;
  for (size_t i = 0; i < times.size(); ++i) {
    const double s = times[i] - 1e-6;
    if (s > rise && times[i] <= 6.01e-6) {
      const double exact = 1.0 - (tau / rise) * (std::exp(rise / tau) - 1.0) * std::exp(-s / tau);
      CHECK(run->observer.points[i][out] == doctest::Approx(exact).epsilon(1e-3));
    }
  }
  for (double corner : {1e-6, 1.01e-6, 6.01e-6, 6.02e-6}) {
    CHECK_MESSAGE(
        std::any_of(times.begin(), times.end(), [&](double t) { return std::abs(t - corner) < 1e-18; }),
        "no point at " << corner);
  }
  REQUIRE(!run->progress.empty());
  CHECK(run->progress.back() == 1.0);
}

TEST_CASE("netlist: .dc of a diode with the real model, nested under a current source") {
  const auto run = runNetlist("diode dc\n"
                              "v1 in 0 dc 5\n"
                              "r1 in a 1k\n"
                              "d1 a 0 dmod\n"
                              "i1 0 b 1m\n"
                              "r2 b 0 1k\n"
                              ".model dmod d(is=1e-14)\n"
                              ".dc v1 0 5 1 i1 0 2m 1m\n"
                              ".end\n");
  CHECK(run->observer.plot.scaleName == "v-sweep");
  REQUIRE(run->observer.points.size() == 18);
  const size_t a = static_cast<size_t>(*run->circuit->findNode("a"));
  const size_t b = static_cast<size_t>(*run->circuit->findNode("b"));
  // Exact solution of (5 − v)/1k = Is·(exp(v/Vt) − 1) + gmin·v at 27 °C.
  CHECK(run->observer.points[5][a] == doctest::Approx(0.6928878).epsilon(1e-5));
  CHECK(run->observer.points[17][a] == doctest::Approx(0.6928878).epsilon(1e-5));
  CHECK(run->observer.points[17][b] == doctest::Approx(2.0).epsilon(1e-9));
  CHECK(run->observer.points[6][b] == doctest::Approx(1.0).epsilon(1e-9));
}

TEST_CASE("netlist: a singular .op names the branch of a shorted source pair") {
  // Two voltage sources in parallel form a loop; the topology check reports
  // it before any matrix is built.
  CHECK_THROWS_WITH_AS(runNetlist("loop\nv1 a 0 1\nv2 a 0 2\nr1 a 0 1k\n.op\n.end\n"),
                       doctest::Contains("loop of voltage sources"), UserError);
}
