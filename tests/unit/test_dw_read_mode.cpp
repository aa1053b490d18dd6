// dwsynapse read mode (read=1): the wall frozen at its site, the MTJ a linear
// conductance evaluated at vrd. Checked against the dynamic model it stands
// in for and against plain resistors in a crossbar.
#include "dw_test_support.hpp"

#include "analysis/analysis.hpp"
#include "core/circuit.hpp"
#include "elaborate/load_netlist.hpp"
#include "output/solution_observer.hpp"
#include "spintronic/dw_params.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>
#include <variant>

using namespace dwspice;
using dwspice::dwtest::relApprox;

namespace {

// Keeps the last solution of every plot of a run, and the circuit.
class LastPoint final : public SolutionObserver {
public:
  void beginPlot(const Circuit &circuit, const PlotInfo &) override { circuit_ = &circuit; }
  void addPoint(double, std::span<const double> x) override { x_.assign(x.begin(), x.end()); }
  void endPlot() override {}

  [[nodiscard]] double value(const std::string &name) const {
    const auto index = circuit_->findUnknown(name);
    REQUIRE_MESSAGE(index.has_value(), "no unknown " << name);
    return x_[static_cast<size_t>(*index)];
  }
  [[nodiscard]] const spintronic::DwDevice &dw(const std::string &name) const {
    const auto *device = dynamic_cast<const spintronic::DwDevice *>(circuit_->findDevice(name));
    REQUIRE(device != nullptr);
    return *device;
  }
  [[nodiscard]] std::span<const double> x() const { return x_; }

private:
  const Circuit *circuit_ = nullptr;
  std::vector<double> x_;
};

// Runs every analysis of the netlist; the observer keeps the last point. The
// circuit must outlive the observer's use, so both live in the caller.
void run(Circuit &circuit, const CircuitSpec &spec, LastPoint &probe) {
  for (const AnalysisSpec &analysis : spec.analyses) {
    runAnalysis(circuit, analysis, probe, RunSettings{});
  }
}

std::vector<CardArg> readArgs(double state, double vrd) {
  return {testkit::assign("read", 1), testkit::assign("state", state), testkit::assign("vrd", vrd)};
}

} // namespace

TEST_CASE("dw read mode: no state unknowns, linear, exact Jacobian in every analysis mode") {
  const ModelSpec model = dwtest::dwModel("dwsynapse", {{"nnotch", 5}});
  testkit::DeviceBench bench(2);
  auto &device = dynamic_cast<spintronic::DwDevice &>(
      bench.add(testkit::instance("n1", {"hp", "0", "rp", "0"}, readArgs(3, 0.1), &model), {1, 0, 2, 0}));
  bench.setup();
  CHECK(bench.size() == 2); // no #q, #phi
  CHECK(device.isLinear());
  CHECK(device.readMode());
  const double g = device.frozenConductance();
  const double rHm = device.track().heavyMetalResistance();
  for (const AnalysisMode mode :
       {AnalysisMode::OperatingPoint, AnalysisMode::DcSweep, AnalysisMode::Transient}) {
    LoadContext ctx;
    ctx.mode = mode;
    ctx.time = 1e-9;
    bench.checkJacobian({0.0, 0.3, 0.7}, ctx);
    // f = G·x exactly, for any bias (the read bias is frozen into G).
    const auto r = bench.evaluate({0.0, 0.3, 0.7}, ctx);
    CHECK(r.f[1] == relApprox(0.3 / rHm).epsilon(1e-12));
    CHECK(r.f[2] == relApprox(0.7 * g).epsilon(1e-12));
    CHECK(r.G[2][2] == relApprox(g).epsilon(1e-12));
    CHECK(r.G[2][1] == 0.0); // the HM current does not touch the frozen read-out
  }
  // The dynamic device in the same state is not linear.
  testkit::DeviceBench dynamicBench(2);
  auto &dynamicDevice = dynamicBench.add(
      testkit::instance("n2", {"hp", "0", "rp", "0"}, {testkit::assign("state", 3)}, &model), {1, 0, 2, 0});
  dynamicBench.setup();
  CHECK_FALSE(dynamicDevice.isLinear());
  CHECK(dynamicBench.size() == 4);
}

TEST_CASE("dw read mode: conductance levels rise with the state and fall with the read bias") {
  const ModelSpec model = dwtest::dwModel("dwsynapse", {{"nnotch", 10}});
  double previous = 0.0;
  for (int state = 0; state <= 10; ++state) {
    testkit::DeviceBench low(2), high(2);
    auto &atLow = dynamic_cast<spintronic::DwDevice &>(
        low.add(testkit::instance("n1", {"hp", "0", "rp", "0"}, readArgs(state, 0.0), &model), {1, 0, 2, 0}));
    auto &atHigh = dynamic_cast<spintronic::DwDevice &>(high.add(
        testkit::instance("n1", {"hp", "0", "rp", "0"}, readArgs(state, 0.4), &model), {1, 0, 2, 0}));
    CHECK(atLow.frozenConductance() > previous);
    previous = atLow.frozenConductance();
    // TMR(V) falls with bias, so G_AP rises: any state with an AP part reads higher at 0.4 V.
    CHECK(atHigh.frozenConductance() > atLow.frozenConductance());
  }
}

