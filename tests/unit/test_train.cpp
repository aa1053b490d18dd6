// dwtrain's modules: the network's gradient against finite differences
// (through the measured-table activation and the loss head), the pair
// quantiser, and the weights file round trip.
#include "cell_tables.hpp"
#include "core/diagnostics.hpp"
#include "network.hpp"
#include "quantizer.hpp"
#include "trainer.hpp"
#include "weights_file.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <random>

using namespace dwspice;
using namespace dwspice::train;

namespace {

std::filesystem::path fixtureCells() {
  return std::filesystem::path(DWSPICE_SOURCE_DIR) / "tools" / "train" / "fixtures" / "cells";
}

// Small smooth-ish tables (many samples) with the real curves' shapes: a
// thresholded, saturating hidden driver with outn ≈ −outp, and a rising
// output readout with flat ends.
CellTables smallTables() {
  CellTables tables;
  std::vector<double> x, plus, minus;
  for (int k = 0; k <= 400; ++k) {
    const double current = -10.0 + 0.05 * k;
    x.push_back(current);
    plus.push_back(0.4 * std::tanh(std::max(current - 0.2, 0.0) / 2.0));
    minus.push_back(-0.95 * plus.back() - 0.001 * current);
  }
  tables.hiddenPlus = PiecewiseLinear(x, plus);
  tables.hiddenMinus = PiecewiseLinear(x, minus);
  std::vector<double> xo, yo;
  for (int k = 0; k <= 300; ++k) {
    const double current = -1.5 + 0.01 * k;
    xo.push_back(current);
    const double t = std::clamp((current + 0.5) / 1.5, 0.0, 1.0);
    yo.push_back(10 + 10 * t * t * (3 - 2 * t));
  }
  tables.output = PiecewiseLinear(xo, yo);
  tables.levels1 = {16, 17.5, 19, 21, 23};
  tables.levels2 = {1.6, 1.75, 1.9, 2.1, 2.3};
  return tables;
}

} // namespace

TEST_CASE("train: piecewise-linear table interpolates, clamps, and gives segment slopes") {
  const PiecewiseLinear table({0, 1, 3}, {0, 2, 3});
  CHECK(table(-5) == 0);
  CHECK(table(0.5) == doctest::Approx(1));
  CHECK(table(2) == doctest::Approx(2.5));
  CHECK(table(9) == 3);
  CHECK(table.slope(0.5) == doctest::Approx(2));
  CHECK(table.slope(2) == doctest::Approx(0.5));
  CHECK(table.slope(-1) == 0);
  CHECK(table.slope(4) == 0);
  CHECK_THROWS_AS(PiecewiseLinear({0, 0}, {1, 2}), UserError);
  const PiecewiseLinear thresholded({0, 1, 2, 3, 4}, {5, 5, 6, 7, 7});
  CHECK(thresholded.activeRange().first == 1);
  CHECK(thresholded.activeRange().second == 3);
}

TEST_CASE("train: evenly spaced tables (the direct-index path) agree with interpolation by hand") {
  std::vector<double> x, y;
  for (int k = 0; k <= 120; ++k) {
    x.push_back((-60 + k) * 1e-6 * 1e6); // as the readers scale A to µA
    y.push_back(std::sin(0.1 * k) + 0.01 * k);
  }
  const PiecewiseLinear table(x, y);
  std::mt19937_64 random(3);
  std::uniform_real_distribution<double> uniform(-70.0, 70.0);
  for (int trial = 0; trial < 2000; ++trial) {
    const double at = trial < 121 ? x[static_cast<std::size_t>(trial)] : uniform(random);
    double expected = y.front();
    double expectedSlope = 0;
    if (at >= x.back()) {
      expected = y.back();
    } else if (at > x.front()) {
      std::size_t i = 0;
      while (!(x[i] <= at && at < x[i + 1])) {
        ++i;
      }
      expectedSlope = (y[i + 1] - y[i]) / (x[i + 1] - x[i]);
      expected = y[i] + (at - x[i]) * expectedSlope;
    } else if (at == x.front()) {
      expectedSlope = (y[1] - y[0]) / (x[1] - x[0]);
    }
    REQUIRE(table(at) == doctest::Approx(expected).epsilon(1e-12));
    REQUIRE(table.slope(at) == doctest::Approx(expectedSlope).epsilon(1e-9));
  }
}

