// MOSFET level 1 (M, model types nmos/pmos): Jacobians against finite
// differences in every region, Meyer capacitances, ngspice 39 reference
// currents, limiting, and parameter errors.
#include "device_test_kit.hpp"

#include "diode/junction.hpp"

#include <cmath>
#include <memory>
#include <string>

namespace {

using namespace dwspice;
using namespace dwspice::testkit;

std::unique_ptr<ModelSpec> mosModel(const std::string &type, std::map<std::string, double> params) {
  auto model = std::make_unique<ModelSpec>();
  model->name = "mm";
  model->type = type;
  model->params = std::move(params);
  return model;
}

// One MOSFET on nodes d=1, g=2, s=3, b=4 (internal drain/source nodes, when
// RD/RS are given, are unknowns 5 and 6).
struct MosFixture {
  MosFixture(const std::string &type, std::map<std::string, double> params, std::vector<CardArg> args,
             const SimOptions &options = {})
      : model(mosModel(type, std::move(params))), bench(4) {
    bench.add(instance("m1", {"d", "g", "s", "b"}, std::move(args), model.get()), {1, 2, 3, 4}, options);
    bench.setup();
  }
  std::unique_ptr<ModelSpec> model;
  DeviceBench bench;
};

// x for terminal voltages (internal nodes, if any, start at their terminal).
std::vector<double> terminals(const DeviceBench &bench, double vd, double vg, double vs, double vb) {
  std::vector<double> x(static_cast<size_t>(bench.size()) + 1, 0.0);
  x[1] = vd;
  x[2] = vg;
  x[3] = vs;
  x[4] = vb;
  return x;
}

const std::map<std::string, double> kNmos{
    {"level", 1},     {"vto", 0.7},      {"kp", 50e-6},   {"gamma", 0.45}, {"phi", 0.7},
    {"lambda", 0.03}, {"ld", 0.1e-6},    {"is", 1e-15},   {"cbd", 20e-15}, {"cbs", 25e-15},
    {"cgso", 1e-10},  {"cgdo", 1.2e-10}, {"cgbo", 2e-10}, {"mj", 0.45},    {"pb", 0.75}};

// Same model with TOX: Meyer capacitances on top of everything else (KP is
// given, so TOX changes nothing but COX).
std::map<std::string, double> withOxide(std::map<std::string, double> params) {
  params["tox"] = 20e-9;
  return params;
}

std::map<std::string, double> pmosOf(std::map<std::string, double> params) {
  params["vto"] = -params["vto"];
  return params;
}

struct Bias {
  const char *region;
  double vd, vg, vs, vb;
};

// NMOS biases; the PMOS test negates them.
const std::vector<Bias> kBiases{
    {"cutoff", 2.0, 0.2, 0.0, 0.0},
    {"subthreshold Meyer band", 2.0, 0.5, 0.0, 0.0},
    {"linear", 0.3, 2.0, 0.0, 0.0},
    {"saturation", 3.0, 2.0, 0.0, 0.0},
    {"saturation, body bias", 3.0, 2.0, 0.0, -1.5},
    {"reversed vds, linear", -0.3, 2.0, 0.0, -1.0},
    {"reversed vds, saturation", -3.0, 1.5, 0.0, -4.0},
    {"forward body", 1.0, 1.5, 0.0, 0.3},
    // Junctions conducting on one side only, so that a bulk-source stamp
    // mixed up with the bulk-drain one shows (the gmin-level conductances of
    // two reverse-biased junctions are nearly equal).
    {"bulk-source junction conducting", 1.0, 1.5, 0.0, 0.6},
    {"bulk-drain junction conducting", 0.0, 1.5, 1.0, 0.6},
    {"source above ground", 0.5, 3.0, 1.0, 0.0},
};

} // namespace

TEST_CASE("mosfet: G and junction C match finite differences in every region (NMOS and PMOS)") {
  for (const char *type : {"nmos", "pmos"}) {
    const double sign = std::string(type) == "nmos" ? 1.0 : -1.0;
    MosFixture m(type, sign > 0 ? kNmos : pmosOf(kNmos),
                 {assign("l", 2e-6), assign("w", 10e-6), assign("ad", 20e-12), assign("as", 20e-12)});
    for (const Bias &b : kBiases) {
      CAPTURE(type);
      CAPTURE(b.region);
      // No TOX: every capacitance here is the derivative of a charge.
      m.bench.checkJacobian(terminals(m.bench, sign * b.vd, sign * b.vg, sign * b.vs, sign * b.vb), {}, 1e-5,
                            1e-24);
    }
  }
}

