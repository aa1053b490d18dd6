#include "mosfet/mos1_model.hpp"

#include "core/param_reader.hpp"
#include "diode/junction.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <limits>

namespace dwspice::semi {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kIntrinsicDensity = 1.45e16; // 1/m³ … as SPICE: ni of silicon, per m³ after ×1e6

// First given spelling of a parameter; all spellings are marked as read.
double readAlias(ParamReader &reader, const char *name, const char *alias, double fallback, double low,
                 double high) {
  if (reader.has(name)) {
    (void)reader.get(alias, fallback);
    return reader.get(name, fallback, low, high);
  }
  return reader.get(alias, fallback, low, high);
}

} // namespace

Mos1ModelParams readMos1Model(const ModelSpec &model, const SimOptions &options) {
  ParamReader reader(model);
  const double level = reader.get("level", 1.0);
  if (level != 1.0) {
    throw UserError(reader.where("level"),
                    fmt::format("MOSFET model '{}': level={:g} is not supported (only level=1, "
                                "Shichman-Hodges)",
                                model.name, level));
  }
  Mos1ModelParams p;
  p.type = model.type == "pmos" ? -1 : 1;
  p.tnom = reader.get("tnom", options.tnom, -273.0, 1000.0) + 273.15;
  const bool vtoGiven = reader.has("vto") || reader.has("vt0");
  p.vto = readAlias(reader, "vto", "vt0", 0.0, -1e3, 1e3);
  const bool kpGiven = reader.has("kp");
  p.kp = reader.get("kp", p.kp, 0.0, kInf);
  const bool gammaGiven = reader.has("gamma");
  p.gamma = reader.get("gamma", p.gamma, 0.0, 1e3);
  const bool phiGiven = reader.has("phi");
  p.phi = reader.get("phi", p.phi, 1e-3, 100.0);
  p.lambda = reader.get("lambda", p.lambda, 0.0, 1e3);
  p.rdGiven = reader.has("rd");
  p.rd = reader.get("rd", 0.0, 0.0, kInf);
  p.rsGiven = reader.has("rs");
  p.rs = reader.get("rs", 0.0, 0.0, kInf);
  p.rshGiven = reader.has("rsh");
  p.rsh = reader.get("rsh", 0.0, 0.0, kInf);
  p.cbdGiven = reader.has("cbd");
  p.cbd = reader.get("cbd", 0.0, 0.0, kInf);
  p.cbsGiven = reader.has("cbs");
  p.cbs = reader.get("cbs", 0.0, 0.0, kInf);
  p.is = reader.get("is", p.is, 0.0, kInf);
  p.js = reader.get("js", p.js, 0.0, kInf);
  p.pb = reader.get("pb", p.pb, 1e-3, 10.0);
  p.cjGiven = reader.has("cj");
  p.cj = reader.get("cj", 0.0, 0.0, kInf);
  p.mj = reader.get("mj", p.mj, 0.0, 0.99);
  p.cjswGiven = reader.has("cjsw");
  p.cjsw = reader.get("cjsw", 0.0, 0.0, kInf);
  p.mjsw = reader.get("mjsw", p.mjsw, 0.0, 0.99);
  p.fc = reader.get("fc", p.fc, 0.0, 0.95);
  p.cgso = reader.get("cgso", 0.0, 0.0, kInf);
  p.cgdo = reader.get("cgdo", 0.0, 0.0, kInf);
  p.cgbo = reader.get("cgbo", 0.0, 0.0, kInf);
  p.ld = reader.get("ld", 0.0, 0.0, kInf);
  const double tox = reader.get("tox", 0.0, 0.0, kInf);
  const double uo = readAlias(reader, "uo", "u0", 600.0, 0.0, kInf); // cm²/Vs
  const bool nsubGiven = reader.has("nsub");
  const double nsub = reader.get("nsub", 0.0, 0.0, kInf); // 1/cm³
  const double nss = reader.get("nss", 0.0, -kInf, kInf); // 1/cm²
  const double tpg = reader.get("tpg", 1.0, -1.0, 1.0);
  // Flicker noise: accepted for existing model cards, no noise analysis here.
  (void)reader.get("kf", 0.0);
  (void)reader.get("af", 1.0);

  // TOX = 0 (or absent) means "no oxide data": KP stays as given and there
  // are no Meyer capacitances (ngspice MOS1temp does the same).
  if (tox > 0.0) {
    p.cox = kEpsSiO2 / tox;
    if (!kpGiven) {
      p.kp = uo * p.cox * 1e-4; // cm² → m²
    }
    if (nsubGiven) {
      const double vtnom = thermalVoltage(p.tnom);
      const double egfet1 = siliconBandGap(p.tnom);
      if (!(nsub * 1e6 > kIntrinsicDensity)) {
        throw UserError(reader.where("nsub"),
                        fmt::format("MOSFET model '{}': nsub={:g} must exceed the intrinsic density 1.45e10 "
                                    "cm^-3",
                                    model.name, nsub));
      }
      if (!phiGiven) {
        p.phi = std::max(0.1, 2.0 * vtnom * std::log(nsub * 1e6 / kIntrinsicDensity));
      }
      const double fermis = p.type * 0.5 * p.phi;
      double wkfng = 3.2;
      if (tpg != 0.0) {
        const double fermig = p.type * tpg * 0.5 * egfet1;
        wkfng = 3.25 + 0.5 * egfet1 - fermig;
      }
      const double wkfngs = wkfng - (3.25 + 0.5 * egfet1 + fermis);
      if (!gammaGiven) {
        p.gamma = std::sqrt(2.0 * kEpsSi * kCharge * nsub * 1e6) / p.cox;
      }
      if (!vtoGiven) {
        const double vfb = wkfngs - nss * 1e4 * kCharge / p.cox;
        p.vto = vfb + p.type * (p.gamma * std::sqrt(p.phi) + p.phi);
      }
    }
  }
  reader.finish();
  return p;
}

