// Unit tests of the passive linear devices R, C, L and K.
#include "test_passive_support.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::testkit;

namespace {

// Runs `body` and returns the UserError it throws (failing the test if none).
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

TEST_CASE("resistor stamps 1/R between its nodes and matches finite differences") {
  DeviceBench bench(2);
  Device &r = bench.add(instance("r1", {"a", "b"}, {value(2e3)}), {1, 2});
  bench.setup();
  CHECK(r.isLinear());
  const auto result = bench.evaluate({0.0, 3.0, 1.0});
  CHECK(result.G[1][1] == doctest::Approx(5e-4));
  CHECK(result.G[1][2] == doctest::Approx(-5e-4));
  CHECK(result.G[2][1] == doctest::Approx(-5e-4));
  CHECK(result.G[2][2] == doctest::Approx(5e-4));
  CHECK(result.f[1] == doctest::Approx(1e-3)); // (3 − 1) V / 2 kΩ leaves node a
  CHECK(result.f[2] == doctest::Approx(-1e-3));
  bench.checkJacobian({0.0, 0.7, -0.2});
}

TEST_CASE("resistor value by name, multiplier and temperature coefficients") {
  SUBCASE("r=") {
    DeviceBench bench(1);
    bench.add(instance("r1", {"a", "0"}, {assign("r", 100.0)}), {1, 0});
    bench.setup();
    CHECK(bench.evaluate({0.0, 1.0}).G[1][1] == doctest::Approx(0.01));
  }
  SUBCASE("resistance= with m=2 (two in parallel)") {
    DeviceBench bench(1);
    bench.add(instance("r1", {"a", "0"}, {assign("resistance", 100.0), assign("m", 2.0)}), {1, 0});
    bench.setup();
    CHECK(bench.evaluate({0.0, 1.0}).G[1][1] == doctest::Approx(0.02));
  }
  SUBCASE("tc1/tc2 at 127 °C with tnom 27 °C") {
    SimOptions options;
    options.temp = 127.0;
    DeviceBench bench(1);
    bench.add(instance("r1", {"a", "0"}, {value(100.0), assign("tc1", 1e-3), assign("tc2", 1e-5)}), {1, 0},
              options);
    bench.setup();
    // R = 100·(1 + 0.1 + 0.1) = 120 Ω
    CHECK(bench.evaluate({0.0, 1.0}).G[1][1] == doctest::Approx(1.0 / 120.0));
  }
  SUBCASE("negative resistance is allowed") {
    DeviceBench bench(1);
    bench.add(instance("r1", {"a", "0"}, {value(-50.0)}), {1, 0});
    bench.setup();
    CHECK(bench.evaluate({0.0, 1.0}).G[1][1] == doctest::Approx(-0.02));
    bench.checkJacobian({0.0, 0.3});
  }
}

TEST_CASE("resistor parameter errors point at the offending argument") {
  const auto file = fakeFile("r1 a b 0 foo=1");
  SUBCASE("zero resistance") {
    DeviceBench bench(2);
    const UserError error = userErrorOf([&] {
      bench.add(instance("r1", {"a", "b"}, {at(value(0.0), file, 8)}), {1, 2});
    });
    CHECK(error.location().column == 8);
    CHECK(error.message().find("voltage source") != std::string::npos);
  }
  SUBCASE("unknown parameter") {
    DeviceBench bench(2);
    const UserError error = userErrorOf([&] {
      bench.add(instance("r1", {"a", "b"}, {value(1.0), at(assign("foo", 1.0), file, 10)}), {1, 2});
    });
    CHECK(error.location().column == 10);
    CHECK(error.message().find("foo") != std::string::npos);
  }
  SUBCASE("a value that is not a finite number") {
    DeviceBench bench(2);
    CHECK_THROWS_AS(bench.add(instance("r1", {"a", "b"}, {value(INFINITY)}), {1, 2}), UserError);
    CHECK_THROWS_AS(bench.add(instance("r2", {"a", "b"}, {assign("r", NAN)}), {1, 2}), UserError);
  }
  SUBCASE("missing value") {
    DeviceBench bench(2);
    CHECK_THROWS_AS(bench.add(instance("r1", {"a", "b"}, {}), {1, 2}), UserError);
  }
  SUBCASE("value given twice") {
    DeviceBench bench(2);
    CHECK_THROWS_AS(bench.add(instance("r1", {"a", "b"}, {value(1.0), assign("r", 2.0)}), {1, 2}), UserError);
    CHECK_THROWS_AS(bench.add(instance("r2", {"a", "b"}, {value(1.0), value(2.0)}), {1, 2}), UserError);
  }
  SUBCASE("a stray word") {
    DeviceBench bench(2);
    const UserError error = userErrorOf([&] {
      bench.add(instance("r1", {"a", "b"}, {value(1.0), at(word("dc"), file, 10)}), {1, 2});
    });
    CHECK(error.location().column == 10);
  }
}

TEST_CASE("capacitor stores charge C·v and nothing in f") {
  DeviceBench bench(2);
  Device &c = bench.add(instance("c1", {"a", "b"}, {value(1e-12)}), {1, 2});
  bench.setup();
  CHECK(c.isLinear());
  const auto result = bench.evaluate({0.0, 2.0, 0.5});
  CHECK(result.q[1] == doctest::Approx(1.5e-12));
  CHECK(result.q[2] == doctest::Approx(-1.5e-12));
  CHECK(result.f[1] == 0.0);
  CHECK(result.G[1][1] == 0.0);
  CHECK(result.C[1][1] == doctest::Approx(1e-12));
  CHECK(result.C[1][2] == doctest::Approx(-1e-12));
  bench.checkJacobian({0.0, 2.0, 0.5});
}

TEST_CASE("capacitor forms, initial condition and accepted negative value") {
  SUBCASE("c= with ic= sets the voltage across it under uic") {
    DeviceBench bench(2);
    Device &c = bench.add(instance("c1", {"a", "b"}, {assign("c", 2e-9), assign("ic", 1.5)}), {1, 2});
    bench.setup();
    CHECK(bench.evaluate({0.0, 1.0, 0.0}).C[1][1] == doctest::Approx(2e-9));
    std::vector<double> x{0.0, 0.0, 0.25};
    c.applyInitialCondition(x);
    CHECK(x[1] - x[2] == doctest::Approx(1.5));
  }
  SUBCASE("ic= with the + terminal grounded moves the − terminal") {
    DeviceBench bench(1);
    Device &c = bench.add(instance("c1", {"0", "b"}, {value(1e-9), assign("ic", 2.0)}), {0, 1});
    bench.setup();
    std::vector<double> x{0.0, 0.0};
    c.applyInitialCondition(x);
    CHECK(x[1] == doctest::Approx(-2.0));
  }
  SUBCASE("no ic= leaves x alone") {
    DeviceBench bench(1);
    Device &c = bench.add(instance("c1", {"a", "0"}, {value(1e-9)}), {1, 0});
    bench.setup();
    std::vector<double> x{0.0, 0.7};
    c.applyInitialCondition(x);
    CHECK(x[1] == 0.7);
  }
  SUBCASE("negative capacitance is accepted (behavioural compensation)") {
    DeviceBench bench(1);
    bench.add(instance("c1", {"a", "0"}, {value(-1e-12)}), {1, 0});
    bench.setup();
    CHECK(bench.evaluate({0.0, 1.0}).C[1][1] == doctest::Approx(-1e-12));
  }
  SUBCASE("unknown parameter") {
    DeviceBench bench(1);
    CHECK_THROWS_AS(bench.add(instance("c1", {"a", "0"}, {value(1e-9), assign("l", 1.0)}), {1, 0}),
                    UserError);
  }
}

TEST_CASE("inductor has a branch current i(l1), is a DC short and stores −L·i") {
  DeviceBench bench(2);
  Device &l = bench.add(instance("l1", {"a", "b"}, {value(1e-6)}), {1, 2});
  bench.setup();
  REQUIRE(bench.size() == 3); // two nodes + i(l1)
  CHECK(dynamic_cast<BranchCurrentOwner &>(l).branchIndex() == 3);
  const auto result = bench.evaluate({0.0, 1.0, 0.25, 2e-3});
  CHECK(result.f[1] == doctest::Approx(2e-3));  // current leaves a …
  CHECK(result.f[2] == doctest::Approx(-2e-3)); // … and enters b
  CHECK(result.f[3] == doctest::Approx(0.75));  // branch row v_a − v_b
  CHECK(result.q[3] == doctest::Approx(-2e-9)); // −L·i
  CHECK(result.C[3][3] == doctest::Approx(-1e-6));
  bench.checkJacobian({0.0, 1.0, 0.25, 2e-3});
  std::vector<std::pair<int, int>> edges;
  l.idealVoltageEdges(edges);
  REQUIRE(edges.size() == 1);
  CHECK(edges[0] == std::pair<int, int>{1, 2});
}

TEST_CASE("inductor ic= sets its branch current under uic") {
  DeviceBench bench(1);
  Device &l = bench.add(instance("l1", {"a", "0"}, {assign("l", 1e-3), assign("ic", 0.5)}), {1, 0});
  bench.setup();
  std::vector<double> x(3, 0.0);
  l.applyInitialCondition(x);
  CHECK(x[2] == 0.5);
}

TEST_CASE("mutual inductance adds M = k·sqrt(L1·L2) to both branch equations") {
  DeviceBench bench(2);
  bench.add(instance("l1", {"a", "0"}, {value(4e-6)}), {1, 0});
  bench.add(instance("l2", {"b", "0"}, {value(1e-6)}), {2, 0});
  Device &k = bench.add(instance("k1", {}, {value(0.5)}, nullptr, {"l1", "l2"}), {});
  bench.setup();
  CHECK(k.isLinear());
  const auto result = bench.evaluate({0.0, 0.0, 0.0, 1e-3, 3e-3});
  const double mutual = 0.5 * 2e-6; // 0.5·sqrt(4 µH · 1 µH)
  CHECK(result.C[3][4] == doctest::Approx(-mutual));
  CHECK(result.C[4][3] == doctest::Approx(-mutual));
  CHECK(result.q[3] == doctest::Approx(-4e-6 * 1e-3 - mutual * 3e-3));
  CHECK(result.q[4] == doctest::Approx(-1e-6 * 3e-3 - mutual * 1e-3));
  bench.checkJacobian({0.0, 0.1, -0.2, 1e-3, 3e-3});
}

TEST_CASE("mutual inductance errors") {
  const auto file = fakeFile("k1 l1 l2 1.5");
  SUBCASE("|k| > 1 points at k") {
    DeviceBench bench(2);
    const UserError error = userErrorOf([&] {
      bench.add(instance("k1", {}, {at(value(1.5), file, 10)}, nullptr, {"l1", "l2"}), {});
    });
    CHECK(error.location().column == 10);
  }
  SUBCASE("k = -1 and k = 1 are allowed") {
    DeviceBench bench(0);
    CHECK_NOTHROW(bench.add(instance("k1", {}, {value(-1.0)}, nullptr, {"l1", "l2"}), {}));
    CHECK_NOTHROW(bench.add(instance("k2", {}, {assign("k", 1.0)}, nullptr, {"l1", "l2"}), {}));
  }
  SUBCASE("reference to a resistor") {
    DeviceBench bench(1);
    bench.add(instance("l1", {"a", "0"}, {value(1e-6)}), {1, 0});
    bench.add(instance("r1", {"a", "0"}, {value(1.0)}), {1, 0});
    bench.add(instance("k1", {}, {value(0.5)}, nullptr, {"l1", "r1"}), {});
    try {
      bench.setup();
      FAIL("expected an error");
    } catch (const UserError &error) {
      CHECK(error.message().find("not an inductor") != std::string::npos);
    }
  }
  SUBCASE("reference to a missing element") {
    DeviceBench bench(1);
    bench.add(instance("l1", {"a", "0"}, {value(1e-6)}), {1, 0});
    bench.add(instance("k1", {}, {value(0.5)}, nullptr, {"l1", "l9"}), {});
    CHECK_THROWS_AS(bench.setup(), UserError);
  }
  SUBCASE("an inductor coupled with itself") {
    DeviceBench bench(0);
    CHECK_THROWS_AS(bench.add(instance("k1", {}, {value(0.5)}, nullptr, {"l1", "l1"}), {}), UserError);
  }
}

TEST_CASE("DC of a divider through the assembled circuit") {
  const DcResult dc = solveDc(circuitOf({
      instance("v1", {"in", "0"}, {value(3.0)}),
      instance("r1", {"in", "mid"}, {value(2e3)}),
      instance("r2", {"mid", "0"}, {value(1e3)}),
      instance("c1", {"mid", "0"}, {value(1e-9)}),
      instance("l1", {"mid", "out"}, {value(1e-6)}),
      instance("r3", {"out", "0"}, {value(1e9)}),
  }));
  CHECK(dc.at("mid") == doctest::Approx(1.0 * 3.0 / (1.0 + 2.0 + 2e-6)).epsilon(1e-6));
  CHECK(dc.at("out") == doctest::Approx(dc.at("mid"))); // the inductor is a short at DC
  CHECK(dc.at("i(l1)") == doctest::Approx(dc.at("out") / 1e9));
}