TEST_CASE("mosfet: RD and RS add internal nodes and stay consistent") {
  auto params = kNmos;
  params["rd"] = 50;
  params["rs"] = 20;
  MosFixture m("nmos", params, {assign("l", 2e-6), assign("w", 10e-6)});
  REQUIRE(m.bench.size() == 6);
  std::vector<double> x{0.0, 3.0, 2.0, 0.0, -1.0, 2.9, 0.05};
  m.bench.checkJacobian(x, {}, 1e-5, 1e-24);
  x = {0.0, 0.2, 2.5, 0.0, 0.0, 0.19, 0.01};
  m.bench.checkJacobian(x, {}, 1e-5, 1e-24);
  // RSH·NRD/NRS instead of RD/RS.
  auto sheet = kNmos;
  sheet["rsh"] = 10;
  MosFixture s("nmos", sheet, {assign("l", 2e-6), assign("w", 10e-6), assign("nrd", 2), assign("nrs", 0)});
  CHECK(s.bench.size() == 5); // NRS = 0: no source resistance
}

TEST_CASE("mosfet: Meyer capacitances follow the SPICE level-1 split by region") {
  // The Meyer capacitances are not derivatives of one charge, so they are
  // exempt from the finite-difference check; instead the difference between
  // a device with TOX and one without is compared with Meyer's formulas.
  const double l = 2e-6, w = 10e-6, ld = 0.1e-6;
  const double cox = semi::kEpsSiO2 / 20e-9 * (l - 2 * ld) * w;
  for (const char *type : {"nmos", "pmos"}) {
    const double sign = std::string(type) == "nmos" ? 1.0 : -1.0;
    const auto base = sign > 0 ? kNmos : pmosOf(kNmos);
    MosFixture plain(type, base, {assign("l", l), assign("w", w)});
    MosFixture oxide(type, withOxide(base), {assign("l", l), assign("w", w)});
    struct Expect {
      double vd, vg, vs, vb;
      double cgs, cgd, cgb;
    };
    const double phi = 0.7;
    const std::vector<Expect> expectations{
        {2.0, -1.0, 0.0, 0.0, 0.0, 0.0, cox},              // accumulation (vgs − von ≤ −phi)
        {3.0, 2.0, 0.0, 0.0, 2.0 / 3.0 * cox, 0.0, 0.0},   // saturation
        {-3.0, 0.0, 0.0, -4.0, 0.0, 2.0 / 3.0 * cox, 0.0}, // reversed saturation: roles swap
        {0.0, 2.0, 0.0, 0.0, 0.5 * cox, 0.5 * cox, 0.0},   // vds = 0: even split
        // depletion, vgst = −phi/4 and vds ≥ vdsat: Cgb = cox/4, Cgs = 2·(vgst·cox/(1.5·phi) + cox/3)
        {2.0, 0.7 - phi / 4.0, 0.0, 0.0, 2.0 * (-phi / 4.0 * cox / (1.5 * phi) + cox / 3.0), 0.0, cox / 4.0},
    };
    for (const Expect &e : expectations) {
      CAPTURE(type);
      CAPTURE(e.vd);
      CAPTURE(e.vg);
      const auto x = terminals(plain.bench, sign * e.vd, sign * e.vg, sign * e.vs, sign * e.vb);
      const auto a = oxide.bench.evaluate(x);
      const auto b = plain.bench.evaluate(x);
      // Node order d=1 g=2 s=3 b=4: C[g][s] = −Cgs etc.
      CHECK(-(a.C[2][3] - b.C[2][3]) == doctest::Approx(e.cgs).epsilon(1e-9).scale(cox));
      CHECK(-(a.C[2][1] - b.C[2][1]) == doctest::Approx(e.cgd).epsilon(1e-9).scale(cox));
      CHECK(-(a.C[2][4] - b.C[2][4]) == doctest::Approx(e.cgb).epsilon(1e-9).scale(cox));
      CHECK(a.C[2][2] - b.C[2][2] == doctest::Approx(e.cgs + e.cgd + e.cgb).scale(cox));
      // The DC part is identical: TOX only adds the gate capacitances.
      for (size_t i = 1; i <= 4; ++i) {
        CHECK(a.f[i] == doctest::Approx(b.f[i]));
        for (size_t j = 1; j <= 4; ++j) {
          CHECK(a.G[i][j] == doctest::Approx(b.G[i][j]));
        }
      }
      // The gate charge reported is the local linear charge Σ C·v.
      const double vg = x[2];
      const double qExpected = e.cgs * (vg - x[3]) + e.cgd * (vg - x[1]) + e.cgb * (vg - x[4]);
      CHECK(a.q[2] - b.q[2] == doctest::Approx(qExpected).scale(cox));
    }
  }
  // Overlap capacitances are plain linear capacitors: W·CGSO, W·CGDO, Leff·CGBO.
  MosFixture plain("nmos", kNmos, {assign("l", l), assign("w", w)});
  const auto off = plain.bench.evaluate(terminals(plain.bench, 2.0, -1.0, 0.0, 0.0));
  CHECK(-off.C[2][3] == doctest::Approx(1e-10 * w));
  CHECK(-off.C[2][1] == doctest::Approx(1.2e-10 * w));
  CHECK(-off.C[2][4] == doctest::Approx(2e-10 * (l - 2 * ld)));
}