TEST_CASE("train: network gradient matches finite differences (table activation, STE map, loss head)") {
  const Network network(smallTables(), DesignConstants{0.1, 0.3}, 6, 5, 3);
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Matrix x(8, 7);
  for (int b = 0; b < 8; ++b) {
    for (int i = 0; i < 6; ++i) {
      x(b, i) = unit(random);
    }
    x(b, 6) = 1.0;
  }
  const std::vector<std::uint8_t> labels = {0, 1, 2, 0, 1, 2, 2, 1};
  Parameters parameters;
  // Latents kept away from 0 (the map's kink) so the difference quotient is
  // taken on one smooth piece.
  auto latent = [&] {
    const double magnitude = 0.1 + 0.9 * unit(random);
    return unit(random) < 0.5 ? -magnitude : magnitude;
  };
  parameters.u1 = Matrix::NullaryExpr(7, 5, [&](Eigen::Index, Eigen::Index) { return latent(); });
  parameters.u2 = Matrix::NullaryExpr(6, 3, [&](Eigen::Index, Eigen::Index) { return latent(); });
  // Layer-1 currents must hit the hidden tables' rising part for the check
  // to cover the activation's slope.
  const Matrix i1 = network.hiddenCurrents(x, network.conductances(parameters, WeightMode::Continuous));
  CHECK(((i1.array() > 0.2) && (i1.array() < 10.0)).count() > 5);

  Parameters gradient;
  network.lossAndGradient(x, labels, parameters, WeightMode::Continuous, gradient);
  Parameters scratch;
  auto loss = [&](const Parameters &p) {
    return network.lossAndGradient(x, labels, p, WeightMode::Continuous, scratch);
  };
  const double step = 1e-6;
  int checked = 0;
  for (int layer = 0; layer < 2; ++layer) {
    const Matrix &analytic = layer == 0 ? gradient.u1 : gradient.u2;
    for (int row = 0; row < analytic.rows(); ++row) {
      for (int col = 0; col < analytic.cols(); ++col) {
        Parameters up = parameters, down = parameters;
        (layer == 0 ? up.u1 : up.u2)(row, col) += step;
        (layer == 0 ? down.u1 : down.u2)(row, col) -= step;
        const double numeric = (loss(up) - loss(down)) / (2 * step);
        CHECK(analytic(row, col) == doctest::Approx(numeric).epsilon(1e-4).scale(1e-3));
        ++checked;
      }
    }
  }
  CHECK(checked == 7 * 5 + 6 * 3);
  CHECK(gradient.u1.cwiseAbs().maxCoeff() > 1e-3); // the check is not vacuous
}

TEST_CASE(
    "train: quantised forward pass uses the notch conductances; STE gradient equals the continuous one") {
  const Network network(smallTables(), DesignConstants{0.1, 0.3}, 3, 2, 2);
  Parameters parameters;
  parameters.u1 = Matrix::Constant(4, 2, 0.5);
  parameters.u2 = Matrix::Constant(3, 2, -0.3);
  const Conductances g = network.conductances(parameters, WeightMode::Quantized);
  // ΔG1 = 7 µS: 0.5·7 = 3.5 → nearest pair difference 3.0 (19 − 16) or 4 (21 − 17)? 3.5 is
  // reachable exactly as 21 − 17.5.
  CHECK(g.plus1(0, 0) - g.minus1(0, 0) == doctest::Approx(3.5));
  CHECK(g.plus2(0, 0) - g.minus2(0, 0) == doctest::Approx(-0.2));
}

TEST_CASE("train: quantiser picks the nearest reachable difference, preferring a device at state 0") {
  const PairQuantizer quantizer({10, 11, 13, 16});
  // Reachable differences: 0, ±1, ±2, ±3, ±5, ±6.
  CHECK(quantizer.difference(quantizer.nearest(0.2)) == 0);
  CHECK(quantizer.difference(quantizer.nearest(1.4)) == 1);
  CHECK(quantizer.difference(quantizer.nearest(2.6)) == 3);
  CHECK(quantizer.difference(quantizer.nearest(4.1)) == 5); // 4 is unreachable: 5 (3) vs 3 (1.1)
  CHECK(quantizer.difference(quantizer.nearest(-5.8)) == -6);
  CHECK(quantizer.difference(quantizer.nearest(99)) == 6); // clamped to the largest
  CHECK(quantizer.difference(quantizer.nearest(-99)) == -6);
  // 2 = 13 − 11 only (no pair with a 0 state gives 2); 3 = 13 − 10 and 16 − 13: state 0 wins.
  const StatePair two = quantizer.nearest(2.0);
  CHECK(int(two.plus) == 2);
  CHECK(int(two.minus) == 1);
  const StatePair three = quantizer.nearest(3.0);
  CHECK(int(three.plus) == 2);
  CHECK(int(three.minus) == 0);
  const StatePair zero = quantizer.nearest(0.0);
  CHECK(int(zero.plus) == 0);
  CHECK(int(zero.minus) == 0);
  // Brute force over a grid: nothing reachable is nearer.
  for (double w = -7; w <= 7; w += 0.013) {
    const double chosen = std::abs(quantizer.difference(quantizer.nearest(w)) - w);
    for (double a : quantizer.levels()) {
      for (double b : quantizer.levels()) {
        REQUIRE(chosen <= std::abs(a - b - w) + 1e-12);
      }
    }
  }
}

