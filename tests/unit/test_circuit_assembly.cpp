// Circuit assembly: name tables, the compressed-column pattern and the
// topology checks that run before any solve.
#include "core/circuit.hpp"
#include "core/name_index.hpp"
#include "elaborate/load_netlist.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace dwspice;

namespace {

std::string errorOf(const std::string &netlist) {
  try {
    const CircuitSpec spec = loadNetlistText(netlist);
    const Circuit circuit(spec);
  } catch (const UserError &error) {
    return error.what();
  }
  return "";
}

// Dense G of the circuit at x = 0 (ground row and column dropped).
std::vector<std::vector<double>> denseG(Circuit &circuit) {
  std::vector<double> x(static_cast<size_t>(circuit.size()) + 1, 0.0);
  LoadContext ctx;
  ctx.x = x;
  ctx.options = &circuit.options();
  const Evaluation &eval = circuit.evaluate(ctx);
  const SparsePattern &pattern = circuit.pattern();
  std::vector<std::vector<double>> g(static_cast<size_t>(circuit.size()),
                                     std::vector<double>(static_cast<size_t>(circuit.size()), 0.0));
  for (int c = 0; c < circuit.size(); ++c) {
    for (auto k = pattern.columnStarts[static_cast<size_t>(c)];
         k < pattern.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
      g[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)])][static_cast<size_t>(c)] +=
          eval.dfdx[static_cast<size_t>(k)];
    }
  }
  return g;
}

} // namespace

TEST_CASE("NameIndex finds what was inserted, refuses duplicates and survives growth") {
  std::vector<std::string> names;
  NameIndex index;
  const auto nameOf = [&names](int i) -> const std::string & { return names[static_cast<size_t>(i)]; };
  for (int i = 0; i < 5000; ++i) {
    names.push_back(fmt::format("x{}.n{}", i % 97, i));
    const auto [value, inserted] = index.insert(names.back(), i, nameOf);
    CHECK(inserted);
    CHECK(value == i);
  }
  CHECK(index.size() == 5000);
  for (int i = 0; i < 5000; i += 7) {
    const auto found = index.find(names[static_cast<size_t>(i)], nameOf);
    REQUIRE(found.has_value());
    CHECK(*found == i);
    const auto [value, inserted] = index.insert(names[static_cast<size_t>(i)], 99999, nameOf);
    CHECK_FALSE(inserted);
    CHECK(value == i);
  }
  CHECK_FALSE(index.find("x1.n2", nameOf).has_value()); // right prefix, wrong number
  CHECK_FALSE(index.find("", nameOf).has_value());
  NameIndex empty;
  CHECK_FALSE(empty.find("a", nameOf).has_value());
}

TEST_CASE("assembly: node, unknown and device lookups") {
  const CircuitSpec spec = loadNetlistText("lookups\nv1 in 0 1\nr1 in out 1k\nr2 out 0 1k\n.op\n.end\n");
  const Circuit circuit(spec);
  CHECK(circuit.findNode("0") == 0);
  CHECK(circuit.findNode("in") == 1);
  CHECK(circuit.findNode("out") == 2);
  CHECK_FALSE(circuit.findNode("i(v1)").has_value()); // an unknown, but not a node
  CHECK_FALSE(circuit.findNode("nowhere").has_value());
  CHECK(circuit.findUnknown("i(v1)") == 3);
  CHECK(circuit.findUnknown("out") == 2);
  CHECK_FALSE(circuit.findUnknown("0").has_value()); // ground is not an unknown
  REQUIRE(circuit.findDevice("r2") != nullptr);
  CHECK(circuit.findDevice("r2")->name() == "r2");
  CHECK(circuit.findDevice("r3") == nullptr);
}

TEST_CASE("assembly: excitation is loaded for sources only") {
  const CircuitSpec spec = loadNetlistText("excitation\nv1 in 0 pulse(0 1 1n 1n 1n 5n)\ni1 0 out 1m\n"
                                           "r1 in out 1k\nd1 out 0 dmod\nm1 out in 0 0 nmod\n"
                                           "n1 hm 0 det 0 dwn\nr2 hm 0 1k\nr3 det 0 1k\n"
                                           ".model dmod d\n.model nmod nmos(level=1)\n.model dwn dwneuron\n"
                                           ".tran 1n 10n\n.end\n");
  const Circuit circuit(spec);
  std::set<std::string> names;
  for (const Device *device : circuit.excitationDevices()) {
    names.insert(device->name());
  }
  // Diode, MOSFET and wall deny an excitation (Device::hasExcitation); the
  // resistors are linear and not sources.
  CHECK(names == std::set<std::string>{"v1", "i1"});
  // The pulse's corners still reach the analysis.
  const std::vector<double> corners = circuit.breakpoints(10e-9);
  CHECK(std::find(corners.begin(), corners.end(), 1e-9) != corners.end());
}