TEST_CASE("mosfet: terminal currents agree with ngspice 39") {
  // Reference values from ngspice-39 (`ngspice -b`), one .op per bias:
  //   VD d 0 dc <vd>  VG g 0 dc <vg>  VS s 0 dc <vs>  VB b 0 dc <vb>
  //   M1 d g s b mm <instance>
  //   <model>  / .control / set numdgt=10 / op / print vd#branch vs#branch vb#branch
  // The current into the drain is −i(vd) (and likewise for s and b).
  struct Point {
    double vg, vd, vs, vb;
    double ivd, ivs, ivb; // ngspice's vd#branch, vs#branch, vb#branch
  };
  struct Case {
    const char *type;
    std::map<std::string, double> model;
    std::vector<CardArg> instance;
    std::vector<Point> points;
    double celsius = 27;
  };
  const std::vector<Case> cases{
      {"nmos",
       // .model mm nmos(level=1 vto=0.7 kp=50u gamma=0.45 phi=0.7 lambda=0.03 ld=0.1u is=1e-15), l=2u w=10u
       {{"level", 1},
        {"vto", 0.7},
        {"kp", 50e-6},
        {"gamma", 0.45},
        {"phi", 0.7},
        {"lambda", 0.03},
        {"ld", 0.1e-6},
        {"is", 1e-15}},
       {assign("l", 2e-6), assign("w", 10e-6)},
       {
           {2, 3, 0, 0, -2.558472252e-04, 2.5584722222e-04, 3.0010000000e-12},     // saturation
           {2, 0.3, 0, 0, -9.669583363e-05, 9.6695833333e-05, 3.0100000000e-13},   // linear
           {0.3, 2, 0, 0, -2.001000000e-12, 0.0, 2.0010000000e-12},                // cutoff
           {2, 3, 0, -1.5, -1.541381160e-04, 1.5413810997e-04, 6.0020000000e-12},  // body bias
           {1.5, 1, 0, 0.3, -1.109529767e-04, 1.1095308522e-04, -1.085565375e-10}, // forward body
           {3, 0.5, 1, 0, 2.0209026489e-04, -2.020902664e-04, 1.5020000000e-12},   // vds < 0 (reversed)
           {2, -1, 0, -1.5, 4.8168141936e-04, -4.816814214e-04, 2.0020000000e-12}, // reversed, body bias
           {2, -1, 0, 0, 6.1783861083e+01, -5.919428417e-04, -6.178326914e+01},    // forward bulk-drain
       }},
      {"pmos",
       // .model mm pmos(level=1 vto=-0.8 kp=20u gamma=0.5 phi=0.65 lambda=0.05), l=1u w=20u
       {{"level", 1}, {"vto", -0.8}, {"kp", 20e-6}, {"gamma", 0.5}, {"phi", 0.65}, {"lambda", 0.05}},
       {assign("l", 1e-6), assign("w", 20e-6)},
       {
           {0, 0, 3, 3, 1.1132000030e-03, -1.113200000e-03, -3.010000000e-12},     // saturation
           {2, 2.5, 3, 3, 8.2000005100e-06, -8.200000000e-06, -5.100000000e-13},   // linear, near threshold
           {1.5, 0, 3, 3.5, 7.3922293334e-05, -7.392228931e-05, -4.020000000e-12}, // body bias
           {0, 3, 2, 3, -7.140000000e-04, 7.1400000101e-04, -1.010000000e-12},     // reversed
       }},
      {"nmos",
       // .model mm nmos(level=1 tox=20n uo=500 nsub=1e16 lambda=0.02), l=3u w=6u: KP, PHI, GAMMA, VTO from
       // process parameters
       {{"level", 1}, {"tox", 20e-9}, {"uo", 500}, {"nsub", 1e16}, {"lambda", 0.02}},
       {assign("l", 3e-6), assign("w", 6e-6)},
       {
           {2.5, 3, 0, 0, -5.410297784e-04, 5.4102977541e-04, 3.0100000000e-12},
           {2.5, 0.2, 0, -1, -7.541707402e-05, 7.5417071805e-05, 2.2200000000e-12},
       }},
      {"nmos",
       // .model mm nmos(level=1 vto=0.7 kp=50u gamma=0.45 phi=0.7 lambda=0.03 tnom=27), .options temp=85
       {{"level", 1},
        {"vto", 0.7},
        {"kp", 50e-6},
        {"gamma", 0.45},
        {"phi", 0.7},
        {"lambda", 0.03},
        {"tnom", 27}},
       {assign("l", 2e-6), assign("w", 10e-6)},
       {
           {2, 3, 0, -1, -1.401488567e-04, 1.4014881489e-04, 4.1761419976e-11},
           {2, 0.4, 0, 0, -9.161866331e-05, 9.1618644533e-05, 1.8780709988e-11},
       },
       85},
  };
  for (const Case &c : cases) {
    SimOptions options;
    options.temp = c.celsius;
    MosFixture m(c.type, c.model, c.instance, options);
    LoadContext ctx;
    ctx.temperature = c.celsius + 273.15;
    for (const Point &p : c.points) {
      CAPTURE(c.type);
      CAPTURE(p.vg);
      CAPTURE(p.vd);
      CAPTURE(p.vs);
      CAPTURE(p.vb);
      const auto r = m.bench.evaluate(terminals(m.bench, p.vd, p.vg, p.vs, p.vb), ctx);
      // ngspice prints ~10 digits but converges only to reltol; its branch
      // currents are exact for the voltages it applied, so 1e-6 holds.
      CHECK(-r.f[1] == doctest::Approx(p.ivd).epsilon(1e-6));
      CHECK(-r.f[3] == doctest::Approx(p.ivs).epsilon(1e-6));
      CHECK(-r.f[4] == doctest::Approx(p.ivb).epsilon(1e-6));
      CHECK(r.f[2] == 0.0); // no DC gate current
    }
  }
}