TEST_CASE("train: quantiser on uneven 11-level sets matches a brute-force search") {
  std::vector<double> levels;
  for (int s = 0; s <= 10; ++s) {
    levels.push_back(16.0 * (1 + 0.4375 * std::pow(s / 10.0, 1.1)));
  }
  const PairQuantizer quantizer(levels);
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> uniform(-8.0, 8.0);
  for (int trial = 0; trial < 20000; ++trial) {
    const double w = trial < 121 ? levels[static_cast<std::size_t>(trial % 11)] -
                                       levels[static_cast<std::size_t>(trial / 11)]
                                 : uniform(random);
    double best = 1e300;
    for (const double a : levels) {
      for (const double b : levels) {
        best = std::min(best, std::abs(a - b - w));
      }
    }
    REQUIRE(std::abs(quantizer.difference(quantizer.nearest(w)) - w) == doctest::Approx(best).epsilon(1e-12));
  }
}

TEST_CASE("train: weights file round trip and malformed files") {
  WeightsFile weights;
  weights.dataset = "fashion";
  weights.notches = 3;
  weights.inputs = 4;
  weights.hidden = 2;
  weights.outputs = 3;
  weights.vread = 0.1;
  weights.vbias2 = 0.3;
  weights.levels1 = {1.6e-5, 1.7234567891e-5, 1.9e-5, 2.3e-5};
  weights.levels2 = {1.6e-6, 1.7e-6, 1.9e-6, 2.3e-6};
  weights.layer1 = StatePairs(5, 2);
  weights.layer2 = StatePairs(3, 3);
  for (std::size_t i = 0; i < weights.layer1.plus.size(); ++i) {
    weights.layer1.plus[i] = static_cast<std::uint8_t>(i % 4);
    weights.layer1.minus[i] = static_cast<std::uint8_t>((i / 4) % 4);
  }
  for (std::size_t i = 0; i < weights.layer2.plus.size(); ++i) {
    weights.layer2.plus[i] = static_cast<std::uint8_t>((3 * i) % 4);
  }
  const auto file = std::filesystem::temp_directory_path() / "dwspice_test_train_roundtrip.weights";
  writeWeightsFile(file, weights);
  CHECK(readWeightsFile(file) == weights);

  auto rewrite = [&](const std::string &from, const std::string &to) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    const auto damaged = std::filesystem::temp_directory_path() / "dwspice_test_train_damaged.weights";
    std::ofstream(damaged) << text;
    return damaged;
  };
  CHECK_THROWS_WITH_AS(readWeightsFile(rewrite("layer2 3 3", "layer2 3 4")), doctest::Contains("layer2"),
                       UserError);
  CHECK_THROWS_WITH_AS(readWeightsFile(rewrite("0:0 1:0\n", "0:0 9:0\n")), doctest::Contains("0..3"),
                       UserError);
  CHECK_THROWS_WITH_AS(readWeightsFile(rewrite("# dwspice-weights 1", "# something else")),
                       doctest::Contains("not a dwspice weights file"), UserError);
  CHECK_THROWS_WITH_AS(readWeightsFile(rewrite("vbias2 0.3\n", "")), doctest::Contains("header incomplete"),
                       UserError);
  std::filesystem::remove(file);
}

TEST_CASE("train: the fixture cell tables load and pass the readers' checks") {
  const CellTables tables = readCellTables(fixtureCells(), 10);
  CHECK(tables.levels1.size() == 11);
  CHECK(tables.levels2.size() == 11);
  CHECK(tables.levels1.front() == doctest::Approx(16.0)); // µS
  CHECK(tables.hiddenPlus.xs().size() >= 61);
  CHECK(tables.hiddenPlus(60.0) > 0.3); // V at +60 µA
  CHECK(tables.hiddenMinus(60.0) < -0.3);
  CHECK_THROWS_WITH_AS(readCellTables(fixtureCells(), 7), doctest::Contains("synapse_levels_7notch_l1.csv"),
                       UserError);
}
