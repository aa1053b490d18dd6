// Diode (D, model type d): Jacobians against finite differences in every
// region, ngspice 39 reference points, limiting, charges and parameter errors.
#include "device_test_kit.hpp"

#include "diode/diode_model.hpp"
#include "diode/junction.hpp"

#include <cmath>
#include <memory>
#include <random>
#include <string>

namespace {

using namespace dwspice;
using namespace dwspice::testkit;

std::unique_ptr<ModelSpec> diodeModel(std::map<std::string, double> params, const std::string &type = "d") {
  auto model = std::make_unique<ModelSpec>();
  model->name = "dmod";
  model->type = type;
  model->params = std::move(params);
  return model;
}

// One diode between node 1 (anode) and node 2 (cathode); with RS > 0 the
// bench allocates the internal node as unknown 3.
struct DiodeFixture {
  explicit DiodeFixture(std::map<std::string, double> params, std::vector<CardArg> args = {},
                        const SimOptions &options = {})
      : model(diodeModel(std::move(params))), bench(2) {
    bench.add(instance("d1", {"a", "k"}, std::move(args), model.get()), {1, 2}, options);
    bench.setup();
  }
  std::unique_ptr<ModelSpec> model;
  DeviceBench bench;
};

// Solves KCL at the internal node for fixed terminal voltages (Newton on the
// one free unknown) and returns the current into the anode.
double terminalCurrent(DeviceBench &bench, double va, double vk, LoadContext ctx = {}, bool seriesR = true) {
  std::vector<double> x(static_cast<size_t>(bench.size()) + 1, 0.0);
  x[1] = va;
  x[2] = vk;
  if (seriesR) {
    x[3] = va;
    for (int iter = 0; iter < 200; ++iter) {
      const auto r = bench.evaluate(x, ctx);
      const double step = -r.f[3] / r.G[3][3];
      // Damped so the exponential cannot overflow on the way in.
      x[3] += std::clamp(step, -0.05, 0.05);
      if (std::abs(step) < 1e-15) {
        break;
      }
    }
  }
  return bench.evaluate(x, ctx).f[1];
}

// The kit's G check has an absolute floor of relTol (it is built for
// conductances ~1 S); the charge row's entries are C ~ 1e-12 F, so they get
// their own relative finite-difference check here.
void checkRowRelative(DeviceBench &bench, const std::vector<double> &x, size_t row) {
  const auto at = bench.evaluate(x);
  for (size_t j = 1; j < x.size(); ++j) {
    const double h = 1e-7 * std::max(1.0, std::abs(x[j]));
    std::vector<double> xp = x, xm = x;
    xp[j] += h;
    xm[j] -= h;
    const double fd = (bench.evaluate(xp).f[row] - bench.evaluate(xm).f[row]) / (2 * h);
    CAPTURE(j);
    CHECK(at.G[row][j] == doctest::Approx(fd).epsilon(1e-5).scale(1e-24));
  }
}

LoadContext withTemperature(double celsius) {
  LoadContext ctx;
  ctx.temperature = celsius + 273.15;
  return ctx;
}

} // namespace

TEST_CASE("diode: Jacobian G and C match finite differences in every region") {
  DiodeFixture d(
      {{"is", 1e-14}, {"n", 1.2}, {"rs", 10}, {"bv", 20}, {"ibv", 1e-4}, {"cjo", 2e-12}, {"tt", 5e-9}});
  REQUIRE(d.bench.size() == 4); // internal node for RS (3), junction charge state (4)
  // {anode, cathode, internal}: forward, forward above fc·vj (linearised
  // depletion C), weak forward, reverse (cubic tail), breakdown.
  const std::vector<std::array<double, 3>> points{{0.8, 0.0, 0.7},   {0.7, 0.1, 0.65}, {0.2, 0.0, 0.15},
                                                  {-2.0, 0.0, -2.0}, {0.0, 5.0, -4.5}, {-21, 0.0, -20.5}};
  for (const auto &p : points) {
    CAPTURE(p[2] - p[1]);
    d.bench.checkJacobian({0.0, p[0], p[1], p[2], 1e-10}, {}, 1e-5, 1e-22);
    checkRowRelative(d.bench, {0.0, p[0], p[1], p[2], 1e-10}, 4); // C(vd) of the charge state
  }
}

TEST_CASE("diode: without RS there is no internal node, without CJO and TT no charge state") {
  DiodeFixture d({{"is", 1e-14}, {"cjo", 1e-12}});
  CHECK(d.bench.size() == 3); // a, k, charge
  d.bench.checkJacobian({0.0, 0.6, 0.0, 0.0}, {}, 1e-5, 1e-22);
  d.bench.checkJacobian({0.0, -3.0, 0.0, 0.0}, {}, 1e-5, 1e-22);
  checkRowRelative(d.bench, {0.0, 0.6, 0.0, 0.0}, 3);
  checkRowRelative(d.bench, {0.0, -3.0, 0.0, 0.0}, 3);
  DiodeFixture plain({{"is", 1e-14}});
  CHECK(plain.bench.size() == 2);
  plain.bench.checkJacobian({0.0, 0.6, 0.0}, {}, 1e-5, 1e-22);
}