TEST_CASE("mosfet: Newton limiting follows MOS1 (initial point, fetlim, limvds, pnjlim)") {
  MosFixture m("nmos", kNmos, {assign("l", 2e-6), assign("w", 10e-6)});
  LoadContext init;
  init.initJunctions = true;
  init.limiting = true;
  // MODEINITJCT: vgs = VTO, vds = 0, vbs = −1 regardless of x; f is the
  // linearisation there, so with x equal to that point f is the plain value.
  const auto at = m.bench.evaluate(terminals(m.bench, 0.0, 0.7, 0.0, -1.0), init);
  const auto plain = m.bench.evaluate(terminals(m.bench, 0.0, 0.7, 0.0, -1.0));
  for (size_t i = 1; i <= 4; ++i) {
    CHECK(at.f[i] == doctest::Approx(plain.f[i]));
  }
  // From there, a jump to vgs = vds = 10 V is cut back. fetlim pivots on the
  // threshold of the last point, von = VTO + γ(√(φ+1) − √φ); the old vgs is
  // below it, so vgs may rise to von + 0.5 only; vds follows vgs (vgd is
  // kept) and limvds allows it. The Jacobian is the one at the limited point.
  LoadContext newton;
  newton.limiting = true;
  const double von = 0.7 + 0.45 * (std::sqrt(1.7) - std::sqrt(0.7));
  const double vgsLim = von + 0.5;
  const double vdsLim = vgsLim;
  const auto jump = m.bench.evaluate(terminals(m.bench, 10.0, 10.0, 0.0, -1.0), newton);
  const auto limitedPoint = m.bench.evaluate(terminals(m.bench, vdsLim, vgsLim, 0.0, -1.0));
  for (size_t i = 1; i <= 4; ++i) {
    for (size_t j = 1; j <= 4; ++j) {
      CHECK(jump.G[i][j] == doctest::Approx(limitedPoint.G[i][j]));
    }
  }
  // f = f(limited) + G·(x − limited)
  const double dv[5] = {0.0, 10.0 - vdsLim, 10.0 - vgsLim, 0.0, 0.0};
  for (size_t i = 1; i <= 4; ++i) {
    double expected = limitedPoint.f[i];
    for (size_t j = 1; j <= 4; ++j) {
      expected += limitedPoint.G[i][j] * dv[j];
    }
    CHECK(jump.f[i] == doctest::Approx(expected));
  }
  // A further jump of vds with vgs held: limvds caps the step at 4 V.
  const auto again = m.bench.evaluate(terminals(m.bench, 10.0, vgsLim, 0.0, -1.0), newton);
  const auto capped = m.bench.evaluate(terminals(m.bench, 4.0, vgsLim, 0.0, -1.0));
  CHECK(again.G[1][1] == doctest::Approx(capped.G[1][1]));
  // Limited iterations are counted (SPICE's noncon); re-evaluating at the
  // point just used, or a small step from it, is not limited.
  int limitedCount = 0;
  LoadContext counting = newton;
  counting.limitedDevices = &limitedCount;
  (void)m.bench.evaluate(terminals(m.bench, 4.0, vgsLim, 0.0, -1.0), counting);
  CHECK(limitedCount == 0);
  (void)m.bench.evaluate(terminals(m.bench, 4.01, vgsLim + 0.01, 0.0, -1.0), counting);
  CHECK(limitedCount == 0);
  (void)m.bench.evaluate(terminals(m.bench, 20.0, vgsLim + 0.01, 0.0, -1.0), counting); // > 3·4.01 + 2
  CHECK(limitedCount == 1);
  CHECK(semi::limvds(10.0, 0.0) == 4.0);
  CHECK(semi::limvds(-10.0, 0.0) == -0.5);
  CHECK(semi::limvds(30.0, 5.0) == 17.0);
  CHECK(semi::fetlim(10.0, 0.7, 0.7) == doctest::Approx(4.7));
  CHECK(semi::fetlim(-10.0, 0.0, 0.7) == doctest::Approx(-(std::abs(2 * (0.0 - 0.7)) + 2)));
}

