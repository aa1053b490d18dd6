#include "diode/diode_model.hpp"

#include "core/param_reader.hpp"
#include "diode/junction.hpp"

#include <cmath>
#include <fmt/core.h>
#include <initializer_list>
#include <limits>
#include <string>

namespace dwspice::semi {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// ngspice clamps the grading coefficient to 0.9 (variable DIOgradingCoeffMax):
// at M = 1 the depletion charge formula divides by zero.
constexpr double kMaxGrading = 0.9;

// Reads the first of several SPICE spellings of one parameter (cjo/cj0/cj);
// every spelling is marked as read so none is reported as unknown.
double readAlias(ParamReader &reader, std::initializer_list<const char *> names, double fallback, double low,
                 double high) {
  double value = fallback;
  bool found = false;
  for (const char *name : names) {
    if (reader.has(name) && !found) {
      value = reader.get(name, fallback, low, high);
      found = true;
    } else {
      (void)reader.get(name, fallback);
    }
  }
  return value;
}

} // namespace

DiodeModelParams readDiodeModel(const ModelSpec &model, const SimOptions &options) {
  ParamReader reader(model);
  const double level = reader.get("level", 1.0);
  if (level != 1.0) {
    throw UserError(reader.where("level"),
                    fmt::format("diode model '{}': level={:g} is not supported (only level=1, the SPICE "
                                "junction diode)",
                                model.name, level));
  }
  DiodeModelParams p;
  p.is = readAlias(reader, {"is", "js"}, p.is, 0.0, kInf);
  if (!(p.is > 0.0)) {
    throw UserError(reader.where(reader.has("is") ? "is" : "js"),
                    fmt::format("diode model '{}': saturation current is must be > 0", model.name));
  }
  p.n = reader.get("n", p.n, 1e-3, 100.0);
  p.rs = reader.get("rs", p.rs, 0.0, kInf);
  p.cjo = readAlias(reader, {"cjo", "cj0", "cj"}, p.cjo, 0.0, kInf);
  p.vj = readAlias(reader, {"vj", "pb"}, p.vj, 1e-3, 10.0);
  p.m = readAlias(reader, {"m", "mj"}, p.m, 0.0, 1.0 - 1e-9);
  if (p.m > kMaxGrading) {
    warn(reader.where(reader.has("m") ? "m" : "mj"),
         fmt::format("diode model '{}': grading coefficient m={:g} limited to {:g} (as ngspice does)",
                     model.name, p.m, kMaxGrading));
    p.m = kMaxGrading;
  }
  p.fc = reader.get("fc", p.fc, 0.0, 0.95);
  if (p.fc * p.vj > 1.0) {
    warn(reader.where(reader.has("vj") ? "vj" : "pb"),
         fmt::format("diode model '{}': junction potential vj={:g} limited to 1/fc = {:g} (as ngspice does)",
                     model.name, p.vj, 1.0 / p.fc));
  }
  p.tt = reader.get("tt", p.tt, 0.0, kInf);
  p.bvGiven = reader.has("bv") || reader.has("vb");
  p.bv = readAlias(reader, {"bv", "vb"}, p.bv, 1e-6, kInf);
  p.ibv = readAlias(reader, {"ibv", "ib"}, p.ibv, 1e-300, kInf);
  p.nbv = reader.get("nbv", p.n, 1e-3, 100.0);
  p.eg = reader.get("eg", p.eg, 0.1, 10.0);
  p.xti = reader.get("xti", p.xti, -100.0, 100.0);
  p.tnom = reader.get("tnom", options.tnom, -273.0, 1000.0) + 273.15;
  // Flicker-noise coefficients: accepted for compatibility with existing
  // model cards; noise analysis does not exist here, so they have no effect.
  (void)reader.get("kf", 0.0);
  (void)reader.get("af", 1.0);
  reader.finish();
  return p;
}

