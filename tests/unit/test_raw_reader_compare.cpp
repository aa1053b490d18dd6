// The ngspice suite's agreement metric (tests/ngspice/waveform_compare) on
// hand-made plots whose scores can be worked out by hand.
#include "output/raw_reader.hpp"
#include "waveform_compare.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::compare;

namespace {

RawPlot makePlot(const std::string &plotName, std::vector<std::string> names,
                 std::vector<std::vector<double>> data) {
  RawPlot plot;
  plot.plotName = plotName;
  for (auto &name : names) {
    plot.variables.push_back({name, name.starts_with("i(") ? "current" : "voltage"});
  }
  plot.real = std::move(data);
  return plot;
}

} // namespace

TEST_CASE("compare metric: e uses reltol 2e-3 and abstol 1e-3 of the range") {
  // n spans 0..1 V, so abstol = 1e-3. At n = 1, d = 1.003: e = 0.003 / (0.002 + 0.001) = 1.
  const std::vector<double> scale{0, 1, 2, 3};
  const std::vector<double> n{0, 0.5, 1, 0.25};
  const std::vector<double> d{0, 0.5, 1.003, 0.25};
  const VectorResult r = scoreVector("v(x)", scale, n, d);
  CHECK(r.absTol == doctest::Approx(1e-3));
  CHECK(r.max == doctest::Approx(1.0));
  CHECK(r.maxPoint == 2);
  CHECK(r.maxScale == 2.0);
  CHECK(r.rms == doctest::Approx(0.5)); // sqrt(1/4)
  CHECK(r.pass());
}

TEST_CASE("compare metric: pass needs rms < 1 and max <= 20") {
  const std::vector<double> scale{0, 1, 2, 3};
  const std::vector<double> n{0, 1, 0, 1};
  // One spike of e = 20 (0.06 V at n = 1 with tolerance 0.003) and zeros: rms = 10 -> fail.
  CHECK_FALSE(scoreVector("v(x)", scale, n, {0, 1.06, 0, 1}).pass());
  // e = 0.9 everywhere at n = 0 (tolerance 1e-3): rms 0.9, max 0.9 -> pass.
  CHECK(scoreVector("v(x)", {0, 1, 2}, {0, 0, 1}, {0.0009, 0.0009, 1}).pass());
  // A single point with e just above 20 fails even with a low rms over many points.
  std::vector<double> many(1000, 0.0);
  many[1] = 1.0;
  std::vector<double> candidate = many;
  candidate[500] = 0.0211; // e = 21.1 at n = 0
  std::vector<double> manyScale(1000);
  for (std::size_t k = 0; k < manyScale.size(); ++k) {
    manyScale[k] = static_cast<double>(k);
  }
  const VectorResult spike = scoreVector("v(x)", manyScale, many, candidate);
  CHECK(spike.rms < 1.0);
  CHECK_FALSE(spike.pass());
}

TEST_CASE("compare metric: constant vectors use 1e-3 of their magnitude, floored") {
  CHECK(scoreVector("v(x)", {}, {2.0}, {2.0}).absTol == doctest::Approx(2e-3));
  CHECK(scoreVector("v(x)", {}, {0.0}, {0.0}).absTol == doctest::Approx(1e-9));   // 1e-3 * 1 uV
  CHECK(scoreVector("i(v1)", {}, {0.0}, {0.0}).absTol == doctest::Approx(1e-12)); // 1e-3 * 1 nA
  // Round-off noise on a zero current counts as constant.
  const VectorResult noise = scoreVector("i(v1)", {0, 1}, {1e-20, -1e-20}, {0, 0});
  CHECK(noise.absTol == doctest::Approx(1e-12));
  CHECK(noise.pass());
  // A non-finite candidate value never passes.
  CHECK_FALSE(scoreVector("v(x)", {}, {1.0}, {std::nan("")}).pass());
}

