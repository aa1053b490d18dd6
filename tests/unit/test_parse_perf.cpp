// Frontend speed: a 784×128 resistor crossbar (100k R cards with numeric
// values) must parse and elaborate well under a second.
#include "test_parse_support.hpp"

#include "instance_nodes.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <chrono>
#include <ctime>

using namespace dwspice;

TEST_CASE("performance: 784x128 crossbar netlist parses and elaborates quickly") {
  constexpr int rows = 784;
  constexpr int columns = 128;
  std::string netlist = "784x128 resistive crossbar\n";
  netlist.reserve(static_cast<std::size_t>(rows) * columns * 32);
  for (int r = 0; r < rows; ++r) {
    netlist += fmt::format("vin{} row{} 0 {:.3f}\n", r, r, 0.1 + 0.001 * r);
  }
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      netlist += fmt::format("r{}_{} row{} col{} {}k\n", r, c, r, c, 10 + (r * 7 + c * 13) % 90);
    }
  }
  for (int c = 0; c < columns; ++c) {
    netlist += fmt::format("rsense{} col{} 0 100\n", c, c);
  }
  netlist += ".op\n.end\n";

  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();
  const CircuitSpec spec = loadNetlistText(netlist, "crossbar.cir");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time as well: on a loaded machine the wall time mostly measures waiting.
  const double cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  fmt::print("frontend: {} elements ({:.1f} MB of text) in {:.3f} s wall, {:.3f} s CPU\n",
             spec.instances.size(), static_cast<double>(netlist.size()) / 1e6, seconds, cpuSeconds);

  REQUIRE(spec.instances.size() == static_cast<std::size_t>(rows * columns + rows + columns));
  const InstanceSpec &last = spec.instances[static_cast<std::size_t>(rows + rows * columns - 1)];
  CHECK(last.name == "r783_127");
  CHECK(testkit::nodesOf(last) == std::vector<std::string>{"row783", "col127"});
  CHECK(last.args.at(0).value == doctest::Approx(1e3 * (10 + (783 * 7 + 127 * 13) % 90)));
  // Generous bound: the machine is shared; the target is < 0.3 s.
  CHECK(seconds < 2.0);
}

TEST_CASE("performance: 32k subcircuit instances with parameter overrides") {
  constexpr int rows = 256;
  constexpr int columns = 128;
  std::string netlist = "crossbar of subcircuit cells\n"
                        ".param gbase=10u\n"
                        ".subckt cell row col params: g=1u\n"
                        "r1 row mid {1/g}\n"
                        "r2 mid col 100\n"
                        ".ends\n";
  for (int r = 0; r < rows; ++r) {
    netlist += fmt::format("vin{} row{} 0 0.1\n", r, r);
  }
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      netlist += fmt::format("x{}_{} row{} col{} cell g={{gbase*{}}}\n", r, c, r, c, 1 + (r + c) % 4);
    }
  }
  for (int c = 0; c < columns; ++c) {
    netlist += fmt::format("rsense{} col{} 0 100\n", c, c);
  }
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();
  const CircuitSpec spec = loadNetlistText(netlist, "cells.cir");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  fmt::print("frontend: {} subcircuit instances -> {} elements in {:.3f} s wall, {:.3f} s CPU\n",
             rows * columns, spec.instances.size(), seconds, cpuSeconds);
  REQUIRE(spec.instances.size() == static_cast<std::size_t>(2 * rows * columns + rows + columns));
  const InstanceSpec *cell = nullptr;
  for (const InstanceSpec &instance : spec.instances) {
    if (instance.name == "r.x255_127.r1") {
      cell = &instance;
    }
  }
  REQUIRE(cell != nullptr);
  CHECK(testkit::nodesOf(*cell) == std::vector<std::string>{"row255", "x255_127.mid"});
  CHECK(cell->args.at(0).value == doctest::Approx(1.0 / (10e-6 * (1 + (255 + 127) % 4))));
  CHECK(seconds < 2.0);
}
