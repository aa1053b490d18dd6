// Operating point: Newton, gmin stepping, source stepping, nodesets, errors.
#include "test_analysis_devices.hpp"

#include <cmath>

using namespace dwspice;
using namespace dwspice::analysistest;
using testkit::assign;
using testkit::value;

namespace {

constexpr double kThermalVoltage = 0.025852;

// V1 in 0 <volts>; R1 in a <ohms>; D1 a 0 (Is = 1e-14).
CircuitSpec diodeCircuit(double volts, double ohms) {
  CircuitSpec spec;
  spec.instances.push_back(part("yv1", "tv", {"in", "0"}, {value(volts)}));
  spec.instances.push_back(part("yr1", "tr", {"in", "a"}, {value(ohms)}));
  spec.instances.push_back(part("yd1", "td", {"a", "0"}, {}));
  return spec;
}

// V1 in 0 10; R1 in out 1k; R2 out 0 3k (out = 7.5 V).
CircuitSpec dividerCircuit() {
  CircuitSpec spec;
  spec.instances.push_back(part("yv1", "tv", {"in", "0"}, {value(10)}));
  spec.instances.push_back(part("yr1", "tr", {"in", "out"}, {value(1e3)}));
  spec.instances.push_back(part("yr2", "tr", {"out", "0"}, {value(3e3)}));
  return spec;
}

// KCL at the diode's anode, relative to the resistor current. SPICE's
// convergence test (reltol = 1e-3 on updates and currents) may stop with an
// imbalance of a few 1e-4 of the current, as ngspice's does; reltol is the bar.
double diodeImbalance(const AnalysisRun &run, double volts, double ohms) {
  const double va = run.value(0, "a");
  const double resistorCurrent = (volts - va) / ohms;
  const double diodeCurrent = 1e-14 * (std::exp(va / kThermalVoltage) - 1.0);
  return std::abs(resistorCurrent - diodeCurrent) / std::abs(resistorCurrent);
}

} // namespace

TEST_CASE("op: resistive divider") {
  const auto run = runOn(dividerCircuit(), opAnalysis());
  REQUIRE(run->points().size() == 1);
  CHECK(run->observer.plot.kind == PlotKind::OperatingPoint);
  CHECK(run->observer.plot.plotName == "Operating Point");
  CHECK(run->observer.plotsBegun == 1);
  CHECK(run->observer.plotsEnded == 1);
  CHECK(run->value(0, "out") == doctest::Approx(7.5).epsilon(1e-12));
  CHECK(run->value(0, "in") == doctest::Approx(10).epsilon(1e-12));
  // SPICE sign: the source delivers 2.5 mA, so its branch current is negative.
  CHECK(run->value(0, "i(yv1)") == doctest::Approx(-2.5e-3).epsilon(1e-12));
  CHECK(run->summary.text.find("Newton converged") != std::string::npos);
}

TEST_CASE("op: a linear circuit is solved by one Newton step, a nonlinear one needs more") {
  const auto linear = runOn(dividerCircuit(), opAnalysis());
  CHECK(linear->summary.text.find("Newton converged in 1 iteration") != std::string::npos);
  CHECK(linear->value(0, "out") == doctest::Approx(7.5).epsilon(1e-12));
  const auto diode = runOn(diodeCircuit(1.0, 1e3), opAnalysis());
  CHECK(diode->summary.text.find("Newton converged in 1 iteration") == std::string::npos);
  CHECK(diodeImbalance(*diode, 1.0, 1e3) < 1e-3);
}

TEST_CASE("op: Newton on a diode") {
  const auto run = runOn(diodeCircuit(1.0, 1e3), opAnalysis());
  CHECK(run->summary.text.find("Newton converged") != std::string::npos);
  CHECK(diodeImbalance(*run, 1.0, 1e3) < 1e-3);
  CHECK(run->value(0, "a") > 0.4);
  CHECK(run->value(0, "a") < 0.7);
}

TEST_CASE("op: gmin stepping rescues a diode that plain Newton cannot reach in itl1") {
  // From 0 V the first Newton step puts ~5 V on the diode; without limiting,
  // walking back down takes ~Vt per iteration, far more than itl1 = 100.
  const auto run = runOn(diodeCircuit(5.0, 1e3), opAnalysis());
  INFO(run->summary.text);
  CHECK(run->summary.text.find("gmin stepping converged") != std::string::npos);
  CHECK(diodeImbalance(*run, 5.0, 1e3) < 1e-3);
}

