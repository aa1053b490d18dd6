// Unit tests of the linear controlled sources E, G, F and H.
#include "test_passive_support.hpp"

#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::testkit;

namespace {

template <typename Body> UserError userErrorOf(Body &&body) {
  try {
    body();
  } catch (const UserError &error) {
    return error;
  }
  FAIL("expected a UserError");
  return UserError("unreachable");
}

} // namespace

TEST_CASE("E: branch current i(e1) and v+ − v− = gain·(vc+ − vc−)") {
  DeviceBench bench(4);
  Device &e = bench.add(instance("e1", {"p", "n", "cp", "cn"}, {value(10.0)}), {1, 2, 3, 4});
  bench.setup();
  REQUIRE(bench.size() == 5);
  CHECK(dynamic_cast<BranchCurrentOwner &>(e).branchIndex() == 5);
  const auto result = bench.evaluate({0.0, 3.0, 1.0, 0.5, 0.25, 2e-3});
  CHECK(result.f[1] == doctest::Approx(2e-3));
  CHECK(result.f[2] == doctest::Approx(-2e-3));
  CHECK(result.f[5] == doctest::Approx(2.0 - 10.0 * 0.25));
  CHECK(result.G[5][3] == -10.0);
  CHECK(result.G[5][4] == 10.0);
  bench.checkJacobian({0.0, 3.0, 1.0, 0.5, 0.25, 2e-3});
  std::vector<std::pair<int, int>> edges;
  e.idealVoltageEdges(edges);
  REQUIRE(edges.size() == 1);
  CHECK(edges[0] == std::pair<int, int>{1, 2});
}

TEST_CASE("G: current gm·(vc+ − vc−) from n+ through the source to n−") {
  DeviceBench bench(4);
  bench.add(instance("g1", {"p", "n", "cp", "cn"}, {assign("gm", 1e-3)}), {1, 2, 3, 4});
  bench.setup();
  CHECK(bench.size() == 4);
  const auto result = bench.evaluate({0.0, 0.0, 0.0, 2.0, 0.5});
  CHECK(result.f[1] == doctest::Approx(1.5e-3));
  CHECK(result.f[2] == doctest::Approx(-1.5e-3));
  CHECK(result.G[1][3] == 1e-3);
  CHECK(result.G[1][4] == -1e-3);
  CHECK(result.G[2][3] == -1e-3);
  CHECK(result.G[2][4] == 1e-3);
  bench.checkJacobian({0.0, 0.3, -0.1, 2.0, 0.5});
}

TEST_CASE("F: current gain·i(vcontrol) from n+ to n−") {
  DeviceBench bench(3);
  bench.add(instance("v1", {"a", "0"}, {value(0.0)}), {1, 0});
  bench.add(instance("f1", {"p", "n"}, {value(3.0)}, nullptr, {"v1"}), {2, 3});
  bench.setup();
  REQUIRE(bench.size() == 4); // i(v1) is unknown 4
  const auto result = bench.evaluate({0.0, 0.0, 0.0, 0.0, 1e-3});
  CHECK(result.f[2] == doctest::Approx(3e-3));
  CHECK(result.f[3] == doctest::Approx(-3e-3));
  CHECK(result.G[2][4] == 3.0);
  CHECK(result.G[3][4] == -3.0);
  bench.checkJacobian({0.0, 0.1, 0.2, 0.3, 1e-3});
}

TEST_CASE("H: branch current i(h1) and v+ − v− = r·i(vcontrol)") {
  DeviceBench bench(3);
  bench.add(instance("v1", {"a", "0"}, {value(0.0)}), {1, 0});
  Device &h = bench.add(instance("h1", {"p", "n"}, {assign("r", 50.0)}, nullptr, {"v1"}), {2, 3});
  bench.setup();
  REQUIRE(bench.size() == 5); // i(v1) = 4, i(h1) = 5
  CHECK(dynamic_cast<BranchCurrentOwner &>(h).branchIndex() == 5);
  const auto result = bench.evaluate({0.0, 0.0, 2.0, 0.5, 0.01, 1e-3});
  CHECK(result.f[2] == doctest::Approx(1e-3));
  CHECK(result.f[5] == doctest::Approx(1.5 - 50.0 * 0.01));
  CHECK(result.G[5][4] == -50.0);
  bench.checkJacobian({0.0, 0.0, 2.0, 0.5, 0.01, 1e-3});
}