Mos1AtTemp mos1AtTemperature(const Mos1ModelParams &p, const Mos1InstanceParams &inst, double kelvin) {
  Mos1AtTemp t;
  t.kelvin = kelvin;
  t.vt = thermalVoltage(kelvin);
  const double ratio = kelvin / p.tnom;
  const double vtnom = thermalVoltage(p.tnom);
  const double egfet = siliconBandGap(kelvin);
  const double egfet1 = siliconBandGap(p.tnom);
  // Surface potential follows the junction-potential law (same pbfact terms).
  const JunctionAtTemp phiAtTemp = junctionAtTemperature(p.phi, 0.0, p.tnom, kelvin);
  t.phi = phiAtTemp.potential;
  t.vbi =
      p.vto - p.type * p.gamma * std::sqrt(p.phi) + 0.5 * (egfet1 - egfet) + p.type * 0.5 * (t.phi - p.phi);
  t.vtoAtTemp = t.vbi + p.type * p.gamma * std::sqrt(t.phi);

  const double leff = inst.l - 2.0 * p.ld;
  t.beta = p.kp / (ratio * std::sqrt(ratio)) * inst.m * inst.w / leff;
  t.oxideCap = p.cox * leff * inst.m * inst.w;
  t.cgsOverlap = p.cgso * inst.m * inst.w;
  t.cgdOverlap = p.cgdo * inst.m * inst.w;
  t.cgbOverlap = p.cgbo * inst.m * leff;

  const double satScale = std::exp(-egfet / t.vt + egfet1 / vtnom);
  const double satCur = p.is * satScale;
  const double satCurDensity = p.js * satScale;
  if (satCurDensity == 0.0 || inst.ad == 0.0 || inst.as == 0.0) {
    t.drainSatCur = t.sourceSatCur = inst.m * satCur;
  } else {
    t.drainSatCur = satCurDensity * inst.m * inst.ad;
    t.sourceSatCur = satCurDensity * inst.m * inst.as;
  }
  t.drainVcrit = criticalVoltage(t.vt, t.drainSatCur);
  t.sourceVcrit = criticalVoltage(t.vt, t.sourceSatCur);

  const JunctionAtTemp bottom = junctionAtTemperature(p.pb, p.mj, p.tnom, kelvin);
  const JunctionAtTemp side = junctionAtTemperature(p.pb, p.mjsw, p.tnom, kelvin);
  t.bulkPot = bottom.potential;
  t.czbd = p.cbdGiven ? p.cbd * bottom.capFactor * inst.m
                      : (p.cjGiven ? p.cj * bottom.capFactor * inst.m * inst.ad : 0.0);
  t.czbs = p.cbsGiven ? p.cbs * bottom.capFactor * inst.m
                      : (p.cjGiven ? p.cj * bottom.capFactor * inst.m * inst.as : 0.0);
  t.czbdsw = p.cjswGiven ? p.cjsw * side.capFactor * inst.pd * inst.m : 0.0;
  t.czbssw = p.cjswGiven ? p.cjsw * side.capFactor * inst.ps * inst.m : 0.0;

  // RD/RS win over RSH·NRD/NRS (ngspice order); 0 means no internal node.
  const auto conductance = [&](bool given, double r, double squares) {
    if (given) {
      return r != 0.0 ? inst.m / r : 0.0;
    }
    if (p.rshGiven && p.rsh != 0.0 && squares != 0.0) {
      return inst.m / (p.rsh * squares);
    }
    return 0.0;
  };
  t.drainConductance = conductance(p.rdGiven, p.rd, inst.nrd);
  t.sourceConductance = conductance(p.rsGiven, p.rs, inst.nrs);
  return t;
}

