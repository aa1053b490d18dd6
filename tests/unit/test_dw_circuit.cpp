// DW devices inside a full circuit: the engine's .tran (IDA) moves the wall
// as the device's own ODE says, and the energy the write source delivers
// equals the heat ∫I²R dt in the heavy metal.
#include "dw_test_support.hpp"

#include "analysis/analysis.hpp"
#include "core/circuit.hpp"
#include "elaborate/load_netlist.hpp"
#include "output/solution_observer.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>
#include <variant>

using namespace dwspice;
using dwspice::dwtest::relApprox;

namespace {

// Integrates the write source's delivered power and the HM dissipation by the
// trapezoidal rule over the accepted time points, and keeps the last wall position.
class EnergyProbe final : public SolutionObserver {
public:
  void beginPlot(const Circuit &circuit, const PlotInfo &) override {
    source_ = circuit.findDevice("iw");
    dw_ = dynamic_cast<const spintronic::DwDevice *>(circuit.findDevice("n1"));
    REQUIRE(source_ != nullptr);
    REQUIRE(dw_ != nullptr);
    first_ = true;
  }
  void addPoint(double t, std::span<const double> x) override {
    const double sourcePower = source_->deliveredPower(x);
    const double heat = dw_->heavyMetalPower(x);
    if (!first_) {
      sourceEnergy += 0.5 * (sourcePower + lastSourcePower_) * (t - lastTime_);
      heatEnergy += 0.5 * (heat + lastHeat_) * (t - lastTime_);
    }
    first_ = false;
    lastTime_ = t;
    lastSourcePower_ = sourcePower;
    lastHeat_ = heat;
    position = dw_->wallPosition(x);
  }
  void endPlot() override {}

  double sourceEnergy = 0, heatEnergy = 0, position = 0;

private:
  const Device *source_ = nullptr;
  const spintronic::DwDevice *dw_ = nullptr;
  bool first_ = true;
  double lastTime_ = 0, lastSourcePower_ = 0, lastHeat_ = 0;
};

EnergyProbe runNeuronPulse(double current) {
  const std::string text =
      fmt::format("* neuron pulse\n.model neuron dwneuron()\n"
                  "iw 0 hp pulse(0 {:.9g} 0.1n 200p 200p 3n 100n)\n"
                  "vr rp 0 dc 10m\nn1 hp 0 rp 0 neuron\n.options reltol=1e-5\n.tran 10p 5n\n.end\n",
                  current);
  CircuitSpec spec = loadNetlistText(text, "<neuron pulse>");
  Circuit circuit(spec);
  EnergyProbe probe;
  for (const AnalysisSpec &analysis : spec.analyses) {
    if (std::holds_alternative<TranAnalysisSpec>(analysis.kind)) {
      runAnalysis(circuit, analysis, probe, RunSettings{});
    }
  }
  return probe;
}

} // namespace

TEST_CASE("dw circuit: energy delivered to the heavy metal equals the integral of I²R") {
  const double j = 3e11;
  const double current = j * 64e-9 * 2e-9;
  const double resistance = 2e-7 * 512e-9 / (64e-9 * 2e-9); // ρ·L/(w·t_HM) = 800 Ω
  const EnergyProbe probe = runNeuronPulse(current);
  // Trapezoidal pulse: flat 3 ns plus two 200 ps ramps, each worth 1/3 of its length at full power.
  const double expected = current * current * resistance * (3e-9 + 2 * 200e-12 / 3);
  MESSAGE(fmt::format("HM heat {:.6g} J, source energy {:.6g} J, I²R·t {:.6g} J", probe.heatEnergy,
                      probe.sourceEnergy, expected));
  CHECK(probe.heatEnergy == relApprox(probe.sourceEnergy).epsilon(1e-3));
  CHECK(probe.heatEnergy == relApprox(expected).epsilon(5e-3));
}

