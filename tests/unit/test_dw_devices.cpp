// DW neuron and notched DW synapse: read-out, defaults of the seed's devices,
// neuron transfer shape, synapse staircase and history dependence, thermal
// noise reproducibility.
#include "dw_test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>
#include <fmt/ranges.h>

using namespace dwspice;
using namespace dwspice::dwtest;

namespace {

// Index of the pinning site (0 = home, k = notch k) within 2σ of x, or −1.
int pinnedSite(const spintronic::DwTrack &track, double x) {
  const auto &wells = track.params().wells;
  for (size_t k = 0; k < wells.size(); ++k) {
    if (std::abs(x - wells[k].position) < 2 * wells[k].width) {
      return static_cast<int>(k);
    }
  }
  return -1;
}

} // namespace

TEST_CASE("dw read-out: conductance follows the wall across the detector with exact Jacobian") {
  const ModelSpec model = dwModel("dwneuron", {{"tmr", 1.0}, {"vh", 0.5}, {"ra", 5e-12}});
  DwBench dw(model);
  const double gP = 256e-9 * 64e-9 / 5e-12;
  const double gAp0 = gP / 2.0;
  const auto conductanceAt = [&](double qNm) {
    const auto x = dw.point(0.0, qNm, 0.0, 1e-3);
    return dw.device().readConductance(x);
  };
  CHECK(conductanceAt(30.0) == relApprox(gAp0).epsilon(1e-4)); // left of the detector: antiparallel
  CHECK(conductanceAt(500.0) == relApprox(gP).epsilon(1e-4));  // past it: parallel
  CHECK(conductanceAt(256.0) == relApprox(0.5 * (gP + gAp0)).epsilon(1e-3)); // halfway
  double previous = 0;
  for (double q = 100.0; q <= 420.0; q += 10.0) {
    const double g = conductanceAt(q);
    CHECK(g >= previous);
    previous = g;
  }
  // Linear in q while the wall is well inside the detector.
  const double slope1 = conductanceAt(200.0) - conductanceAt(180.0);
  const double slope2 = conductanceAt(320.0) - conductanceAt(300.0);
  CHECK(slope1 == relApprox(slope2).epsilon(1e-4));
  // The stamped current includes the bias-dependent TMR.
  const auto r = dw.bench().evaluate(dw.point(0.0, 30.0, 0.0, 0.5));
  CHECK(r.f[2] == relApprox(0.5 * gP / (1.0 + 0.5)).epsilon(1e-4));
}

TEST_CASE("dw neuron: seed defaults and a ReLU-like response to 3 ns pulses") {
  const ModelSpec model = dwModel("dwneuron", {});
  DwBench probe(model);
  const auto &p = probe.device().track().params();
  CHECK(p.length == relApprox(512e-9));
  CHECK(p.width == relApprox(64e-9));
  CHECK(p.thicknessFm == relApprox(2e-9));
  CHECK(p.mtjStart == relApprox(128e-9));
  CHECK(p.mtjEnd == relApprox(384e-9));
  CHECK(p.wells.empty());

  // Conductance after one 3 ns pulse (plus 2 ns settling) from the reset state.
  const auto afterPulse = [&](double j) {
    DwBench dw(model);
    dw.integrate(j, 3e-9);
    dw.integrate(0.0, 2e-9);
    return dw.device().readConductance(dw.point(0.0, dw.position() / spintronic::kPositionUnit, dw.angle()));
  };
  const double gMin = afterPulse(0.0);
  const double gMax = afterPulse(1e12);
  CHECK(afterPulse(-3e11) == relApprox(gMin).epsilon(1e-6)); // negative J: stays at the minimum
  CHECK(afterPulse(5e10) == relApprox(gMin).epsilon(1e-3));  // sub-threshold: flat
  std::vector<double> normalised;
  for (double j = 1e11; j <= 4.5e11 + 1; j += 5e10) {
    normalised.push_back((afterPulse(j) - gMin) / (gMax - gMin));
  }
  for (size_t k = 1; k < normalised.size(); ++k) {
    CHECK(normalised[k] > normalised[k - 1]); // strictly rising above threshold
  }
  MESSAGE(fmt::format("neuron G_norm for J = 0.10 … 0.45e12 A/m²: {:.3f}", fmt::join(normalised, " ")));
  CHECK(normalised.front() < 0.1);
  CHECK(normalised.back() > 0.8);
}