Mos1Channel mos1Channel(const Mos1ModelParams &p, const Mos1AtTemp &t, double vgs, double vds, double vbs) {
  Mos1Channel out;
  out.mode = vds >= 0.0 ? 1 : -1;
  // In inverse mode the roles of source and drain swap: evaluate the same
  // equations with vgd, −vds, vbd.
  const double vgx = out.mode == 1 ? vgs : vgs - vds;
  const double vdx = out.mode * vds;
  const double vbx = out.mode == 1 ? vbs : vbs - vds;

  double sarg = 0.0;
  double dSargDvbx = 0.0;
  if (vbx <= 0.0) {
    sarg = std::sqrt(t.phi - vbx);
    dSargDvbx = -0.5 / sarg;
  } else {
    // Forward-biased body: SPICE's linear continuation of sqrt(phi − vbs).
    const double s0 = std::sqrt(t.phi);
    sarg = s0 - vbx / (s0 + s0);
    dSargDvbx = -0.5 / s0;
    if (sarg < 0.0) {
      sarg = 0.0;
      dSargDvbx = 0.0;
    }
  }
  out.von = t.vbi * p.type + p.gamma * sarg;
  const double vgst = vgx - out.von;
  out.vdsat = std::max(vgst, 0.0);
  // d(cdrain)/d(vbx) = gm·(−dvon/dvbx). (ngspice uses γ/(2·sarg) here also
  // for vbx > 0, which is not the derivative of its own von; the exact value
  // keeps the Jacobian consistent and changes no converged answer.)
  const double bodyFactor = -p.gamma * dSargDvbx;

  double cdrain = 0.0, gm = 0.0, gds = 0.0;
  if (vgst > 0.0) {
    const double betap = t.beta * (1.0 + p.lambda * vdx);
    if (vgst <= vdx) { // saturation
      cdrain = betap * vgst * vgst * 0.5;
      gm = betap * vgst;
      gds = p.lambda * t.beta * vgst * vgst * 0.5;
    } else { // linear
      cdrain = betap * vdx * (vgst - 0.5 * vdx);
      gm = betap * vdx;
      gds = betap * (vgst - vdx) + p.lambda * t.beta * vdx * (vgst - 0.5 * vdx);
    }
  }
  const double gmbs = gm * bodyFactor;
  if (out.mode == 1) {
    out.ids = cdrain;
    out.dVgs = gm;
    out.dVds = gds;
    out.dVbs = gmbs;
  } else {
    // ids = −cdrain(vgs − vds, −vds, vbs − vds)
    out.ids = -cdrain;
    out.dVgs = -gm;
    out.dVds = gm + gds + gmbs;
    out.dVbs = -gmbs;
  }
  return out;
}