TEST_CASE("F and H can be controlled by inductors, E and H, not by other elements") {
  SUBCASE("by an inductor") {
    DeviceBench bench(2);
    bench.add(instance("l1", {"a", "0"}, {value(1e-6)}), {1, 0});
    bench.add(instance("f1", {"b", "0"}, {value(2.0)}, nullptr, {"l1"}), {2, 0});
    bench.setup();
    CHECK(bench.evaluate({0.0, 0.0, 0.0, 1e-3}).f[2] == doctest::Approx(2e-3));
  }
  SUBCASE("by a resistor: error naming it") {
    DeviceBench bench(2);
    bench.add(instance("r1", {"a", "0"}, {value(1.0)}), {1, 0});
    bench.add(instance("h1", {"b", "0"}, {value(2.0)}, nullptr, {"r1"}), {2, 0});
    const UserError error = userErrorOf([&] { bench.setup(); });
    CHECK(error.message().find("'r1'") != std::string::npos);
    CHECK(error.message().find("no branch current") != std::string::npos);
  }
  SUBCASE("by a missing element") {
    DeviceBench bench(1);
    bench.add(instance("f1", {"b", "0"}, {value(2.0)}, nullptr, {"vnone"}), {1, 0});
    CHECK_THROWS_AS(bench.setup(), UserError);
  }
}

TEST_CASE("controlled-source parameter errors") {
  const auto file = fakeFile("e1 p n cp cn poly(1) cp cn 0 1");
  auto build = [](const InstanceSpec &spec, std::vector<int> nodes) {
    DeviceBench bench(4);
    bench.add(spec, nodes);
  };
  const UserError poly = userErrorOf([&] {
    build(instance("e1", {"p", "n", "cp", "cn"}, {at(group("poly", {1}), file, 16)}), {1, 2, 3, 4});
  });
  CHECK(poly.location().column == 16);
  CHECK(poly.message().find("not supported") != std::string::npos);
  CHECK_THROWS_AS(build(instance("g1", {"p", "n", "cp", "cn"}, {}), {1, 2, 3, 4}), UserError); // no gm
  CHECK_THROWS_AS(build(instance("g1", {"p", "n", "cp", "cn"}, {value(1.0), assign("x", 1.0)}), {1, 2, 3, 4}),
                  UserError);
  CHECK_THROWS_AS(build(instance("f1", {"p", "n"}, {value(1.0)}, nullptr, {}), {1, 2}), UserError);
  CHECK_THROWS_AS(build(instance("h1", {"p", "n"}, {value(1.0), value(2.0)}, nullptr, {"v1"}), {1, 2}),
                  UserError);
}

TEST_CASE("controlled sources through the assembled circuit") {
  // V1 drives 1 V over R1 (i(v1) = −1 mA). E1 doubles v(in). G1 draws
  // 1 mS·v(in) = 1 mA out of g (n+) into ground (n−), so v(g) = −1 V. F1
  // carries 2·i(v1) = −2 mA from f to ground, i.e. pushes 2 mA into f. H1
  // gives 100 Ω·i(v1). Every expected value was confirmed with ngspice 39.
  const DcResult dc = solveDc(circuitOf({
      instance("v1", {"in", "0"}, {value(1.0)}),
      instance("r1", {"in", "0"}, {value(1e3)}),
      instance("e1", {"e", "0", "in", "0"}, {value(2.0)}),
      instance("re", {"e", "0"}, {value(1e3)}),
      instance("g1", {"g", "0", "in", "0"}, {value(1e-3)}),
      instance("rg", {"g", "0"}, {value(1e3)}),
      instance("f1", {"f", "0"}, {value(2.0)}, nullptr, {"v1"}),
      instance("rf", {"f", "0"}, {value(1e3)}),
      instance("h1", {"h", "0"}, {value(100.0)}, nullptr, {"v1"}),
      instance("rh", {"h", "0"}, {value(1e3)}),
  }));
  CHECK(dc.at("i(v1)") == doctest::Approx(-1e-3));
  CHECK(dc.at("e") == doctest::Approx(2.0));
  CHECK(dc.at("i(e1)") == doctest::Approx(-2e-3));
  CHECK(dc.at("g") == doctest::Approx(-1.0));
  CHECK(dc.at("f") == doctest::Approx(2.0));
  CHECK(dc.at("h") == doctest::Approx(-0.1));

  // Each source's delivered power is what its load resistor dissipates
  // (energy accounting of batch runs sums deliveredPower over all devices).
  const auto power = [&dc](const std::string &name) {
    const Device *device = dc.circuit->findDevice(name);
    REQUIRE(device != nullptr);
    return device->deliveredPower(dc.x);
  };
  CHECK(power("e1") == doctest::Approx(2.0 * 2.0 / 1e3));
  CHECK(power("g1") == doctest::Approx(1.0 * 1.0 / 1e3));
  CHECK(power("f1") == doctest::Approx(2.0 * 2.0 / 1e3));
  CHECK(power("h1") == doctest::Approx(0.1 * 0.1 / 1e3));
}
