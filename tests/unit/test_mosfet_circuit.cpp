// MOSFETs inside a real operating-point analysis (Newton with fetlim, limvds
// and pnjlim from SPICE's initial junction point), with the analysis tests'
// private voltage source ('y' devices).
#include "test_analysis_devices.hpp"

#include <memory>

namespace {

using namespace dwspice;
using namespace dwspice::analysistest;

std::unique_ptr<ModelSpec> mosModel(const std::string &name, const std::string &type,
                                    std::map<std::string, double> params) {
  auto model = std::make_unique<ModelSpec>();
  model->name = name;
  model->type = type;
  model->params = std::move(params);
  return model;
}

} // namespace

TEST_CASE("mosfet circuit: two CMOS inverters, first one in its transition region, agree with ngspice 39") {
  // ngspice-39 reference (`ngspice -b`, print with numdgt=10):
  //   VDD vdd 0 dc 3.3 / VIN in 0 dc 1.4
  //   M1 o1 in vdd vdd pch l=1u w=4u / M2 o1 in 0 0 nch l=1u w=2u
  //   M3 o2 o1 vdd vdd pch l=1u w=4u / M4 o2 o1 0 0 nch l=1u w=2u
  //   .model nch nmos(level=1 vto=0.7 kp=110u gamma=0.4 phi=0.65 lambda=0.04)
  //   .model pch pmos(level=1 vto=-0.8 kp=40u gamma=0.5 phi=0.65 lambda=0.05)
  //   → v(o1) = 2.8881699137, v(o2) = 6.8753490375e-09, vdd#branch = -6.012690054e-05
  const auto nch =
      mosModel("nch", "nmos",
               {{"level", 1}, {"vto", 0.7}, {"kp", 110e-6}, {"gamma", 0.4}, {"phi", 0.65}, {"lambda", 0.04}});
  const auto pch =
      mosModel("pch", "pmos",
               {{"level", 1}, {"vto", -0.8}, {"kp", 40e-6}, {"gamma", 0.5}, {"phi", 0.65}, {"lambda", 0.05}});
  const auto size = [](double w) {
    return std::vector<CardArg>{testkit::assign("l", 1e-6), testkit::assign("w", w)};
  };
  CircuitSpec spec;
  spec.instances.push_back(part("yvdd", "tv", {"vdd", "0"}, {testkit::value(3.3)}));
  spec.instances.push_back(part("yvin", "tv", {"in", "0"}, {testkit::value(1.4)}));
  spec.instances.push_back(testkit::instance("m1", {"o1", "in", "vdd", "vdd"}, size(4e-6), pch.get()));
  spec.instances.push_back(testkit::instance("m2", {"o1", "in", "0", "0"}, size(2e-6), nch.get()));
  spec.instances.push_back(testkit::instance("m3", {"o2", "o1", "vdd", "vdd"}, size(4e-6), pch.get()));
  spec.instances.push_back(testkit::instance("m4", {"o2", "o1", "0", "0"}, size(2e-6), nch.get()));
  const auto run = runOn(spec, opAnalysis());
  INFO(run->summary.text);
  REQUIRE(run->points().size() == 1);
  CHECK(run->value(0, "o1") == doctest::Approx(2.8881699137).epsilon(1e-5));
  // o2 sits a few nV above ground (gmin against an off PMOS): absolute check.
  CHECK(run->value(0, "o2") == doctest::Approx(6.8753490375e-09).epsilon(1e-3).scale(1e-9));
}
