#include "diode/junction.hpp"

#include <algorithm>
#include <cmath>

namespace dwspice::semi {

double criticalVoltage(double vt, double saturationCurrent) {
  return vt * std::log(vt / (kSqrt2 * saturationCurrent));
}

double pnjlim(double vNew, double vOld, double vt, double vcrit, bool &limited) {
  limited = false;
  if (vNew > vcrit && std::abs(vNew - vOld) > 2.0 * vt) {
    if (vOld > 0.0) {
      // ngspice 39 uses vold + vt·(2 + log(arg − 2)), which for 2 < arg < 3
      // jumps *backwards* by many vt; the logarithmic form below is the
      // SPICE3 one (also Buermen's fix in VACASK): monotone, and the step
      // never grows (log(1 + a) < a). Only the Newton path differs, never
      // the converged answer.
      const double arg = (vNew - vOld) / vt;
      vNew = arg > 0.0 ? vOld + vt * std::log1p(arg) : vOld - vt * std::log1p(-arg);
    } else {
      vNew = vt * std::log(vNew / vt);
    }
    limited = true;
  } else if (vNew < 0.0) {
    // Reverse steps: at most to 2·vold − 1 (or −vold − 1 from forward bias),
    // which stops Newton from overshooting into breakdown in one step.
    const double floor = vOld > 0.0 ? -vOld - 1.0 : 2.0 * vOld - 1.0;
    if (vNew < floor) {
      vNew = floor;
      limited = true;
    }
  }
  return vNew;
}

double fetlim(double vNew, double vOld, double vto) {
  const double vtsthi = std::abs(2.0 * (vOld - vto)) + 2.0;
  const double vtstlo = std::abs(vOld - vto) + 1.0;
  const double vtox = vto + 3.5;
  const double delv = vNew - vOld;
  if (vOld >= vto) {
    if (vOld >= vtox) {
      if (delv <= 0.0) { // going off
        if (vNew >= vtox) {
          if (-delv > vtstlo) {
            vNew = vOld - vtstlo;
          }
        } else {
          vNew = std::max(vNew, vto + 2.0);
        }
      } else if (delv >= vtsthi) { // staying on
        vNew = vOld + vtsthi;
      }
    } else { // middle region
      vNew = delv <= 0.0 ? std::max(vNew, vto - 0.5) : std::min(vNew, vto + 4.0);
    }
  } else { // off
    if (delv <= 0.0) {
      if (-delv > vtsthi) {
        vNew = vOld - vtsthi;
      }
    } else {
      const double vtemp = vto + 0.5;
      if (vNew <= vtemp) {
        if (delv > vtstlo) {
          vNew = vOld + vtstlo;
        }
      } else {
        vNew = vtemp;
      }
    }
  }
  return vNew;
}

double limvds(double vNew, double vOld) {
  if (vOld >= 3.5) {
    if (vNew > vOld) {
      vNew = std::min(vNew, 3.0 * vOld + 2.0);
    } else if (vNew < 3.5) {
      vNew = std::max(vNew, 2.0);
    }
  } else {
    vNew = vNew > vOld ? std::min(vNew, 4.0) : std::max(vNew, -0.5);
  }
  return vNew;
}

ChargeAndCap depletionCharge(double v, double czero, double pb, double m, double fc) {
  if (czero == 0.0) {
    return {};
  }
  const double vLinear = fc * pb; // above this C(v) continues as a straight line
  if (v < vLinear) {
    const double arg = 1.0 - v / pb;
    const double sarg = std::exp(-m * std::log(arg)); // arg^-m
    return {pb * czero * (1.0 - arg * sarg) / (1.0 - m), czero * sarg};
  }
  // Linear extension: C(v) = czero/F2 · (F3 + m·v/pb), F2 = (1−fc)^(1+m),
  // F3 = 1 − fc(1+m); q continues from its value at fc·pb (F1 = q(fc·pb)/czero).
  const double f1 = pb * (1.0 - std::pow(1.0 - fc, 1.0 - m)) / (1.0 - m);
  const double f2 = std::pow(1.0 - fc, 1.0 + m);
  const double f3 = 1.0 - fc * (1.0 + m);
  const double czof2 = czero / f2;
  return {czero * f1 + czof2 * (f3 * (v - vLinear) + (m / (2.0 * pb)) * (v * v - vLinear * vLinear)),
          czof2 * (f3 + m * v / pb)};
}

double siliconBandGap(double kelvin) {
  return 1.16 - (7.02e-4 * kelvin * kelvin) / (kelvin + 1108.0);
}

namespace {
// SPICE's "pbfact": the intrinsic part of the junction potential's
// temperature dependence (−2·vt·(1.5·ln(T/Tref) + q·(−Eg/2kT + Eg(Tref)/2kTref))).
double potentialShift(double kelvin) {
  const double vt = thermalVoltage(kelvin);
  const double arg =
      -siliconBandGap(kelvin) / (2.0 * kBoltzmann * kelvin) + 1.1150877 / (kBoltzmann * 2.0 * kReferenceTemp);
  return -2.0 * vt * (1.5 * std::log(kelvin / kReferenceTemp) + kCharge * arg);
}
} // namespace

JunctionAtTemp junctionAtTemperature(double potential, double grading, double tnom, double temp) {
  const double fact1 = tnom / kReferenceTemp;
  const double fact2 = temp / kReferenceTemp;
  const double pbo = (potential - potentialShift(tnom)) / fact1; // potential extrapolated to Tref
  const double gmaOld = (potential - pbo) / pbo;
  JunctionAtTemp out;
  out.capFactor = 1.0 / (1.0 + grading * (400e-6 * (tnom - kReferenceTemp) - gmaOld));
  out.potential = potentialShift(temp) + fact2 * pbo;
  const double gmaNew = (out.potential - pbo) / pbo;
  out.capFactor *= 1.0 + grading * (400e-6 * (temp - kReferenceTemp) - gmaNew);
  return out;
}

} // namespace dwspice::semi

namespace dwspice::semi {

ExpWithSlope boundedExp(double x) {
  if (x == 0.0) {
    return {1.0, 1.0}; // a junction shorted by its own wiring (MOSFET bulk on source): no libm call
  }
  if (x <= kLinearExpKnee) {
    const double e = std::exp(x);
    return {e, e};
  }
  const double e = std::exp(kLinearExpKnee);
  return {e * (1.0 + (x - kLinearExpKnee)), e};
}

} // namespace dwspice::semi
