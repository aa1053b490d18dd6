// Unit tests of the classifier netlist generator (tools/mnist): the readers of
// design.conf, the weights file and cells.inc, and the netlist it writes.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <fmt/core.h>

#include "cells_library.hpp"
#include "classifier_netlist.hpp"
#include "core/diagnostics.hpp"
#include "crossbar_weights.hpp"
#include "design_config.hpp"

using namespace dwspice;
using namespace dwspice::mnist;

namespace {

std::filesystem::path scratch(const std::string &name) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("dwgen_tests_{}", ::getpid());
  std::filesystem::create_directories(dir);
  return dir / name;
}

std::filesystem::path writeFile(const std::string &name, const std::string &text) {
  const auto path = scratch(name);
  std::ofstream(path) << text;
  return path;
}

const std::string kDesign = R"(# test design
vread = 0.1
vbias2 = 0.3
k1 = 4
k2 = 40
vdd = 1
vss = -1
t_rise = 1e-10
t_in = 1e-10
t_write = 3e-9
t_l2 = 3.5e-9
t_read = 6.8e-9
t_readw = 6e-10
t_classify = 7.2e-9
t_reset = 7.6e-9
t_resetw = 5e-9
i_reset = 5e-5
tstop = 1.5e-8
tmax = 0
ra_l1 = 1e-8
ra_l2 = 5e-7
vrd = 0.05   # read bias
rload2 = 2.6e5
)";

const std::string kCells = R"(* test cells
.subckt hidden_cell col outp outn vdd vss rden
vsns col 0 0
rp outp 0 1k
rn outn 0 1k
.ends hidden_cell
.subckt output_cell col vdd vss rdout
vsns col 0 0
vout rdout 0 0
.ends
)";

// Weights with state (row + col) % (notches + 1) for G+ and (row * col) % … for G-.
std::string weightsText(int hidden, int notches, const std::string &dataset = "mnist") {
  std::string text =
      fmt::format("# dwspice-weights 1\ndataset {}\nnotches {}\ninputs 784\nhidden {}\noutputs 10\n"
                  "vread 0.1\nvbias2 0.3\n",
                  dataset, notches, hidden);
  for (int layer = 1; layer <= 2; ++layer) {
    text += fmt::format("levels{}", layer);
    for (int k = 0; k <= notches; ++k) {
      text += fmt::format(" {}", (layer == 1 ? 16e-6 : 1.6e-6) * (1.0 + 0.05 * k));
    }
    text += '\n';
  }
  const auto layerText = [&](int layer, int rows, int cols) {
    text += fmt::format("layer{} {} {}\n", layer, rows, cols);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        text += fmt::format("{}{}:{}", c == 0 ? "" : " ", (r + c) % (notches + 1), (r * c) % (notches + 1));
      }
      text += '\n';
    }
  };
  layerText(1, 785, hidden);
  layerText(2, hidden + 1, 10);
  return text;
}

std::string errorOf(const std::function<void()> &action) {
  try {
    action();
  } catch (const UserError &error) {
    return error.what();
  }
  return "<no error>";
}

std::string generate(const CrossbarWeights &weights, const DesignConfig &design, const CellsLibrary &cells,
                     const GeneratorOptions &options, NetlistSummary *summary = nullptr) {
  std::FILE *file = std::tmpfile();
  REQUIRE(file != nullptr);
  const NetlistSummary written = writeClassifierNetlist(file, weights, design, cells, options);
  if (summary != nullptr) {
    *summary = written;
  }
  std::rewind(file);
  std::string text;
  char block[65536];
  for (std::size_t n; (n = std::fread(block, 1, sizeof block, file)) > 0;) {
    text.append(block, n);
  }
  std::fclose(file);
  return text;
}

long countMatches(const std::string &text, const std::string &pattern) {
  const std::regex re(pattern, std::regex::multiline);
  return std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator());
}

} // namespace

