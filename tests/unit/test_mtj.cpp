// MTJ compact model: bias-dependent TMR, Jullière default, stamp and Jacobian.
#include "device_test_kit.hpp"
#include "dw_test_support.hpp"
#include "spintronic/mtj.hpp"
#include "spintronic/mtj_conductance.hpp"

#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::testkit;
using dwspice::dwtest::relApprox;
using dwspice::spintronic::MtjConductance;
using dwspice::spintronic::MtjParams;

namespace {

ModelSpec mtjModel(std::map<std::string, double> params) {
  ModelSpec model;
  model.name = "mj";
  model.type = "mtj";
  model.params = std::move(params);
  return model;
}

} // namespace

TEST_CASE("mtj: Jullière TMR and bias dependence TMR(V) = TMR0/(1 + V²/Vh²)") {
  CHECK(spintronic::julliereTmr(0.4) == relApprox(2 * 0.16 / 0.84).epsilon(1e-12));
  MtjParams params;
  params.resistanceArea = 5e-12;
  params.area = 1e-14;
  params.tmr0 = 1.5;
  params.halfBiasVoltage = 0.4;
  const MtjConductance mtj(params);
  const double gP = 1e-14 / 5e-12;
  CHECK(mtj.parallelConductance() == relApprox(gP).epsilon(1e-12));
  CHECK(mtj.tmr(0.0) == relApprox(1.5));
  CHECK(mtj.tmr(0.4) == relApprox(0.75)); // halved at V = Vh
  CHECK(mtj.tmr(-0.8) == relApprox(1.5 / 5.0));
  // R_AP(V) = (1 + TMR(V))·R_P
  CHECK(1.0 / mtj.antiparallelConductance(0.2) == relApprox((1.0 + 1.5 / 1.25) / gP));
  // The parallel fraction interpolates conductances linearly.
  const auto half = mtj.evaluate(0.1, 0.5);
  CHECK(half.conductance == relApprox(0.5 * gP + 0.5 * mtj.antiparallelConductance(0.1)).epsilon(1e-12));
  CHECK(half.current == relApprox(half.conductance * 0.1));
}

TEST_CASE("mtj: device stamps I = G(V,s)·V with an exact Jacobian over bias and state") {
  const ModelSpec model = mtjModel({{"ra", 5e-12}, {"area", 2.5e-15}, {"tmr", 1.2}, {"vh", 0.5}});
  for (const double s : {0.0, 0.3, 1.0}) {
    DeviceBench bench(2);
    auto &device = dynamic_cast<spintronic::MtjDevice &>(
        bench.add(instance("n1", {"a", "b"}, {assign("s", s)}, &model), {1, 2}));
    bench.setup();
    CHECK(device.parallelFraction() == relApprox(s));
    for (const double v : {-1.2, -0.5, -0.05, 0.0, 0.01, 0.3, 0.5, 2.0}) {
      const std::vector<double> x{0.0, v + 0.1, 0.1};
      bench.checkJacobian(x, {}, 1e-6, 1e-15);
      const auto r = bench.evaluate(x);
      const double gP = 2.5e-15 / 5e-12;
      const double tmr = 1.2 / (1.0 + v * v / 0.25);
      const double g = s * gP + (1 - s) * gP / (1 + tmr);
      CHECK(r.f[1] == relApprox(g * v).epsilon(1e-12));
      CHECK(r.f[2] == relApprox(-g * v).epsilon(1e-12));
    }
  }
}

TEST_CASE("mtj: the bias dependence enters the Jacobian (dI/dV differs from I/V)") {
  const ModelSpec model = mtjModel({{"tmr", 2.0}, {"vh", 0.3}});
  DeviceBench bench(1);
  bench.add(instance("n1", {"a", "0"}, {assign("s", 0.0)}, &model), {1, 0});
  bench.setup();
  const auto r = bench.evaluate({0.0, 0.3});
  const double chord = r.f[1] / 0.3;
  // Antiparallel: G_AP rises with |V|, so the differential conductance exceeds the chord.
  CHECK(r.G[1][1] > chord * 1.05);
}

TEST_CASE("mtj: bad parameters are user errors") {
  const ModelSpec bad = mtjModel({{"ra", -1.0}});
  DeviceBench bench(2);
  CHECK_THROWS_AS(bench.add(instance("n1", {"a", "b"}, {}, &bad), {1, 2}), UserError);
  const ModelSpec good = mtjModel({});
  CHECK_THROWS_AS(bench.add(instance("n2", {"a", "b"}, {assign("s", 1.5)}, &good), {1, 2}), UserError);
  CHECK_THROWS_AS(bench.add(instance("n3", {"a", "b"}, {assign("bogus", 1.0)}, &good), {1, 2}), UserError);
}
