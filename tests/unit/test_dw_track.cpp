// DW track core: exact Jacobians, direction of motion, steady-state velocity
// against the closed form, depinning current of a single well, state held at
// DC. The closed forms are computed here from the material parameters, not
// from the model's own derived quantities.
#include "dw_test_support.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

using namespace dwspice;
using namespace dwspice::dwtest;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMu0 = 4e-7 * kPi;
constexpr double kHbar = 1.054571817e-34;
constexpr double kE = 1.602176634e-19;
constexpr double kGamma0 = 2.211e5;

// Material of the tests (the defaults, written out so the test is independent).
struct Material {
  double ms = 1.1e6, aex = 2e-11, ku = 1e6, alpha = 0.3, theta = 0.25, dmi = 1e-3, tfm = 2e-9;
  [[nodiscard]] double delta() const { return std::sqrt(aex / (ku - kMu0 * ms * ms / 2)); }
  [[nodiscard]] double hD() const { return dmi / (kMu0 * ms * delta()); }
  [[nodiscard]] double hK() const { return ms * tfm * std::log(2.0) / (kPi * delta()); }
  [[nodiscard]] double hSH(double j) const { return kHbar * theta * j / (2 * kE * kMu0 * ms * tfm); }
};

// Scalar bisection on a bracketing interval.
double bisect(const std::function<double(double)> &f, double lo, double hi, int iterations = 200) {
  double flo = f(lo);
  for (int i = 0; i < iterations; ++i) {
    const double mid = 0.5 * (lo + hi);
    const double fmid = f(mid);
    if ((fmid < 0) == (flo < 0)) {
      lo = mid;
      flo = fmid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

// v_ss = (π/2)·γ0·Δ·H_SH·cosφ*/α with φ* from
// (π/2)·H_SH·cosφ = α·[(π/2)·H_D·sinφ − (H_K/2)·sin2φ].
double closedFormVelocity(const Material &m, double j) {
  const double hSh = m.hSH(j);
  const auto balance = [&](double phi) {
    return (kPi / 2) * hSh * std::cos(phi) -
           m.alpha * ((kPi / 2) * m.hD() * std::sin(phi) - 0.5 * m.hK() * std::sin(2 * phi));
  };
  const double phiStar = bisect(balance, 0.0, kPi / 2);
  return (kPi / 2) * kGamma0 * m.delta() * hSh * std::cos(phiStar) / m.alpha;
}

// A long, well-free track so that only the drive and the wall's own dynamics matter.
ModelSpec freeTrack(const std::string &type = "dwneuron") {
  return dwModel(type, {{"l", 200e-6}, {"nnotch", 0}, {"hdephome", 0}, {"xmtj1", 0}, {"xmtj2", 200e-6}});
}

} // namespace

TEST_CASE("dw track: analytic Jacobians match finite differences (pinned, moving, saturated, ends)") {
  const ModelSpec synapse =
      dwModel("dwsynapse", {{"hx", 3e3}, {"hy", -2e3}, {"hz", 1e3}, {"stt", 1.0}, {"beta", 0.2}});
  DwBench dw(synapse, {testkit::assign("state", 2)});
  const double length = 1500.0; // nm
  struct Point {
    double j, qNm, phi, readV;
  };
  const std::vector<Point> points{
      {0.0, 600.0, 0.0, 0.1},         // pinned at notch 2, at rest
      {0.0, 608.0, 0.05, -0.2},       // pinned, displaced inside the well
      {3e11, 450.0, 0.4, 0.3},        // moving between notches
      {2e12, 700.0, 1.2, 0.05},       // saturated regime, φ far from rest
      {-5e11, 50.0, -0.7, 0.0},       // home well, negative drive
      {1e12, length - 0.5, 0.3, 0.2}, // at the right end, in the confinement
      {1e12, length + 2.0, 0.3, 0.2}, // beyond the right end
      {-1e12, -1.5, 2.5, -0.4},       // beyond the left end
      {5e11, 3.0, 3.0, 1.0},          // near the left end
  };
  for (const AnalysisMode mode :
       {AnalysisMode::Transient, AnalysisMode::OperatingPoint, AnalysisMode::DcSweep}) {
    for (const Point &p : points) {
      CAPTURE(p.j);
      CAPTURE(p.qNm);
      CAPTURE(p.phi);
      LoadContext ctx;
      ctx.mode = mode;
      dw.bench().checkJacobian(dw.point(p.j, p.qNm, p.phi, p.readV), ctx, 1e-6, 1e-9);
    }
  }
}

TEST_CASE("dw track: positive J moves the wall to +x for either wall polarity") {
  for (const int polarity : {1, -1}) {
    CAPTURE(polarity);
    const ModelSpec model = dwModel("dwneuron", {{"l", 5e-6}, {"polarity", polarity}});
    DwBench forward(model, {testkit::assign("q0", 2.5e-6)});
    forward.integrate(2e11, 2e-9);
    CHECK(forward.position() > 2.5e-6 + 20e-9);
    DwBench backward(model, {testkit::assign("q0", 2.5e-6)});
    backward.integrate(-2e11, 2e-9);
    CHECK(backward.position() < 2.5e-6 - 20e-9);
  }
}

TEST_CASE("dw track: steady-state velocity matches the closed form within 1% (linear and saturated)") {
  const Material material;
  const ModelSpec model = freeTrack();
  for (const double j : {2e10, 1e11, 3e11, 1e12, 3e12, 1e13}) {
    DwBench dw(model, {testkit::assign("q0", 20e-6)});
    dw.integrate(j, 8e-9, 1e-12); // φ relaxes within ~1 ns
    const double start = dw.position();
    dw.integrate(j, 2e-9, 1e-12);
    const double velocity = (dw.position() - start) / 2e-9;
    const double expected = closedFormVelocity(material, j);
    MESSAGE(fmt::format("J = {:g} A/m²: v = {:.4f} m/s, closed form {:.4f} m/s", j, velocity, expected));
    CHECK(velocity == relApprox(expected).epsilon(0.01));
  }
  // Regimes really covered: nearly linear at low J, within 10 % of the DMI
  // limit v_D = (π/2)·γ0·Δ·H_D at the top.
  const double vD = (kPi / 2) * kGamma0 * material.delta() * material.hD();
  CHECK(
      closedFormVelocity(material, 2e10) ==
      relApprox((kPi / 2) * kGamma0 * material.delta() * material.hSH(2e10) / material.alpha).epsilon(0.01));
  CHECK(closedFormVelocity(material, 1e13) > 0.9 * vD);
}

TEST_CASE("dw track: depinning current of a single well matches the closed form within 10%") {
  const Material material;
  const double depinningField = 2e4; // A/m
  const double sigma = 10e-9;
  const ModelSpec model = dwModel("dwsynapse", {{"l", 2e-6},
                                                {"nnotch", 1},
                                                {"xnotch1", 1e-6},
                                                {"hdep1", depinningField},
                                                {"hdephome", 0},
                                                {"rnotch", sigma}});
  const auto escapes = [&](double j) {
    DwBench dw(model, {testkit::assign("state", 1)});
    dw.integrate(j, 30e-9, 2e-12);
    return dw.position() > 1e-6 + 5 * sigma;
  };
  // J_dep = 4·e·μ0·Ms·t_FM·H_dep/(π·ħ·θ_SH)
  const double estimate =
      4 * kE * kMu0 * material.ms * material.tfm * depinningField / (kPi * kHbar * material.theta);
  CHECK_FALSE(escapes(0.9 * estimate));
  CHECK(escapes(1.1 * estimate));
  double lo = 0.5 * estimate, hi = 2.0 * estimate;
  REQUIRE_FALSE(escapes(lo));
  REQUIRE(escapes(hi));
  for (int i = 0; i < 7; ++i) {
    const double mid = 0.5 * (lo + hi);
    (escapes(mid) ? hi : lo) = mid;
  }
  const double threshold = 0.5 * (lo + hi);
  MESSAGE(fmt::format("simulated depinning J = {:.4g} A/m², estimate {:.4g} A/m²", threshold, estimate));
  CHECK(threshold == relApprox(estimate).epsilon(0.10));
}

TEST_CASE("dw track: in .op and .dc the state is held at its initial value") {
  const ModelSpec model = dwModel("dwsynapse", {});
  DwBench dw(model, {testkit::assign("state", 3)});
  for (const AnalysisMode mode : {AnalysisMode::OperatingPoint, AnalysisMode::DcSweep}) {
    LoadContext ctx;
    ctx.mode = mode;
    // A large write current does not move the held state...
    const auto held = dw.bench().evaluate(dw.point(1e12, 900.0, dw.device().initialAngle()), ctx);
    CHECK(held.f[3] == doctest::Approx(0.0));
    CHECK(held.f[4] == doctest::Approx(0.0));
    // ...and a displaced state is pulled back with unit slope.
    const auto displaced = dw.bench().evaluate(dw.point(0.0, 905.0, dw.device().initialAngle() + 0.1), ctx);
    CHECK(displaced.f[3] == relApprox(5.0));
    CHECK(displaced.f[4] == relApprox(0.1));
  }
  // In transient the same write current does move it.
  LoadContext tran;
  tran.mode = AnalysisMode::Transient;
  const auto moving = dw.bench().evaluate(dw.point(1e12, 900.0, dw.device().initialAngle()), tran);
  CHECK(-moving.f[3] > 1e9); // nm/s
}

TEST_CASE("dw track: the wall stays confined to the track under strong drive") {
  const ModelSpec model = dwModel("dwneuron", {});
  DwBench dw(model);
  dw.integrate(5e12, 10e-9, 1e-12);
  CHECK(dw.position() < 512e-9 + 3e-9);
  CHECK(dw.position() > 512e-9 - 5e-9);
  dw.integrate(-5e12, 10e-9, 1e-12);
  CHECK(dw.position() > -3e-9);
  CHECK(dw.position() < 5e-9);
}

TEST_CASE("dw track: invalid parameters are user errors") {
  const ModelSpec weak = dwModel("dwneuron", {{"ku", 5e5}}); // below μ0·Ms²/2: in-plane
  CHECK_THROWS_AS(DwBench{weak}, UserError);
  const ModelSpec synapse = dwModel("dwsynapse", {});
  CHECK_THROWS_AS(DwBench(synapse, {testkit::assign("state", 6)}), UserError);
  CHECK_THROWS_AS(DwBench(synapse, {testkit::assign("state", 1), testkit::assign("q0", 1e-7)}), UserError);
  CHECK_THROWS_AS(DwBench(synapse, {testkit::assign("q0", 2e-6)}), UserError);
  CHECK_THROWS_AS(DwBench(synapse, {testkit::assign("unknownparam", 1)}), UserError);
  const ModelSpec neuron = dwModel("dwneuron", {});
  CHECK_THROWS_AS(DwBench(neuron, {testkit::assign("state", 1)}), UserError); // neurons have no notch state
  const ModelSpec badPolarity = dwModel("dwneuron", {{"polarity", 0}});
  CHECK_THROWS_AS(DwBench{badPolarity}, UserError);
}