TEST_CASE("design.conf: values, comments and overrides") {
  const auto design = DesignConfig::read(writeFile("good.conf", kDesign));
  CHECK(design["vread"] == doctest::Approx(0.1));
  CHECK(design["vrd"] == doctest::Approx(0.05));
  CHECK(design["rload2"] == doctest::Approx(2.6e5));
  CHECK(design.entries().size() == DesignConfig::requiredKeys().size());
}

TEST_CASE("design.conf: errors name the file and line") {
  CHECK(errorOf([] {
          DesignConfig::read(writeFile("suffix.conf", kDesign + "extra = 3n\n"));
        }).find("suffix.conf:24:") != std::string::npos);
  CHECK(errorOf([] {
          DesignConfig::read(writeFile("noeq.conf", kDesign + "junk line\n"));
        }).find("expected 'key = value'") != std::string::npos);
  CHECK(errorOf([] {
          DesignConfig::read(writeFile("dup.conf", kDesign + "k1 = 5\n"));
        }).find("given twice") != std::string::npos);
  std::string missing = kDesign;
  missing.replace(missing.find("k2 = 40"), 7, "");
  CHECK(errorOf([&] { DesignConfig::read(writeFile("missing.conf", missing)); }).find("'k2' is missing") !=
        std::string::npos);
  CHECK(errorOf([] { DesignConfig::read(scratch("absent.conf")); }).find("cannot open") != std::string::npos);
}

TEST_CASE("weights file: round trip of the spec format") {
  const auto weights = readCrossbarWeights(writeFile("w.weights", weightsText(4, 5)));
  CHECK(weights.dataset == "mnist");
  CHECK(weights.notches == 5);
  CHECK(weights.hidden == 4);
  CHECK(weights.layer1.rows == 785);
  CHECK(weights.layer1.cols == 4);
  CHECK(weights.layer2.rows == 5);
  CHECK(weights.layer1.plus(784, 3) == (784 + 3) % 6);
  CHECK(weights.layer1.minus(7, 3) == (7 * 3) % 6);
  CHECK(weights.levels2.size() == 6);
  CHECK(weights.vbias2 == doctest::Approx(0.3));
}

TEST_CASE("weights file: malformed input is a located error") {
  const std::string good = weightsText(2, 5);
  const auto failWith = [](const std::string &text) {
    return errorOf([&] { readCrossbarWeights(writeFile("bad.weights", text)); });
  };
  CHECK(failWith("dataset mnist\n").find("dwspice-weights 1") != std::string::npos);
  std::string badState = good;
  badState.replace(badState.find("layer1 785 2\n") + 13, 3, "6:0");
  CHECK(failWith(badState).find("0..5") != std::string::npos);
  std::string badRows = good;
  badRows.replace(badRows.find("layer1 785"), 10, "layer1 784");
  CHECK(failWith(badRows).find("expected 'layer1 785 2'") != std::string::npos);
  std::string shortFile = good.substr(0, good.find("layer2"));
  CHECK(failWith(shortFile).find("missing 'layer2") != std::string::npos);
  std::string noVread = good;
  noVread.replace(noVread.find("vread 0.1\n"), 10, "");
  CHECK(failWith(noVread).find("header incomplete") != std::string::npos);
  std::string falling = good;
  const auto firstLevel = falling.find("levels1 ") + 8;
  falling.replace(firstLevel, falling.find(' ', firstLevel) - firstLevel, "9e-05");
  CHECK(failWith(falling).find("rise strictly") != std::string::npos);
  CHECK(failWith(good + "trailing\n").find("after layer2") != std::string::npos);
  std::string noColon = good;
  noColon.replace(noColon.find("layer1 785 2\n") + 13, 3, "0_0");
  CHECK(failWith(noColon).find("'a:b'") != std::string::npos);
  // The file and the line (the 2nd data line of layer1 is line 12).
  CHECK(failWith(noColon).find("bad.weights") != std::string::npos);
  CHECK(failWith(noColon).find(":12:") != std::string::npos);
}

