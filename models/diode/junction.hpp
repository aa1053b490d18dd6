// Building blocks shared by the semiconductor models (diode, MOSFET bulk
// junctions): physical constants as ngspice 39 defines them, Newton voltage
// limiting (pnjlim, fetlim, limvds), the SPICE depletion charge with its
// forward-bias linearisation, and the silicon temperature helpers.
//
// Everything here is a pure function so that it can be unit-tested on its own.
#pragma once

namespace dwspice::semi {

// ngspice 39 (src/include/ngspice/const.h) uses the CODATA 2014 values; the
// older SPICE3 constants shift exp(v/vt) by ~1e-3 at 0.7 V, which is visible
// in a comparison at reltol 2e-3, so the exact values matter.
inline constexpr double kBoltzmann = 1.38064852e-23; // J/K
inline constexpr double kCharge = 1.6021766208e-19;  // C
inline constexpr double kBoltzmannOverQ = kBoltzmann / kCharge;
inline constexpr double kReferenceTemp = 300.15; // K, SPICE REFTEMP (27 °C)
inline constexpr double kSqrt2 = 1.4142135623730951;
inline constexpr double kE = 2.718281828459045;
inline constexpr double kEpsSiO2 = 3.9 * 8.854214871e-12; // F/m, as ngspice's MOS1 uses
inline constexpr double kEpsSi = 11.70 * 8.854214871e-12; // F/m
// Where boundedExp() turns linear. Not at 709, where exp() itself still is
// finite: e^709 is within a factor 2 of the largest double, so the linear
// continuation overflowed one unit later (a MOSFET junction forward-biased by
// 20 V on a wild integrator trial step gave inf). At 300 (e^300 ~ 2e130) the
// line stays finite for arguments up to ~1e178, and no converged solution has
// a junction anywhere near 300 thermal voltages.
inline constexpr double kLinearExpKnee = 300.0;

inline double thermalVoltage(double kelvin) {
  return kBoltzmannOverQ * kelvin;
}

// Critical voltage of a junction, where the diode's current curvature is
// largest (vt/(sqrt2 Is) rule): pnjlim only limits steps that end above it.
double criticalVoltage(double vt, double saturationCurrent);

// Limits a new junction voltage `vNew` given the previous iterate `vOld`
// (SPICE pnjlim). Forward steps above vcrit that exceed 2 vt are compressed
// logarithmically; large reverse steps are limited to 2·vold−1 (or −vold−1
// coming from forward bias). The result never moves farther from vOld than
// vNew did and stays on the same side of vOld. `limited` reports whether
// the value changed (Newton must then not be declared converged).
double pnjlim(double vNew, double vOld, double vt, double vcrit, bool &limited);

// Limits the change of a gate-source voltage around the threshold `vto`
// (SPICE fetlim).
double fetlim(double vNew, double vOld, double vto);

// Limits the change of a drain-source voltage (SPICE limvds).
double limvds(double vNew, double vOld);

// Depletion charge and capacitance of a junction with zero-bias capacitance
// `czero`, built-in potential `pb`, grading `m`, and the SPICE linear
// extension of C(v) above fc·pb (which keeps C finite in forward bias).
// q is the exact integral of C from 0, so dq/dv == C everywhere.
struct ChargeAndCap {
  double q = 0.0;
  double c = 0.0;
};
ChargeAndCap depletionCharge(double v, double czero, double pb, double m, double fc);

// Silicon band gap (eV) at `kelvin` (SPICE's Varshni fit).
double siliconBandGap(double kelvin);

// Temperature scaling of a junction potential and zero-bias capacitance from
// `tnom` to `temp` (the SPICE pbfact/gmanew formulas, identity at temp == tnom).
struct JunctionAtTemp {
  double potential = 0.0;
  double capFactor = 1.0; // multiply the zero-bias capacitance by this
};
JunctionAtTemp junctionAtTemperature(double potential, double grading, double tnom, double temp);

} // namespace dwspice::semi

namespace dwspice::semi {

// exp(x) with its derivative, continued linearly above kLinearExpKnee so that a
// wild Newton or integrator trial point gives a huge but finite current
// instead of inf/NaN.
struct ExpWithSlope {
  double value = 0.0;
  double slope = 0.0;
};
ExpWithSlope boundedExp(double x);

} // namespace dwspice::semi