TEST_CASE("op: source stepping when gmin stepping cannot help") {
  // With a 1 Ω series resistor a 1e-2 S shunt barely changes the first
  // Newton step, so gmin stepping fails as plain Newton does.
  const auto run = runOn(diodeCircuit(5.0, 1.0), opAnalysis());
  INFO(run->summary.text);
  CHECK(run->summary.text.find("source stepping converged") != std::string::npos);
  CHECK(diodeImbalance(*run, 5.0, 1.0) < 1e-3);
}

TEST_CASE("op: a nodeset near the solution lets plain Newton converge") {
  CircuitSpec spec = diodeCircuit(5.0, 1e3);
  spec.nodesets.push_back(NodeValue{"a", 0.68, {}});
  const auto run = runOn(spec, opAnalysis());
  INFO(run->summary.text);
  CHECK(run->summary.text.find("Newton converged") != std::string::npos);
  CHECK(diodeImbalance(*run, 5.0, 1e3) < 1e-3);
}

TEST_CASE("op: nodeset on a missing node is a user error") {
  CircuitSpec spec = diodeCircuit(1.0, 1e3);
  spec.nodesets.push_back(NodeValue{"nowhere", 1.0, {}});
  Circuit circuit(spec);
  RecordingObserver observer;
  CHECK_THROWS_WITH_AS(runAnalysis(circuit, opAnalysis(), observer, {}),
                       doctest::Contains("nodeset names node 'nowhere'"), UserError);
}

TEST_CASE("op: singular matrix names the node") {
  // +1k and −1k in parallel: zero conductance at node a.
  CircuitSpec spec;
  spec.instances.push_back(part("yi1", "ti", {"0", "a"}, {value(1e-3)}));
  spec.instances.push_back(part("yr1", "tr", {"a", "0"}, {value(1e3)}));
  spec.instances.push_back(part("yr2", "tr", {"a", "0"}, {value(-1e3)}));
  Circuit circuit(spec);
  RecordingObserver observer;
  CHECK_THROWS_WITH_AS(runAnalysis(circuit, opAnalysis(), observer, {}),
                       doctest::Contains("singular matrix at node 'a'"), UserError);
  CHECK(observer.plotsBegun == 0);
}

TEST_CASE("op: current source into a resistor, branch current of an inductor") {
  // I1 pushes 2 mA into node a; L1 shorts a to b; R1 b 0 1k.
  CircuitSpec spec;
  spec.instances.push_back(part("yi1", "ti", {"0", "a"}, {value(2e-3)}));
  spec.instances.push_back(part("yl1", "tl", {"a", "b"}, {value(1e-3)}));
  spec.instances.push_back(part("yr1", "tr", {"b", "0"}, {value(1e3)}));
  const auto run = runOn(spec, opAnalysis());
  CHECK(run->value(0, "a") == doctest::Approx(2.0).epsilon(1e-12));
  CHECK(run->value(0, "b") == doctest::Approx(2.0).epsilon(1e-12));
  CHECK(run->value(0, "i(yl1)") == doctest::Approx(2e-3).epsilon(1e-12));
}

TEST_CASE("op: a circuit built with ReleaseInstances frees the instance list and solves the same") {
  CircuitSpec spec;
  spec.instances.push_back(part("yv1", "tv", {"in", "0"}, {value(10)}));
  spec.instances.push_back(part("yr1", "tr", {"in", "out"}, {value(1e3)}));
  spec.instances.push_back(part("yr2", "tr", {"out", "0"}, {value(3e3)}));
  const Circuit kept(spec);
  Circuit released(spec, Circuit::ReleaseInstances{});
  CHECK(spec.instances.empty());
  CHECK(released.size() == kept.size());
  CHECK(released.devices().size() == 3);
  RecordingObserver observer;
  runAnalysis(released, opAnalysis(), observer, RunSettings{});
  const auto out = released.findUnknown("out");
  REQUIRE(out.has_value());
  REQUIRE(observer.points.size() == 1);
  CHECK(observer.points[0][static_cast<size_t>(*out)] == doctest::Approx(7.5).epsilon(1e-12));
}