TEST_CASE("cells.inc: interfaces are checked before generating") {
  const auto cells = readCellsLibrary(writeFile("cells.inc", kCells));
  CHECK(cells.hiddenCell.ports.size() == 6);
  CHECK(cells.outputCell.ports.at(3) == "rdout");
  CHECK(errorOf([] { readCellsLibrary(writeFile("c1.inc", kCells + ".end\n")); }).find("'.end'") !=
        std::string::npos);
  CHECK(errorOf([] {
          readCellsLibrary(writeFile("c2.inc", kCells + ".model SYN1 dwsynapse\n"));
        }).find("written by the generator") != std::string::npos);
  std::string noVout = kCells;
  noVout.replace(noVout.find("vout rdout"), 4, "vx  ");
  CHECK(errorOf([&] { readCellsLibrary(writeFile("c3.inc", noVout)); }).find("'vout'") != std::string::npos);
  std::string threePorts = kCells;
  threePorts.replace(threePorts.find("col vdd vss rdout"), 17, "col vdd rdout");
  CHECK(errorOf([&] { readCellsLibrary(writeFile("c4.inc", threePorts)); }).find("3 ports") !=
        std::string::npos);
  CHECK(errorOf([] {
          readCellsLibrary(writeFile("c5.inc", ".include other.inc\n" + kCells));
        }).find("self-contained") != std::string::npos);
}

TEST_CASE("netlist: every weight becomes a G+/G- pair on complementary rows") {
  const auto weights = readCrossbarWeights(writeFile("n.weights", weightsText(3, 5)));
  const auto design = DesignConfig::read(writeFile("n.conf", kDesign));
  const auto cells = readCellsLibrary(writeFile("n.inc", kCells));
  NetlistSummary summary;
  const std::string text = generate(weights, design, cells, GeneratorOptions{}, &summary);
  CHECK(summary.synapses == 2 * (785 * 3 + 4 * 10));
  CHECK(countMatches(text, "^n1p_\\d+_\\d+ 0 0 xp\\d+ h\\d+ syn1 state=\\d+$") == 785 * 3);
  CHECK(countMatches(text, "^n1n_\\d+_\\d+ 0 0 xn\\d+ h\\d+ syn1 state=\\d+$") == 785 * 3);
  CHECK(countMatches(text, "^n2p_\\d+_\\d+ 0 0 (hp\\d+|b2p) o\\d+ syn2 state=\\d+$") == 4 * 10);
  CHECK(countMatches(text, "^n2n_\\d+_\\d+ 0 0 (hn\\d+|b2n) o\\d+ syn2 state=\\d+$") == 4 * 10);
  // The states are the weights file's: row 5, column 2 -> G+ (5+2)%6, G- (5*2)%6.
  CHECK(text.find("\nn1p_5_2 0 0 xp5 h2 syn1 state=1\n") != std::string::npos);
  CHECK(text.find("\nn1n_5_2 0 0 xn5 h2 syn1 state=4\n") != std::string::npos);
  CHECK(text.find("\nn2p_3_9 0 0 b2p o9 syn2 state=0\n") != std::string::npos); // bias row of layer 2
  CHECK(countMatches(text, "^\\.bind pixel \\d+ vxp\\d+ vxn\\d+$") == 784);
  CHECK(text.find(".bind pixel 784") == std::string::npos); // the bias pair is not bound
  CHECK(text.find("\nvxp784 xp784 0 pulse(0 0.1 ") != std::string::npos);
  CHECK(text.find("\nvxn17 xn17 0 pulse(0 -0.1 1e-10 1e-10 1e-10 3e-09)\n") != std::string::npos);
  CHECK(text.find("\n.model syn1 dwsynapse(nnotch=5 ra=1e-08 read=1 vrd=0.05)\n") != std::string::npos);
  CHECK(text.find("\n.model syn2 dwsynapse(nnotch=5 ra=5e-07 read=1 vrd=0.05)\n") != std::string::npos);
  CHECK(text.find("\nxh2 h2 hp2 hn2 vdd vss rden hidden_cell\n") != std::string::npos);
  CHECK(text.find("\nxo9 o9 vdd vss rdout output_cell\n") != std::string::npos);
  CHECK(text.find("\n.dataset mnist test\n") != std::string::npos);
  CHECK(text.find("\n.tran 3e-10 1.5e-08\n") != std::string::npos);
  CHECK(text.find("\n.readout argmax i(v.xo0.vout) i(v.xo1.vout)") != std::string::npos);
  CHECK(text.find(" i(v.xo9.vout) at=7.2e-09\n.end\n") != std::string::npos);
  CHECK(text.find(".subckt hidden_cell col outp outn vdd vss rden") != std::string::npos); // inlined
  CHECK(text.find(".param k1=4\n") != std::string::npos);
  CHECK(summary.wireElements == 0);
  CHECK(text.find("\nrw1_") == std::string::npos);
}