TEST_CASE("diode: currents agree with ngspice 39") {
  // Reference values from ngspice-39 (`ngspice -b`), netlist:
  //   V1 a 0 dc <v>
  //   D1 a 0 dref
  //   .model dref d(is=1e-14 n=1.2 rs=10 bv=20 ibv=1e-4 cjo=2p tt=5n)
  //   .control / set numdgt=10 / foreach v … alter v1 dc=$v / op / print v1#branch
  // The diode current is −i(v1).
  DiodeFixture d(
      {{"is", 1e-14}, {"n", 1.2}, {"rs", 10}, {"bv", 20}, {"ibv", 1e-4}, {"cjo", 2e-12}, {"tt", 5e-9}});
  const std::vector<std::pair<double, double>> reference{
      {0.3, 1.579486091e-10},     {0.65, 1.239710937e-05}, {0.75, 2.847423332e-04},
      {0.9, 5.884786654e-03},     {-5, -5.0101034432e-12}, {-19, -1.9010348851e-11},
      {-20.3, -1.4543883055e-02}, {-21, -7.9280303832e-02}};
  for (const auto &[v, current] : reference) {
    CAPTURE(v);
    CHECK(terminalCurrent(d.bench, v, 0.0) == doctest::Approx(current).epsilon(1e-6));
  }
}

TEST_CASE("diode: area and temperature scaling agree with ngspice 39") {
  // ngspice-39 reference, netlist:
  //   V1 a 0 dc 0.6      D1 a 0 dref area=3
  //   V2 b 0 dc -15.2    D2 b 0 dref area=3
  //   .model dref d(is=1e-14 n=1.2 rs=10 bv=15 ibv=1e-4 eg=1.11 xti=3)
  //   .options temp=75
  //   → v1#branch = -1.031213435e-04, v2#branch = 1.0126274254e-02
  SimOptions options;
  options.temp = 75;
  DiodeFixture d({{"is", 1e-14}, {"n", 1.2}, {"rs", 10}, {"bv", 15}, {"ibv", 1e-4}, {"eg", 1.11}, {"xti", 3}},
                 {assign("area", 3)}, options);
  CHECK(terminalCurrent(d.bench, 0.6, 0.0, withTemperature(75)) ==
        doctest::Approx(1.031213435e-04).epsilon(1e-6));
  CHECK(terminalCurrent(d.bench, -15.2, 0.0, withTemperature(75)) ==
        doctest::Approx(-1.0126274254e-02).epsilon(1e-6));
  // Positional area is the same as area=.
  DiodeFixture positional({{"is", 1e-14}, {"n", 1.2}, {"rs", 10}}, {value(3)});
  DiodeFixture named({{"is", 1e-14}, {"n", 1.2}, {"rs", 10}}, {assign("area", 3)});
  CHECK(terminalCurrent(positional.bench, 0.7, 0.0) ==
        doctest::Approx(terminalCurrent(named.bench, 0.7, 0.0)));
}

TEST_CASE("diode: breakdown knee with N != 1 agrees with ngspice 39") {
  // ngspice-39: V1 a 0 dc -10.3 / D1 a 0 dref / .model dref d(is=1e-12 n=2 bv=10 ibv=1e-5)
  //   → v1#branch = 3.3007701738e-03
  DiodeFixture d({{"is", 1e-12}, {"n", 2}, {"bv", 10}, {"ibv", 1e-5}});
  CHECK(terminalCurrent(d.bench, -10.3, 0.0, {}, false) == doctest::Approx(-3.3007701738e-03).epsilon(1e-6));
}