Mos1Junction mos1Junction(const Mos1ModelParams &p, const Mos1AtTemp &t, double v, double satCur,
                          double czero, double czeroSidewall, double gmin) {
  Mos1Junction out;
  if (v <= -3.0 * t.vt) {
    // MOS1 uses a flat −Is below −3·vt (unlike the diode's cubic tail).
    out.g = gmin;
    out.i = gmin * v - satCur;
  } else {
    const ExpWithSlope e = boundedExp(v / t.vt);
    out.g = satCur * e.slope / t.vt + gmin;
    out.i = satCur * (e.value - 1.0) + gmin * v;
  }
  // Most level-1 cards give no junction capacitance at all; then the two
  // charges are zero and the calls below are a measurable part of a load
  // (the MNIST drivers: ~1/8 of the transient's time went here).
  if (czero != 0.0 || czeroSidewall != 0.0) {
    const ChargeAndCap bottom = depletionCharge(v, czero, t.bulkPot, p.mj, p.fc);
    const ChargeAndCap side = depletionCharge(v, czeroSidewall, t.bulkPot, p.mjsw, p.fc);
    out.q = bottom.q + side.q;
    out.c = bottom.c + side.c;
  }
  return out;
}

namespace {

struct HalfCaps {
  double gs = 0.0, gd = 0.0, gb = 0.0;
};

// SPICE's DEVqmeyer: half of the non-constant Meyer capacitances, for the
// device oriented so that `vgs` is the source side.
HalfCaps meyerHalf(double vgs, double vgd, double von, double vdsat, double phi, double cox) {
  constexpr double kMinVdsat = 0.025; // ngspice's MAGIC_VDS: keeps the split smooth near vds = 0
  HalfCaps c;
  const double vgst = vgs - von;
  vdsat = std::max(vdsat, kMinVdsat);
  const double vds = vgs - vgd;
  if (vgst <= -phi) {
    c.gb = cox / 2.0;
  } else if (vgst <= -phi / 2.0) {
    c.gb = -vgst * cox / (2.0 * phi);
  } else if (vgst <= 0.0) {
    c.gb = -vgst * cox / (2.0 * phi);
    c.gs = vgst * cox / (1.5 * phi) + cox / 3.0;
    if (vds < vdsat) {
      const double vddif = 2.0 * vdsat - vds;
      const double vddif1 = vdsat - vds;
      const double vddif2 = vddif * vddif;
      c.gd = c.gs * (1.0 - vdsat * vdsat / vddif2);
      c.gs = c.gs * (1.0 - vddif1 * vddif1 / vddif2);
    }
  } else if (vdsat <= vds) {
    c.gs = cox / 3.0;
  } else {
    const double vddif = 2.0 * vdsat - vds;
    const double vddif1 = vdsat - vds;
    const double vddif2 = vddif * vddif;
    c.gd = cox * (1.0 - vdsat * vdsat / vddif2) / 3.0;
    c.gs = cox * (1.0 - vddif1 * vddif1 / vddif2) / 3.0;
  }
  return c;
}

} // namespace

MeyerCaps mos1MeyerCaps(const Mos1AtTemp &t, const Mos1Channel &channel, double vgs, double vds, double vbs) {
  (void)vbs; // Meyer's level-1 split does not depend on vgb
  if (t.oxideCap == 0.0) {
    // No TOX: every Meyer half-capacitance is 0·(…), only the overlaps remain
    // (the MNIST drivers: a twentieth of an image's time went to the split).
    return {t.cgsOverlap, t.cgdOverlap, t.cgbOverlap};
  }
  const double vgd = vgs - vds;
  HalfCaps half;
  if (channel.mode > 0) {
    half = meyerHalf(vgs, vgd, channel.von, channel.vdsat, t.phi, t.oxideCap);
  } else {
    const HalfCaps swapped = meyerHalf(vgd, vgs, channel.von, channel.vdsat, t.phi, t.oxideCap);
    half = {swapped.gd, swapped.gs, swapped.gb};
  }
  return {2.0 * half.gs + t.cgsOverlap, 2.0 * half.gd + t.cgdOverlap, 2.0 * half.gb + t.cgbOverlap};
}

} // namespace dwspice::semi