TEST_CASE("mosfet: parameter errors name the parameter") {
  const auto buildError = [](const std::string &type, std::map<std::string, double> params,
                             std::vector<CardArg> args = {}) {
    auto model = mosModel(type, std::move(params));
    DeviceBench bench(4);
    try {
      bench.add(instance("m1", {"d", "g", "s", "b"}, std::move(args), model.get()), {1, 2, 3, 4});
    } catch (const UserError &e) {
      return e.message();
    }
    return std::string("no error");
  };
  CHECK(buildError("nmos", {{"level", 2}}).find("level=2") != std::string::npos);
  CHECK(buildError("pmos", {{"level", 3}}).find("level=3") != std::string::npos);
  CHECK(buildError("nmos", {{"vth", 0.5}}).find("'vth'") != std::string::npos);
  CHECK(buildError("nmos", {{"is", -1e-14}}).find("'is'") != std::string::npos);
  CHECK(buildError("nmos", {{"kp", -1}}).find("'kp'") != std::string::npos);
  CHECK(buildError("nmos", {{"tox", 10e-9}, {"nsub", 1e5}}).find("nsub") != std::string::npos);
  CHECK(buildError("nmos", {{"ld", 1e-6}}, {assign("l", 1e-6)}).find("effective channel length") !=
        std::string::npos);
  CHECK(buildError("nmos", {}, {assign("q", 1)}).find("'q'") != std::string::npos);
  CHECK(buildError("nmos", {}, {value(3)}).find("unexpected '3'") != std::string::npos);
  CHECK(buildError("nmos", {}, {assign("w", -1e-6)}).find("'w'") != std::string::npos);
  CHECK(buildError("pmos", {{"vto", -0.7}, {"kp", 1e-5}}, {word("off"), assign("w", 2e-6)}) == "no error");
}