DiodeAtTemp diodeAtTemperature(const DiodeModelParams &p, double area, double kelvin, double reltol) {
  DiodeAtTemp t;
  t.kelvin = kelvin;
  t.vt = thermalVoltage(kelvin);
  const double vte = p.n * t.vt;
  // IS(T) = IS·(T/Tnom)^(XTI/N)·exp((T/Tnom − 1)·EG/(N·vt))
  const double ratio = kelvin / p.tnom;
  t.isat = p.is * area * std::exp((ratio - 1.0) * p.eg / vte + p.xti / p.n * std::log(ratio));
  const JunctionAtTemp junction = junctionAtTemperature(p.vj, p.m, p.tnom, kelvin);
  t.vj = junction.potential;
  t.cjo = p.cjo * area * junction.capFactor;
  if (p.fc * t.vj > 1.0) {
    t.vj = 1.0 / p.fc; // ngspice: VJ limited to 1/FC so the linearisation point stays below 1 V
  }
  t.vcrit = criticalVoltage(vte, t.isat);
  t.seriesConductance = p.rs > 0.0 ? area / p.rs : 0.0;

  if (p.bvGiven) {
    // Shift the breakdown knee so that the reverse exponential passes
    // through (−BV, −IBV): solve IBV = Is·(exp((BV − xbv)/(NBV·vt)) − 1 + xbv/vt)
    // by fixed-point iteration (ngspice's DIOtemp, same tolerance).
    const double cbv = p.ibv;
    const double nvt = p.nbv * t.vt;
    double xbv = p.bv;
    if (cbv >= t.isat * p.bv / t.vt) {
      const double tol = reltol * cbv;
      xbv = p.bv - nvt * std::log(1.0 + cbv / t.isat);
      for (int iter = 0; iter < 25; ++iter) {
        xbv = p.bv - nvt * std::log(cbv / t.isat + 1.0 - xbv / t.vt);
        const double xcbv = t.isat * (std::exp((p.bv - xbv) / nvt) - 1.0 + xbv / t.vt);
        if (std::abs(xcbv - cbv) <= tol) {
          break;
        }
      }
    }
    t.breakdownVoltage = xbv;
  }
  return t;
}

JunctionCurrent diodeCurrent(const DiodeModelParams &p, const DiodeAtTemp &t, double vd) {
  const double vte = p.n * t.vt;
  if (vd >= -3.0 * vte) {
    const ExpWithSlope e = boundedExp(vd / vte);
    return {t.isat * (e.value - 1.0), t.isat * e.slope / vte};
  }
  if (!p.bvGiven || vd >= -t.breakdownVoltage) {
    // Reverse: −Is·(1 + (3·N·vt/(e·vd))³) joins the forward branch with
    // matching value at −3·N·vt and tends to −Is.
    double arg = 3.0 * vte / (vd * kE);
    arg = arg * arg * arg;
    return {-t.isat * (1.0 + arg), t.isat * 3.0 * arg / vd};
  }
  const double vtebrk = p.nbv * t.vt;
  const ExpWithSlope e = boundedExp(-(t.breakdownVoltage + vd) / vtebrk);
  return {-t.isat * e.value, t.isat * e.slope / vtebrk};
}

JunctionCharge diodeCharge(const DiodeModelParams &p, const DiodeAtTemp &t, double vd,
                           const JunctionCurrent &current) {
  const ChargeAndCap depletion = depletionCharge(vd, t.cjo, t.vj, p.m, p.fc);
  return {depletion.q + p.tt * current.i, depletion.c + p.tt * current.g};
}

double limitDiodeVoltage(const DiodeModelParams &p, const DiodeAtTemp &t, double vNew, double vOld,
                         bool &limited) {
  const double vtebrk = p.nbv * t.vt;
  if (p.bvGiven && vNew < std::min(0.0, -t.breakdownVoltage + 10.0 * vtebrk)) {
    // Near breakdown the current grows exponentially in −(vd + BV): limit
    // that mirrored voltage like a forward junction.
    const double mirrored =
        pnjlim(-(vNew + t.breakdownVoltage), -(vOld + t.breakdownVoltage), vtebrk, t.vcrit, limited);
    return -(mirrored + t.breakdownVoltage);
  }
  return pnjlim(vNew, vOld, p.n * t.vt, t.vcrit, limited);
}

} // namespace dwspice::semi