TEST_CASE("dw circuit: the engine's transient moves the wall as the device ODE does") {
  const double j = 3e11;
  const EnergyProbe probe = runNeuronPulse(j * 64e-9 * 2e-9);
  // Reference: RK4 of the device's own equations through the same trapezoidal pulse.
  const ModelSpec model = dwtest::dwModel("dwneuron", {});
  dwtest::DwBench reference(model);
  reference.integrate(0.0, 0.1e-9, 1e-12);
  const int ramp = 200;
  for (int i = 0; i < ramp; ++i) { // 200 ps rise, piecewise constant at the midpoint value
    reference.integrate(j * (i + 0.5) / ramp, 1e-12, 1e-12);
  }
  reference.integrate(j, 3e-9, 1e-12);
  for (int i = 0; i < ramp; ++i) {
    reference.integrate(j * (ramp - i - 0.5) / ramp, 1e-12, 1e-12);
  }
  reference.integrate(0.0, 5e-9 - 3.5e-9, 1e-12);
  MESSAGE(fmt::format("wall after the pulse: engine {:.3f} nm, RK4 {:.3f} nm", probe.position * 1e9,
                      reference.position() * 1e9));
  CHECK(probe.position == relApprox(reference.position()).epsilon(2e-3));
  CHECK(probe.position > 200e-9);
}

TEST_CASE("dw circuit: wall states have their own absolute tolerances, multiples of vntol") {
  // 10 pm and 3e-4 rad at the default vntol; a user's vntol scales them with the voltages.
  for (const double vntol : {1e-6, 1e-8}) {
    CAPTURE(vntol);
    const std::string text =
        fmt::format("* tolerances\n.model neuron dwneuron()\niw 0 hp dc 10u\nvr rp 0 dc 10m\n"
                    "n1 hp 0 rp 0 neuron\n.options vntol={:g}\n.tran 10p 1n\n.end\n",
                    vntol);
    const CircuitSpec spec = loadNetlistText(text, "<tolerances>");
    const Circuit circuit(spec);
    const auto position = circuit.findUnknown("n1#q");
    const auto angle = circuit.findUnknown("n1#phi");
    const auto node = circuit.findNode("hp");
    REQUIRE(position.has_value());
    REQUIRE(angle.has_value());
    REQUIRE(node.has_value());
    CHECK(circuit.absoluteTolerance(*position) == doctest::Approx(1e4 * vntol)); // nm
    CHECK(circuit.absoluteTolerance(*angle) == doctest::Approx(3e2 * vntol));    // rad
    CHECK(circuit.absoluteTolerance(*node) == doctest::Approx(vntol));           // V
    CHECK(circuit.absoluteTolerance(*circuit.findUnknown("i(vr)")) ==
          doctest::Approx(circuit.options().abstol));
  }
}

TEST_CASE("dw circuit: instances of one model share their parsed configuration, not their noise seeds") {
  // A circuit build parses each distinct (model, instance parameters) once;
  // the result must equal a per-instance parse, and seeds derived from the
  // instance name must still differ between instances.
  const CircuitSpec spec = loadNetlistText("* synapses\n"
                                           ".model syn dwsynapse(nnotch=5 noise=1)\n"
                                           "v1 a 0 dc 0\n"
                                           "n1 a 0 a 0 syn state=2\n"
                                           "n2 a 0 a 0 syn state=2\n"
                                           "n3 a 0 a 0 syn state=3\n"
                                           "n4 a 0 a 0 syn state=2 seed=7\n"
                                           "n5 a 0 a 0 syn state=2 seed=7\n"
                                           ".op\n.end\n",
                                           "<shared synapses>");
  const Circuit circuit(spec);
  const auto dw = [&](const char *name) {
    const auto *device = dynamic_cast<const spintronic::DwDevice *>(circuit.findDevice(name));
    REQUIRE(device != nullptr);
    return device;
  };
  CHECK(dw("n1")->initialPosition() == dw("n2")->initialPosition());
  CHECK(dw("n3")->initialPosition() > dw("n1")->initialPosition());
  CHECK(dw("n1")->noise().seed != dw("n2")->noise().seed);
  CHECK(dw("n4")->noise().seed == dw("n5")->noise().seed);
  // The same instance built alone (no shared cache) gets the same configuration.
  dwtest::DwBench alone(*spec.models.front(), {testkit::assign("state", 2)});
  CHECK(alone.device().initialPosition() == dw("n1")->initialPosition());
  CHECK(alone.device().track().params().wells.size() == dw("n1")->track().params().wells.size());
}