// A bulk tied to the source with the constant charges held takes a shorter
// load (loadWithBulkOnSource: the source junction and gmbs cancel on the
// shared node). It must stamp the f and G the full load stamps, in every
// region, with a drain resistance and gmin too.
TEST_CASE("mosfet: bulk tied to the source, charges held, stamps what the full load stamps") {
  const std::map<std::string, double> overlapOnly{{"level", 1},      {"vto", 0.7},  {"kp", 50e-6},
                                                  {"lambda", 0.03},  {"is", 1e-15}, {"cgso", 1e-10},
                                                  {"cgdo", 1.2e-10}, {"rd", 20.0}};
  for (const char *type : {"nmos", "pmos"}) {
    CAPTURE(type);
    const double sign = std::string(type) == "nmos" ? 1.0 : -1.0;
    const auto model = mosModel(type, sign > 0 ? overlapOnly : pmosOf(overlapOnly));
    DeviceBench bench(3); // d g s=b, plus the internal drain node
    const Device &device =
        bench.add(instance("m1", {"d", "g", "s", "s"}, {assign("l", 2e-6), assign("w", 10e-6)}, model.get()),
                  {1, 2, 3, 3});
    bench.setup();
    REQUIRE(device.hasConstantCharges());
    for (const Bias &b : kBiases) {
      CAPTURE(b.region);
      std::vector<double> x(static_cast<size_t>(bench.size()) + 1, 0.0);
      x[1] = sign * b.vd;
      x[2] = sign * b.vg;
      x[3] = sign * b.vs;
      x[4] = sign * 0.9 * b.vd; // the internal drain, a little off its terminal
      LoadContext full;
      full.gmin = 1e-12;
      LoadContext held = full;
      held.constantChargesHeld = true;
      const auto reference = bench.evaluate(x, full);
      const auto shortcut = bench.evaluate(x, held);
      double scale = 0.0;
      for (size_t i = 1; i < x.size(); ++i) {
        scale = std::max(scale, std::abs(reference.f[i]));
      }
      for (size_t i = 1; i < x.size(); ++i) {
        CHECK(shortcut.f[i] == doctest::Approx(reference.f[i]).epsilon(1e-12).scale(scale));
        for (size_t j = 1; j < x.size(); ++j) {
          CHECK(shortcut.G[i][j] == doctest::Approx(reference.G[i][j]).epsilon(1e-12));
          CHECK(shortcut.C[i][j] == 0.0);
        }
      }
    }
  }
}

// Overlap capacitances alone are constant: such a MOSFET promises q = C·x
// with a constant C (the reduced transient then folds C into the linear
// charges and loads the device with constantChargesHeld). Junction or oxide
// capacitances break the promise.
TEST_CASE("mosfet: constant charges only with overlap capacitances alone") {
  const std::map<std::string, double> overlapOnly{{"level", 1},     {"vto", 0.7},    {"kp", 50e-6},
                                                  {"lambda", 0.03}, {"cgso", 1e-10}, {"cgdo", 1.2e-10},
                                                  {"cgbo", 2e-10}};
  for (const char *type : {"nmos", "pmos"}) {
    CAPTURE(type);
    const double sign = std::string(type) == "nmos" ? 1.0 : -1.0;
    const auto model = mosModel(type, sign > 0 ? overlapOnly : pmosOf(overlapOnly));
    DeviceBench bench(4);
    const Device &device =
        bench.add(instance("m1", {"d", "g", "s", "b"}, {assign("l", 2e-6), assign("w", 10e-6)}, model.get()),
                  {1, 2, 3, 4});
    bench.setup();
    CHECK(device.hasConstantCharges());
    std::vector<std::vector<double>> points;
    for (const Bias &b : kBiases) {
      points.push_back(terminals(bench, sign * b.vd, sign * b.vg, sign * b.vs, sign * b.vb));
    }
    bench.checkConstantCharges(points);
  }
  for (const auto &[name, value] :
       std::map<std::string, double>{{"cbd", 20e-15}, {"cj", 1e-4}, {"tox", 20e-9}}) {
    CAPTURE(name);
    std::map<std::string, double> params = overlapOnly;
    params[name] = value;
    const auto model = mosModel("nmos", params);
    DeviceBench bench(4);
    const Device &device = bench.add(
        instance("m1", {"d", "g", "s", "b"},
                 {assign("l", 2e-6), assign("w", 10e-6), assign("ad", 20e-12), assign("as", 20e-12)},
                 model.get()),
        {1, 2, 3, 4});
    CHECK_FALSE(device.hasConstantCharges());
  }
}