TEST_CASE("compare metric: linear interpolation, clamping and jumps") {
  const std::vector<double> xs{0, 1, 1, 3};
  const std::vector<double> ys{0, 2, 5, 9};
  CHECK(interpolateLinear(xs, ys, 0.5) == doctest::Approx(1.0));
  CHECK(interpolateLinear(xs, ys, 1.0) == doctest::Approx(5.0)); // right side of the jump
  CHECK(interpolateLinear(xs, ys, 2.0) == doctest::Approx(7.0));
  CHECK(interpolateLinear(xs, ys, -1.0) == 0.0);
  CHECK(interpolateLinear(xs, ys, 4.0) == 9.0);
}

TEST_CASE("compare plots: transient interpolated onto the reference's time points") {
  // The candidate ramp on a coarser grid is exact under linear interpolation.
  const auto reference =
      makePlot("Transient Analysis", {"time", "v(ramp)", "i(vs)"},
               {{0, 0.5, 1, 1.5, 2}, {0, 0.5, 1, 1.5, 2}, {0, -1e-3, -2e-3, -3e-3, -4e-3}});
  const auto candidate =
      makePlot("Transient Analysis", {"time", "i(vs)", "v(ramp)"}, {{0, 1, 2}, {0, -2e-3, -4e-3}, {0, 1, 2}});
  const CompareResult result = compareRawPlots({reference}, {candidate});
  REQUIRE(result.plots.size() == 1);
  REQUIRE(result.plots[0].vectors.size() == 2);
  CHECK(result.plots[0].vectors[0].max == doctest::Approx(0.0));
  CHECK(result.pass());

  SUBCASE("a candidate that stops early fails") {
    const auto shorter =
        makePlot("Transient Analysis", {"time", "v(ramp)", "i(vs)"}, {{0, 1}, {0, 1}, {0, 0}});
    CHECK_FALSE(compareRawPlots({reference}, {shorter}).pass());
  }
}

TEST_CASE("compare plots: matching by plot name and occurrence, missing vectors and plots") {
  const auto op =
      makePlot("Operating Point", {"v(a)", "v(x1.inner)", "i(v1)", "i(l1)"}, {{1}, {7}, {-1e-3}, {2e-3}});
  const auto dc = makePlot("DC transfer characteristic", {"v(v-sweep)", "v(a)"}, {{0, 1}, {0, 1}});

  SUBCASE("order of plots in the file does not matter; hierarchical names are skipped") {
    const auto opCandidate =
        makePlot("Operating Point", {"v(a)", "i(v1)", "i(l1)"}, {{1.0005}, {-1e-3}, {2e-3}});
    const CompareResult result = compareRawPlots({op, dc}, {dc, opCandidate});
    CHECK(result.pass());
    REQUIRE(result.plots[0].vectors.size() == 3); // v(a), i(v1), i(l1); not v(x1.inner)
  }
  SUBCASE("a missing node voltage fails") {
    const auto opCandidate = makePlot("Operating Point", {"i(v1)", "i(l1)"}, {{-1e-3}, {2e-3}});
    CHECK_FALSE(compareRawPlots({op}, {opCandidate}).pass());
  }
  SUBCASE("a missing inductor current is reported but not required") {
    const auto opCandidate = makePlot("Operating Point", {"v(a)", "i(v1)"}, {{1}, {-1e-3}});
    const CompareResult result = compareRawPlots({op}, {opCandidate});
    CHECK(result.pass());
    CHECK(result.plots[0].vectors.back().missing);
    CHECK_FALSE(result.plots[0].vectors.back().required);
  }
  SUBCASE("a missing plot fails") {
    CHECK_FALSE(compareRawPlots({op, dc}, {op}).pass());
  }
  SUBCASE("a sweep with other points fails") {
    const auto other = makePlot("DC transfer characteristic", {"v(v-sweep)", "v(a)"}, {{0, 2}, {0, 1}});
    CHECK_FALSE(compareRawPlots({dc}, {other}).pass());
  }
}