TEST_CASE("diode: the junction charge is a state: depletion plus transit time; gmin is in parallel") {
  const double cjo = 2e-12, vj = 0.8, m = 0.4, tt = 1e-9, is = 1e-14;
  DiodeFixture d({{"is", is}, {"cjo", cjo}, {"vj", vj}, {"m", m}, {"tt", tt}});
  REQUIRE(d.bench.size() == 3);
  const double vt = semi::thermalVoltage(300.15);
  const double k = 1.0; // the state is the charge itself, in coulombs
  // Row 3 is qs − Q(vd): at qs = 0 it gives −Q, and −dRow3/dva = C(vd).
  const auto at0 = d.bench.evaluate({0.0, 0.0, 0.0, 0.0});
  CHECK(-at0.G[3][1] / k == doctest::Approx(cjo + tt * is / vt));
  CHECK(at0.f[3] == doctest::Approx(0.0));
  CHECK(at0.G[3][3] == 1.0);
  const auto rev = d.bench.evaluate({0.0, -2.0, 0.0, 0.0});
  CHECK(-rev.G[3][1] / k == doctest::Approx(cjo * std::pow(1.0 + 2.0 / vj, -m)).epsilon(1e-6));
  CHECK(-rev.f[3] / k == doctest::Approx(vj * cjo * (1.0 - std::pow(1.0 + 2.0 / vj, 1.0 - m)) / (1.0 - m)));
  // The KCL rows see the charge through the state: q = ±qs, C = ±1.
  const auto withState = d.bench.evaluate({0.0, -2.0, 0.0, 3e-12});
  CHECK(withState.q[1] == doctest::Approx(3e-12));
  CHECK(withState.q[2] == doctest::Approx(-3e-12));
  CHECK(withState.C[1][3] == doctest::Approx(1.0 / k));
  CHECK(withState.C[1][1] == 0.0);
  // Forward: diffusion charge TT·I; above fc·vj the depletion capacitance
  // continues linearly (finite at v = vj).
  const auto fwd = d.bench.evaluate({0.0, vj, 0.0, 0.0});
  const double iForward = is * std::expm1(vj / vt);
  CHECK(std::isfinite(fwd.G[3][1]));
  CHECK(-fwd.f[3] / k > tt * iForward);
  // Reverse current: −IS plus gmin·v (options.gmin = 1e-12 S, or ctx.gmin when larger).
  LoadContext stepping;
  stepping.gmin = 1e-6;
  const auto withGmin = d.bench.evaluate({0.0, -5.0, 0.0, 0.0}, stepping);
  CHECK(withGmin.f[1] ==
        doctest::Approx(-is * (1.0 + std::pow(3 * vt / (-5.0 * M_E), 3)) - 1e-6 * 5.0).epsilon(1e-10));
}

TEST_CASE("diode: pnjlim never enlarges a step and leaves steps below vcrit alone") {
  const double vt = 0.0258, vcrit = 0.6;
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> volts(-30.0, 5.0);
  for (int i = 0; i < 20000; ++i) {
    const double vOld = volts(rng), vNew = volts(rng);
    bool limited = false;
    const double v = semi::pnjlim(vNew, vOld, vt, vcrit, limited);
    CAPTURE(vOld);
    CAPTURE(vNew);
    REQUIRE(std::abs(v - vOld) <= std::abs(vNew - vOld) + 1e-15);
    REQUIRE((v - vOld) * (vNew - vOld) >= 0.0); // same direction
    CHECK(limited == (v != vNew));
    if (vNew >= 0.0 && vNew <= vcrit) {
      REQUIRE(v == vNew); // forward steps ending below vcrit are never limited
    }
  }
  bool limited = false;
  // From 0 straight to 5 V: compressed to vt·ln(5/vt), well below 5.
  CHECK(semi::pnjlim(5.0, 0.0, vt, vcrit, limited) == doctest::Approx(vt * std::log(5.0 / vt)));
  CHECK(limited);
  // Large reverse steps stop at 2·vold − 1.
  CHECK(semi::pnjlim(-50.0, -1.0, vt, vcrit, limited) == doctest::Approx(-3.0));
}

