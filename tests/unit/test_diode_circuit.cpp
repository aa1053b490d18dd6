// The diode inside a real operating-point analysis (Newton with limiting),
// with the analysis tests' private source and resistor ('y' devices).
#include "test_analysis_devices.hpp"

#include <memory>

namespace {

using namespace dwspice;
using namespace dwspice::analysistest;

std::unique_ptr<ModelSpec> breakdownDiode() {
  auto model = std::make_unique<ModelSpec>();
  model->name = "dmod";
  model->type = "d";
  model->params = {{"is", 1e-14}, {"n", 1.05}, {"rs", 0.5}, {"bv", 5}, {"ibv", 1e-6}};
  return model;
}

} // namespace

// Needs Newton to honour LoadContext::limitedDevices (SPICE's noncon): the
// pnjlim steps that carry D1 into breakdown leave a linearised residual that
// looks converged, and without the check Newton stopped with v(a) = −9.99999
// (D1 5 V short of breakdown).
TEST_CASE("diode circuit: operating point with one diode in breakdown agrees with ngspice 39") {
  // ngspice-39 reference (`ngspice -b`, print with numdgt=10):
  //   V1 in 0 dc -10 / R1 in a 100 / D1 a 0 dmod / D2 0 b dmod / R2 in b 1k
  //   .model dmod d(is=1e-14 n=1.05 rs=0.5 bv=5 ibv=1e-6)
  //   → v(a) = -5.315509711, v(b) = -0.7529054945, i(v1) = 5.6091997395e-02
  const auto model = breakdownDiode();
  CircuitSpec spec;
  spec.instances.push_back(part("yv1", "tv", {"in", "0"}, {testkit::value(-10)}));
  spec.instances.push_back(part("yr1", "tr", {"in", "a"}, {testkit::value(100)}));
  spec.instances.push_back(testkit::instance("d1", {"a", "0"}, {}, model.get()));
  spec.instances.push_back(testkit::instance("d2", {"0", "b"}, {}, model.get()));
  spec.instances.push_back(part("yr2", "tr", {"in", "b"}, {testkit::value(1e3)}));
  const auto run = runOn(spec, opAnalysis());
  INFO(run->summary.text);
  REQUIRE(run->points().size() == 1);
  CHECK(run->value(0, "a") == doctest::Approx(-5.315509711).epsilon(1e-5));
  CHECK(run->value(0, "b") == doctest::Approx(-0.7529054945).epsilon(1e-5));
}