TEST_CASE("dw synapse: seed defaults, monotonic pinned levels and rising depinning thresholds") {
  for (const int notches : {5, 10}) {
    CAPTURE(notches);
    const ModelSpec model = dwModel("dwsynapse", {{"nnotch", notches}});
    DwBench probe(model);
    const auto &track = probe.device().track();
    const auto &wells = track.params().wells;
    REQUIRE(wells.size() == static_cast<size_t>(notches) + 1);
    CHECK(wells[1].position == relApprox(300e-9));
    CHECK(wells.back().position == relApprox(1500e-9));
    CHECK(wells[1].width == relApprox(10e-9));
    double previousG = 0, previousJ = 0;
    for (int state = 0; state <= notches; ++state) {
      DwBench dw(model, {testkit::assign("state", state)});
      CHECK(dw.device().initialPosition() == relApprox(wells[static_cast<size_t>(state)].position));
      const double g =
          dw.device().readConductance(dw.point(0.0, dw.position() / spintronic::kPositionUnit, 0.0));
      const double j = track.depinningCurrentDensity(wells[static_cast<size_t>(state)].depinningField);
      CHECK(g > previousG);
      CHECK(j > previousJ);
      previousG = g;
      previousJ = j;
    }
  }
  // The 10-notch track switches fully at a lower current than the 5-notch one.
  const ModelSpec five = dwModel("dwsynapse", {{"nnotch", 5}});
  const ModelSpec ten = dwModel("dwsynapse", {{"nnotch", 10}});
  DwBench a(five), b(ten);
  const auto &w5 = a.device().track().params().wells;
  const auto &w10 = b.device().track().params().wells;
  CHECK(w10[w10.size() - 2].depinningField < w5[w5.size() - 2].depinningField);
  CHECK(w10[1].depinningField == relApprox(w5[1].depinningField));
}

TEST_CASE("dw synapse: a 10 ns pulse pins the wall at a notch; a second equal pulse behaves differently") {
  const ModelSpec model = dwModel("dwsynapse", {});
  const double j = 2.05e11; // just above the depinning current of notch 1 (0.2e12 A/m²)
  DwBench dw(model);
  const auto &track = dw.device().track();
  REQUIRE(pinnedSite(track, dw.position()) == 0);
  const auto pulse = [&] {
    const double before = dw.position();
    dw.integrate(j, 10e-9);
    dw.integrate(0.0, 5e-9);
    return dw.position() - before;
  };
  const double firstMove = pulse();
  const int site = pinnedSite(track, dw.position());
  MESSAGE(fmt::format("after the first pulse the wall is at {:.1f} nm (site {})", dw.position() * 1e9, site));
  CHECK(site >= 1);          // left home and pinned at a notch...
  CHECK(firstMove > 200e-9); // ...after a real journey
  const double secondMove = pulse();
  CHECK(pinnedSite(track, dw.position()) == site); // same current, no further depinning
  CHECK(std::abs(secondMove) < 5e-9);
  // A higher current depins it again, to a later notch.
  dw.integrate(6e11, 10e-9);
  dw.integrate(0.0, 5e-9);
  CHECK(pinnedSite(track, dw.position()) > site);
}

TEST_CASE("dw thermal noise: seeded, reproducible, with the Langevin variance and a fixed step") {
  const ModelSpec model = dwModel("dwneuron", {{"noise", 1}, {"tnoise", 2e-12}});
  DwBench a(model, {testkit::assign("seed", 7)});
  DwBench b(model, {testkit::assign("seed", 7)});
  DwBench c(model, {testkit::assign("seed", 8)});
  CHECK(a.device().maxTimeStep() == relApprox(2e-12));
  const double temperature = 300.0;
  double sum = 0, sumSquares = 0;
  int differing = 0;
  const int samples = 20000;
  for (int k = 0; k < samples; ++k) {
    const double t = (k + 0.5) * 2e-12;
    const double h = a.device().thermalField(t, temperature);
    CHECK(h == b.device().thermalField(t, temperature));
    differing += h != c.device().thermalField(t, temperature) ? 1 : 0;
    // Constant within a slot: a pure function of time.
    CHECK(h == a.device().thermalField(t + 0.4e-12, temperature));
    sum += h;
    sumSquares += h * h;
  }
  CHECK(differing == samples);
  const double expectedVariance = a.device().track().thermalFieldDiffusion(temperature) / 2e-12;
  CHECK(sumSquares / samples == relApprox(expectedVariance).epsilon(0.05));
  CHECK(std::abs(sum / samples) < 0.05 * std::sqrt(expectedVariance));
  // Off by default.
  const ModelSpec quiet = dwModel("dwneuron", {});
  DwBench d(quiet);
  CHECK(d.device().thermalField(1e-9, temperature) == 0.0);
  CHECK(std::isinf(d.device().maxTimeStep()));
}

// The state rows' charges are the states themselves (C = 1), in the
// transient and at the operating point: the constant-charge promise that
// lets the reduced transient fold them into the linear charges.
TEST_CASE("dw neuron: constant charges, q = C·x, skipped when held") {
  const ModelSpec model = dwModel("dwneuron", {});
  DwBench dw(model);
  CHECK(dw.device().hasConstantCharges());
  const std::vector<std::vector<double>> points{
      dw.point(0.0, 30.0, 0.1, 0.05), dw.point(2e11, 250.0, -0.7, 0.5), dw.point(-1e11, 480.0, 2.0, -0.2)};
  for (const AnalysisMode mode : {AnalysisMode::Transient, AnalysisMode::OperatingPoint}) {
    LoadContext ctx;
    ctx.mode = mode;
    ctx.time = 1e-9;
    dw.bench().checkConstantCharges(points, ctx);
  }
}