TEST_CASE("dw read mode: G equals the dynamic model's read-out at the same state and bias") {
  // The dynamic model's .op holds the wall at the notch centre; in .tran with
  // no write current it settles to the relaxed position the read mode uses
  // (shifted from the centre only at the track's end, by the confinement).
  for (const int notches : {5, 10}) {
    for (const int state : {0, 1, notches / 2, notches}) {
      const double vrd = 0.1;
      const std::string text = fmt::format("* read vs dynamic\n.model syn dwsynapse(nnotch={0})\n"
                                           "vd rd 0 dc {1}\nndyn 0 0 rd 0 syn state={2}\n"
                                           "vr rr 0 dc {1}\nnread 0 0 rr 0 syn state={2} read=1 vrd={1}\n"
                                           ".op\n.tran 10p 10n\n.end\n",
                                           notches, vrd, state);
      const CircuitSpec spec = loadNetlistText(text, "<read vs dynamic>");
      Circuit circuit(spec);
      LastPoint probe;
      // .op: same bias, wall at the notch centre (dynamic) vs the relaxed position (read).
      runAnalysis(circuit, spec.analyses.at(0), probe, RunSettings{});
      const double gReadOp = -probe.value("i(vr)") / vrd;
      const double gDynamicOp = -probe.value("i(vd)") / vrd;
      CHECK(gReadOp == relApprox(probe.dw("nread").frozenConductance()).epsilon(1e-9));
      CHECK(gReadOp == relApprox(gDynamicOp).epsilon(1e-3));
      // .tran: the dynamic wall relaxes to where the read mode froze it.
      runAnalysis(circuit, spec.analyses.at(1), probe, RunSettings{});
      const double gRead = -probe.value("i(vr)") / vrd;
      const double gDynamic = -probe.value("i(vd)") / vrd;
      MESSAGE(fmt::format("{} notches, state {}: G read {:.9g} S, dynamic .op {:.9g} S, settled {:.9g} S",
                          notches, state, gRead, gDynamicOp, gDynamic));
      CHECK(gRead == relApprox(gDynamic).epsilon(1e-5));
      const double frozen = probe.dw("nread").wallPosition(probe.x());
      const double settled = probe.dw("ndyn").wallPosition(probe.x());
      CHECK(std::abs(frozen - settled) < 0.05e-9);
    }
  }
}

TEST_CASE("dw read mode: a crossbar of read-mode synapses reads like the same resistors") {
  // 3 rows × 2 columns, columns loaded by 100 Ω to ground (a real load, so the
  // column voltages depend on every conductance).
  const int states[3][2] = {{0, 5}, {2, 3}, {5, 1}};
  const double rows[3] = {0.1, -0.05, 0.08};
  std::string synapses = "* crossbar of read-mode synapses\n.model syn dwsynapse(nnotch=5 read=1 vrd=0.1)\n";
  for (int r = 0; r < 3; ++r) {
    synapses += fmt::format("vrow{0} row{0} 0 dc {1}\n", r, rows[r]);
    for (int c = 0; c < 2; ++c) {
      synapses += fmt::format("ns{0}{1} 0 0 row{0} col{1} syn state={2}\n", r, c, states[r][c]);
    }
  }
  synapses += "rl0 col0 0 100\nrl1 col1 0 100\n.op\n.end\n";
  const CircuitSpec synapseSpec = loadNetlistText(synapses, "<synapse crossbar>");
  Circuit synapseCircuit(synapseSpec);
  LastPoint synapseProbe;
  run(synapseCircuit, synapseSpec, synapseProbe);

  std::string resistors = "* the same crossbar with resistors\n";
  for (int r = 0; r < 3; ++r) {
    resistors += fmt::format("vrow{0} row{0} 0 dc {1}\n", r, rows[r]);
    for (int c = 0; c < 2; ++c) {
      const double g = synapseProbe.dw(fmt::format("ns{}{}", r, c)).frozenConductance();
      resistors += fmt::format("rs{0}{1} row{0} col{1} {2:.17g}\n", r, c, 1.0 / g);
    }
  }
  resistors += "rl0 col0 0 100\nrl1 col1 0 100\n.op\n.end\n";
  const CircuitSpec resistorSpec = loadNetlistText(resistors, "<resistor crossbar>");
  Circuit resistorCircuit(resistorSpec);
  LastPoint resistorProbe;
  run(resistorCircuit, resistorSpec, resistorProbe);

  for (const char *node : {"col0", "col1"}) {
    CHECK(synapseProbe.value(node) == relApprox(resistorProbe.value(node)).epsilon(1e-9));
    CHECK(std::abs(synapseProbe.value(node)) > 1e-6);
  }
  for (int r = 0; r < 3; ++r) {
    const std::string current = fmt::format("i(vrow{})", r);
    CHECK(synapseProbe.value(current) == relApprox(resistorProbe.value(current)).epsilon(1e-9));
  }
}

TEST_CASE("dw read mode: parameter errors") {
  const auto build = [](const std::string &card) {
    const std::string text =
        fmt::format("* e\n.model syn dwsynapse(nnotch=5)\nvr r 0 dc 0.1\n{}\n.op\n.end\n", card);
    const CircuitSpec spec = loadNetlistText(text, "<errors>");
    Circuit circuit(spec);
  };
  CHECK_THROWS_AS(build("n1 0 0 r 0 syn read=2"), UserError);
  CHECK_THROWS_AS(build("n1 0 0 r 0 syn read=1 noise=1"), UserError);
  CHECK_NOTHROW(build("n1 0 0 r 0 syn read=1 state=5 vrd=0.2"));
}