TEST_CASE("assembly: the pattern has sorted unique rows and G matches a dense reference") {
  // A random resistor network with parallel duplicates and ground ties, so
  // entries repeat and land in every order.
  std::mt19937 random(7);
  const int nodes = 40;
  std::uniform_int_distribution<int> pick(0, nodes);
  std::string netlist = "random network\nv1 n1 0 1\n";
  std::vector<std::vector<double>> expected(static_cast<size_t>(nodes) + 2,
                                            std::vector<double>(static_cast<size_t>(nodes) + 2, 0.0));
  for (int k = 1; k <= nodes; ++k) { // a chain keeps every node connected
    netlist +=
        fmt::format("rc{} n{} {} 1k\n", k, k, k == nodes ? std::string("0") : fmt::format("n{}", k + 1));
  }
  for (int k = 0; k < 300; ++k) {
    const int a = pick(random);
    const int b = pick(random);
    if (a == b) {
      continue;
    }
    netlist += fmt::format("r{} {} {} {}\n", k, a == 0 ? "0" : fmt::format("n{}", a),
                           b == 0 ? "0" : fmt::format("n{}", b), 100 + k);
  }
  netlist += ".op\n.end\n";
  const CircuitSpec spec = loadNetlistText(netlist);
  Circuit circuit(spec);
  const SparsePattern &pattern = circuit.pattern();
  REQUIRE(pattern.columnStarts.size() == static_cast<size_t>(circuit.size()) + 1);
  for (int c = 0; c < circuit.size(); ++c) {
    const auto begin = pattern.columnStarts[static_cast<size_t>(c)];
    const auto end = pattern.columnStarts[static_cast<size_t>(c) + 1];
    bool hasDiagonal = false;
    for (auto k = begin; k < end; ++k) {
      if (k > begin) {
        CHECK(pattern.rowIndices[static_cast<size_t>(k)] > pattern.rowIndices[static_cast<size_t>(k) - 1]);
      }
      hasDiagonal = hasDiagonal || pattern.rowIndices[static_cast<size_t>(k)] == c;
    }
    CHECK(hasDiagonal);
  }
  // Reference: stamp every resistor's conductance into a dense matrix by name.
  std::map<std::string, int> index;
  for (const InstanceSpec &inst : spec.instances) {
    for (const std::string &node : inst.nodes) {
      index[node] = *circuit.findNode(node);
    }
  }
  const int n = circuit.size();
  std::vector<std::vector<double>> reference(static_cast<size_t>(n),
                                             std::vector<double>(static_cast<size_t>(n), 0.0));
  const auto add = [&](int row, int col, double value) {
    if (row > 0 && col > 0) {
      reference[static_cast<size_t>(row) - 1][static_cast<size_t>(col) - 1] += value;
    }
  };
  for (const InstanceSpec &inst : spec.instances) {
    const int a = index.at(inst.nodes[0]);
    const int b = index.at(inst.nodes[1]);
    if (inst.letter == 'r') {
      const double g = 1.0 / inst.args.front().value;
      add(a, a, g), add(b, b, g), add(a, b, -g), add(b, a, -g);
    } else { // v1: branch current unknown
      const int branch = *circuit.findUnknown("i(v1)");
      add(a, branch, 1.0), add(b, branch, -1.0), add(branch, a, 1.0), add(branch, b, -1.0);
    }
  }
  const auto g = denseG(circuit);
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < n; ++c) {
      CAPTURE(r);
      CAPTURE(c);
      CHECK(g[static_cast<size_t>(r)][static_cast<size_t>(c)] ==
            doctest::Approx(reference[static_cast<size_t>(r)][static_cast<size_t>(c)]).epsilon(1e-12));
    }
  }
}

TEST_CASE("assembly: nodes reached only through capacitors have no DC path to ground") {
  const std::string error = errorOf("caps\nv1 in 0 1\nr1 in a 1k\nc1 a b 1p\nr2 b c 1k\n.op\n.end\n");
  CHECK(error.find("2 nodes with no DC path to ground: b, c") != std::string::npos);
  CHECK(error.find("<string>:4:") != std::string::npos); // c1, the first element touching b
}

TEST_CASE("assembly: a MOSFET gate is no DC path, its channel and a diode are") {
  const std::string gate = errorOf("gate\nv1 d 0 1\nm1 d g 0 0 nch\nr1 g x 1k\n"
                                   ".model nch nmos(vto=0.7 kp=1e-4)\n.op\n.end\n");
  CHECK(gate.find("2 nodes with no DC path to ground: g, x") != std::string::npos);
  CHECK(gate.find("<string>:3:") != std::string::npos); // m1 touches g first
  CHECK(errorOf("channel\nv1 g 0 1\nm1 d g 0 0 nch\nr1 d x 1k\n"
                ".model nch nmos(vto=0.7 kp=1e-4)\n.op\n.end\n") == "");
  CHECK(errorOf("diode\ni1 0 a 1m\nd1 a 0 dmod\n.model dmod d(is=1e-14)\n.op\n.end\n") == "");
}

TEST_CASE("assembly: a node fed only by a current source floats") {
  // The current source declares no matrix entries at all: nothing conducts
  // at DC. (No element declares an entry at `a`, so the message has no line.)
  const std::string error = errorOf("isrc\ni1 0 a 1m\nr1 b 0 1k\n.op\n.end\n");
  CHECK(error.find("1 node with no DC path to ground: a") != std::string::npos);
}

TEST_CASE("assembly: voltage-source loops and duplicate names are refused") {
  CHECK(errorOf("loop\nv1 a 0 1\nv2 a 0 2\nr1 a 0 1k\n.op\n.end\n").find("'v2' closes a loop") !=
        std::string::npos);
  CHECK(errorOf("dup\nv1 a 0 1\nr1 a 0 1k\nr1 a 0 2k\n.op\n.end\n").find("duplicate element name 'r1'") !=
        std::string::npos);
}
