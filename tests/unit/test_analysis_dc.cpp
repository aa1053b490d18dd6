// .dc sweeps: ordering of nested sweeps, scale names, continuation, errors.
#include "test_analysis_devices.hpp"

#include "analysis/dc_sweep.hpp"

#include <cmath>

using namespace dwspice;
using namespace dwspice::analysistest;
using testkit::value;

namespace {

AnalysisSpec dcAnalysis(DcSweepSpec first, std::optional<DcSweepSpec> second = std::nullopt) {
  return AnalysisSpec{DcAnalysisSpec{std::move(first), std::move(second)}, {}};
}

// Two independent halves: V1 a 0 with R a 0, V2 b 0 with R b 0.
CircuitSpec twoSources() {
  CircuitSpec spec;
  spec.instances.push_back(part("yv1", "tv", {"a", "0"}, {value(0.25)}));
  spec.instances.push_back(part("yr1", "tr", {"a", "0"}, {value(1e3)}));
  spec.instances.push_back(part("yv2", "tv", {"b", "0"}, {value(7)}));
  spec.instances.push_back(part("yr2", "tr", {"b", "0"}, {value(2e3)}));
  return spec;
}

} // namespace

TEST_CASE("dc: nested sweep, first source varies fastest") {
  const auto run = runOn(twoSources(), dcAnalysis({"yv1", 0, 1, 0.5, {}}, DcSweepSpec{"yv2", 0, 2, 1, {}}));
  CHECK(run->observer.plot.kind == PlotKind::DcSweep);
  CHECK(run->observer.plot.plotName == "DC transfer characteristic");
  CHECK(run->observer.plot.scaleName == "v-sweep");
  REQUIRE(run->points().size() == 9);
  const std::vector<double> inner{0, 0.5, 1, 0, 0.5, 1, 0, 0.5, 1};
  const std::vector<double> outer{0, 0, 0, 1, 1, 1, 2, 2, 2};
  for (size_t i = 0; i < 9; ++i) {
    CHECK(run->observer.scales[i] == doctest::Approx(inner[i]));
    CHECK(run->value(i, "a") == doctest::Approx(inner[i]));
    CHECK(run->value(i, "b") == doctest::Approx(outer[i]));
    CHECK(run->value(i, "i(yv2)") == doctest::Approx(-outer[i] / 2e3));
  }
  // The sources are back at their netlist values afterwards.
  RecordingObserver observer;
  runAnalysis(*run->circuit, opAnalysis(), observer, {});
  CHECK(observer.points.at(0).at(static_cast<size_t>(*run->circuit->findNode("a"))) == doctest::Approx(0.25));
  CHECK(observer.points.at(0).at(static_cast<size_t>(*run->circuit->findNode("b"))) == doctest::Approx(7));
}

TEST_CASE("dc: current source sweep is an i-sweep, downward steps work") {
  CircuitSpec spec;
  spec.instances.push_back(part("yi1", "ti", {"0", "a"}, {value(1e-3)}));
  spec.instances.push_back(part("yr1", "tr", {"a", "0"}, {value(1e3)}));
  const auto run = runOn(spec, dcAnalysis({"yi1", 2e-3, -2e-3, -1e-3, {}}));
  CHECK(run->observer.plot.scaleName == "i-sweep");
  REQUIRE(run->points().size() == 5);
  for (size_t i = 0; i < 5; ++i) {
    const double current = 2e-3 - 1e-3 * static_cast<double>(i);
    CHECK(run->observer.scales[i] == doctest::Approx(current));
    CHECK(run->value(i, "a") == doctest::Approx(current * 1e3));
  }
}

TEST_CASE("dc: continuation carries a diode sweep to voltages plain Newton cannot start from") {
  CircuitSpec spec;
  spec.instances.push_back(part("yv1", "tv", {"in", "0"}, {value(0)}));
  spec.instances.push_back(part("yr1", "tr", {"in", "a"}, {value(1e3)}));
  spec.instances.push_back(part("yd1", "td", {"a", "0"}, {}));
  const auto run = runOn(spec, dcAnalysis({"yv1", 0, 5, 0.25, {}}));
  INFO(run->summary.text);
  REQUIRE(run->points().size() == 21);
  double previous = -1;
  for (size_t i = 0; i < run->points().size(); ++i) {
    const double vin = run->observer.scales[i];
    const double va = run->value(i, "a");
    const double resistorCurrent = (vin - va) / 1e3;
    const double diodeCurrent = 1e-14 * (std::exp(va / 0.025852) - 1.0);
    // SPICE accuracy: reltol of the current.
    CHECK(std::abs(resistorCurrent - diodeCurrent) <= 1e-3 * std::abs(resistorCurrent) + 1e-12);
    CHECK(va > previous); // monotonic transfer curve
    previous = va;
  }
  CHECK(run->summary.text.find("full operating-point strategy") == std::string::npos);
}

TEST_CASE("dc: sweep values include the end point despite rounding") {
  const auto values = sweepValues({"v1", 0, 1, 0.1, {}});
  REQUIRE(values.size() == 11);
  CHECK(values.back() == doctest::Approx(1.0));
}

TEST_CASE("dc: bad sweeps are user errors") {
  Circuit circuit(twoSources());
  RecordingObserver observer;
  CHECK_THROWS_WITH_AS(runAnalysis(circuit, dcAnalysis({"yv1", 0, 1, 0, {}}), observer, {}),
                       doctest::Contains("must not be zero"), UserError);
  CHECK_THROWS_WITH_AS(runAnalysis(circuit, dcAnalysis({"yv1", 0, 1, -0.1, {}}), observer, {}),
                       doctest::Contains("does not lead"), UserError);
  CHECK_THROWS_WITH_AS(runAnalysis(circuit, dcAnalysis({"yv9", 0, 1, 0.1, {}}), observer, {}),
                       doctest::Contains("no source named 'yv9'"), UserError);
  CHECK_THROWS_WITH_AS(runAnalysis(circuit, dcAnalysis({"yr1", 0, 1, 0.1, {}}), observer, {}),
                       doctest::Contains("not an independent"), UserError);
}
