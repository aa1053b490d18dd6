// The checked-in MNIST cells (netlists/mnist/cells.inc with design.conf): a
// hidden cell's outputs rise (outp) and fall (outn) with its column current,
// are zero with the wall at home and while rden is low, and the reset phase
// brings every neuron wall back home.
#include "analysis/analysis.hpp"
#include "core/circuit.hpp"
#include "elaborate/load_netlist.hpp"
#include "output/solution_observer.hpp"
#include "spintronic/dw_device.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <map>
#include <sstream>

using namespace dwspice;

namespace {

const std::filesystem::path kMnist = std::filesystem::path(DWSPICE_SOURCE_DIR) / "netlists/mnist";

std::string fileText(const std::filesystem::path &file) {
  std::ifstream in(file);
  REQUIRE_MESSAGE(in.good(), "cannot open " << file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// design.conf as .param lines (key = value, # comments).
std::string designParams(std::map<std::string, double> &values) {
  std::istringstream lines(fileText(kMnist / "design.conf"));
  std::string line, params;
  while (std::getline(lines, line)) {
    line = line.substr(0, line.find('#'));
    const auto equals = line.find('=');
    if (equals == std::string::npos) {
      continue;
    }
    std::istringstream key(line.substr(0, equals)), value(line.substr(equals + 1));
    std::string name;
    double number = 0;
    key >> name;
    value >> number;
    values[name] = number;
    params += fmt::format(".param {}={:.12g}\n", name, number);
  }
  return params;
}

// Samples of the cells' outputs and wall positions at chosen times.
class CellProbe final : public SolutionObserver {
public:
  CellProbe(int cells, std::vector<double> times) : cells_(cells), times_(std::move(times)) {}

  void beginPlot(const Circuit &circuit, const PlotInfo &) override {
    circuit_ = &circuit;
    samples.assign(times_.size(), {});
    next_ = 0;
  }
  void addPoint(double t, std::span<const double> x) override {
    // The first accepted point at or after each sample time (all lie on flat parts).
    while (next_ < times_.size() && t >= times_[next_]) {
      for (int k = 0; k < cells_; ++k) {
        const auto *neuron =
            dynamic_cast<const spintronic::DwDevice *>(circuit_->findDevice(fmt::format("n.xh{}.nneu", k)));
        REQUIRE(neuron != nullptr);
        samples[next_].push_back({x[static_cast<size_t>(*circuit_->findNode(fmt::format("op{}", k)))],
                                  x[static_cast<size_t>(*circuit_->findNode(fmt::format("on{}", k)))],
                                  neuron->wallPosition(x)});
      }
      ++next_;
    }
  }
  void endPlot() override {}

  struct Sample {
    double outp, outn, position;
  };
  std::vector<std::vector<Sample>> samples; // [time][cell]

private:
  int cells_;
  std::vector<double> times_;
  const Circuit *circuit_ = nullptr;
  size_t next_ = 0;
};

} // namespace

TEST_CASE("mnist cells: hidden outputs rise with the column current; reset brings every wall home") {
  std::map<std::string, double> d;
  std::string text = "* hidden cells\n" + designParams(d) + fileText(kMnist / "cells.inc");
  text += fmt::format("vsupp vdd 0 dc {}\nvsupn vss 0 dc {}\n", d["vdd"], d["vss"]);
  text += fmt::format("vrden rden 0 pulse(0 {} {} {} {} {} 1)\n", d["vdd"], d["t_l2"], d["t_rise"],
                      d["t_rise"], d["t_write"]);
  const std::vector<double> currents = {-5e-6, 0.0, 8e-6, 12e-6, 16e-6};
  for (size_t k = 0; k < currents.size(); ++k) {
    text += fmt::format("iin{0} 0 c{0} pulse(0 {1} {2} {3} {3} {4} 1)\n"
                        "xh{0} c{0} op{0} on{0} vdd vss rden hidden_cell\n"
                        "rlp{0} op{0} 0 {{rload2}}\nrln{0} on{0} 0 {{rload2}}\n",
                        k, currents[k], d["t_in"], d["t_rise"], d["t_write"]);
  }
  text += fmt::format(".tran {} {}\n.end\n", d["tstop"] / 50, d["tstop"]);
  const CircuitSpec spec = loadNetlistText(text, "<mnist hidden cells>");
  Circuit circuit(spec);
  // Sample times: before rden (layer-1 window over), late in the layer-2 window, at the end.
  const double beforeRead = d["t_l2"] - 0.05e-9;
  const double reading = d["t_l2"] + d["t_rise"] + 0.9 * d["t_write"];
  CellProbe probe(static_cast<int>(currents.size()), {beforeRead, reading, d["tstop"]});
  runAnalysis(circuit, spec.analyses.at(0), probe, RunSettings{});
  REQUIRE(probe.samples.size() == 3);
  const auto &before = probe.samples[0];
  const auto &during = probe.samples[1];
  const auto &end = probe.samples[2];
  const double home = 15e-9; // the dwcell model's home well
  for (size_t k = 0; k < currents.size(); ++k) {
    MESSAGE(fmt::format(
        "I_col {:.3g} A: wall {:.1f} nm, outp {:.4f} V, outn {:.4f} V, wall at tstop {:.2f} nm", currents[k],
        before[k].position * 1e9, during[k].outp, during[k].outn, end[k].position * 1e9));
    // Drivers off before rden: both rows at 0 V.
    CHECK(std::abs(before[k].outp) < 1e-3);
    CHECK(std::abs(before[k].outn) < 1e-3);
    // Symmetric drive: outn mirrors outp.
    CHECK(std::abs(during[k].outn + during[k].outp) < 0.02 * std::abs(during[k].outp) + 1e-3);
    // Reset: every wall back in its home well.
    CHECK(std::abs(end[k].position - home) < 1e-9);
  }
  // Wall at home (negative or no current): no output.
  CHECK(during[0].outp < 1e-3);
  CHECK(during[1].outp < 1e-3);
  // Rising with the input current, and clearly so.
  for (size_t k = 2; k < currents.size(); ++k) {
    CHECK(before[k].position > before[k - 1].position + 20e-9);
    CHECK(during[k].outp > during[k - 1].outp + 0.02);
    CHECK(during[k].outn < during[k - 1].outn - 0.02);
  }
}