TEST_CASE("diode: Newton limiting starts at vcrit and reports the limited linearisation") {
  DiodeFixture d({{"is", 1e-14}});
  const double vt = semi::thermalVoltage(300.15);
  const double vcrit = vt * std::log(vt / (std::sqrt(2.0) * 1e-14));
  LoadContext init;
  init.initJunctions = true;
  init.limiting = true;
  // First iteration: evaluated at vcrit whatever x says; f is the tangent
  // at vcrit evaluated at the actual voltage (0 here).
  const auto first = d.bench.evaluate({0.0, 0.0, 0.0}, init);
  const double iCrit = 1e-14 * (std::exp(vcrit / vt) - 1.0) + 1e-12 * vcrit;
  const double gCrit = 1e-14 * std::exp(vcrit / vt) / vt + 1e-12;
  CHECK(first.G[1][1] == doctest::Approx(gCrit));
  CHECK(first.f[1] == doctest::Approx(iCrit - gCrit * vcrit));
  // Next iteration jumps to 3 V: limited to vcrit + vt·ln(1 + (3 − vcrit)/vt).
  LoadContext newton;
  newton.limiting = true;
  const auto second = d.bench.evaluate({0.0, 3.0, 0.0}, newton);
  const double vLim = vcrit + vt * std::log1p((3.0 - vcrit) / vt);
  const double gLim = 1e-14 * std::exp(vLim / vt) / vt + 1e-12;
  CHECK(second.G[1][1] == doctest::Approx(gLim));
  CHECK(second.f[1] == doctest::Approx(1e-14 * std::expm1(vLim / vt) + 1e-12 * vLim + gLim * (3.0 - vLim)));
  // Limited iterations are reported so Newton cannot stop on them; a step
  // the limiter leaves alone is not.
  int limitedCount = 0;
  LoadContext counting = newton;
  counting.limitedDevices = &limitedCount;
  (void)d.bench.evaluate({0.0, 3.0, 0.0}, counting); // still far above: limited again
  CHECK(limitedCount == 1);
  limitedCount = 0;
  (void)d.bench.evaluate({0.0, 0.5, 0.0}, counting); // below vcrit: taken as is
  CHECK(limitedCount == 0);
  (void)d.bench.evaluate({0.0, 0.5 + 1e-4, 0.0}, counting);
  CHECK(limitedCount == 0);
  init.limitedDevices = &limitedCount;
  (void)d.bench.evaluate({0.0, 0.0, 0.0}, init); // the vcrit start point is not x either
  CHECK(limitedCount == 1);
  // Without limiting the device is a pure function of x (IDA trial points).
  const auto plain = d.bench.evaluate({0.0, 0.7, 0.0});
  CHECK(plain.f[1] == doctest::Approx(1e-14 * std::expm1(0.7 / vt) + 1e-12 * 0.7));
  // `off` starts the junction at 0 V instead of vcrit.
  DiodeFixture off({{"is", 1e-14}}, {word("off")});
  const auto offFirst = off.bench.evaluate({0.0, 0.5, 0.0}, init);
  CHECK(offFirst.G[1][1] == doctest::Approx(1e-14 / vt + 1e-12));
}

TEST_CASE("diode: parameter errors name the parameter") {
  const auto buildError = [](std::map<std::string, double> params, std::vector<CardArg> args = {}) {
    auto model = diodeModel(std::move(params));
    DeviceBench bench(2);
    try {
      bench.add(instance("d1", {"a", "k"}, std::move(args), model.get()), {1, 2});
    } catch (const UserError &e) {
      return e.message();
    }
    return std::string("no error");
  };
  CHECK(buildError({{"bogus", 1}}).find("bogus") != std::string::npos);
  CHECK(buildError({{"level", 3}}).find("level=3") != std::string::npos);
  CHECK(buildError({{"is", -1e-14}}).find("'is'") != std::string::npos);
  CHECK(buildError({{"is", 0}}).find("is must be > 0") != std::string::npos);
  CHECK(buildError({{"n", 0}}).find("'n'") != std::string::npos);
  CHECK(buildError({{"rs", -5}}).find("'rs'") != std::string::npos);
  CHECK(buildError({}, {assign("area", -2)}).find("area must be > 0") != std::string::npos);
  CHECK(buildError({}, {assign("w", 1)}).find("'w'") != std::string::npos);
  CHECK(buildError({}, {value(2), assign("area", 2)}).find("area given twice") != std::string::npos);
  CHECK(buildError({}, {word("on")}).find("unexpected 'on'") != std::string::npos);
  CHECK(buildError({{"is", 1e-15}, {"cjo", 1e-12}, {"m", 0.5}}) == "no error");
  // Values ngspice clamps are clamped with a warning, not silently.
  const int warningsBefore = warningCount();
  CHECK(buildError({{"vj", 3}, {"fc", 0.5}}) == "no error");
  CHECK(buildError({{"m", 0.95}}) == "no error");
  CHECK(warningCount() == warningsBefore + 2);
}

TEST_CASE("junction exponential: continued linearly with finite values far past the knee") {
  // Below the knee it is exp() itself, value and slope.
  const semi::ExpWithSlope small = semi::boundedExp(40.0);
  CHECK(small.value == std::exp(40.0));
  CHECK(small.slope == std::exp(40.0));
  // At the knee value and slope are continuous.
  const semi::ExpWithSlope knee = semi::boundedExp(semi::kLinearExpKnee);
  const semi::ExpWithSlope past = semi::boundedExp(std::nextafter(semi::kLinearExpKnee, 1e9));
  CHECK(past.value == doctest::Approx(knee.value).epsilon(1e-12));
  CHECK(past.slope == knee.slope);
  // A 20 V forward bias (x ~ 770) and anything a trial step may produce stay
  // finite: the continuation used to start at 709, one unit short of overflow.
  for (const double x : {770.0, 1e4, 1e8, 1e150}) {
    const semi::ExpWithSlope e = semi::boundedExp(x);
    CHECK(std::isfinite(e.value));
    CHECK(std::isfinite(e.slope));
    CHECK(e.value > knee.value);
  }
}