TEST_CASE("netlist: dynamic synapse mode drops read mode from the model cards") {
  const auto weights = readCrossbarWeights(writeFile("d.weights", weightsText(2, 10, "fashion")));
  const auto design = DesignConfig::read(writeFile("d.conf", kDesign));
  const auto cells = readCellsLibrary(writeFile("d.inc", kCells));
  GeneratorOptions options;
  options.synapseMode = SynapseMode::Dynamic;
  const std::string text = generate(weights, design, cells, options);
  CHECK(text.find("\n.model syn1 dwsynapse(nnotch=10 ra=1e-08)\n") != std::string::npos);
  CHECK(text.find("read=1") == std::string::npos);
  CHECK(text.find(".save") == std::string::npos);
  options.saveSynapseStates = true;
  options.saveCrossbarCurrents = true;
  const std::string saved = generate(weights, design, cells, options);
  CHECK(saved.find("\n.save i(v.xh1.vsns) v(hp1) v(hn1)\n") != std::string::npos);
  CHECK(saved.find("\n.save i(v.xo9.vsns) i(v.xo9.vout)\n") != std::string::npos);
  CHECK(saved.find(" n1p_784_1#q n1n_784_1#q") != std::string::npos);
  CHECK(saved.find(" n2n_2_9#q") != std::string::npos);
  CHECK(text.find("\n.dataset fashion test\n") != std::string::npos);
}

TEST_CASE("netlist: wire resistance and capacitance per crossbar segment") {
  const auto weights = readCrossbarWeights(writeFile("r.weights", weightsText(2, 5)));
  const auto design = DesignConfig::read(writeFile("r.conf", kDesign));
  const auto cells = readCellsLibrary(writeFile("r.inc", kCells));
  GeneratorOptions options;
  options.rwire = 2.5;
  options.cwire = 1e-16;
  NetlistSummary summary;
  const std::string text = generate(weights, design, cells, options, &summary);
  // Layer 1: 1570 rows x 2 columns, layer 2: 6 rows x 10 columns; each tap has
  // one row R, one column R and one C for each.
  const long taps = 1570L * 2 + 6L * 10;
  CHECK(summary.wireElements == 4 * taps);
  // Row xp0: driver -> tap 0 -> tap 1; synapse of column 1 on tap 1.
  CHECK(text.find("\nrw1_0_0 xp0 xp0_0 2.5\n") != std::string::npos);
  CHECK(text.find("\nrw1_0_1 xp0_0 xp0_1 2.5\n") != std::string::npos);
  CHECK(text.find("\nn1p_0_1 0 0 xp0_1 h1_0 syn1 ") != std::string::npos);
  // Column h1: top tap 0 ... bottom tap 1569 -> the cell's node h1.
  CHECK(text.find("\nrk1_1_1569 h1_1569 h1 2.5\n") != std::string::npos);
  CHECK(text.find("\nn1n_784_1 0 0 xn784_1 h1_1569 syn1 ") != std::string::npos);
  CHECK(text.find("\nck2_3_5 o3_5 0 1e-16\n") != std::string::npos);

  options.rwire = 0.0; // capacitance only: lumped on each single node
  const std::string lumped = generate(weights, design, cells, options, &summary);
  CHECK(summary.wireElements == 1570 + 2 + 6 + 10);
  CHECK(lumped.find("\ncw1_0 xp0 0 2e-16\n") != std::string::npos);
  CHECK(lumped.find("\nck1_1 h1 0 1.57e-13\n") != std::string::npos);
}
