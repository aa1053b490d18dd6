// The SPICE junction diode (ngspice 39 level 1): model parameters, their
// temperature update and the junction equations, kept apart from the
// Device wrapper (diode.cpp) so that the physics can be tested directly.
#pragma once

#include "core/circuit_spec.hpp"

namespace dwspice::semi {

// `.model name d(...)` as given by the user (defaults as in ngspice 39).
struct DiodeModelParams {
  double is = 1e-14;    // A, saturation current (per unit area)
  double n = 1.0;       // emission coefficient
  double rs = 0.0;      // ohm, series resistance (per unit area)
  double cjo = 0.0;     // F, zero-bias junction capacitance (per unit area)
  double vj = 1.0;      // V, junction potential
  double m = 0.5;       // grading coefficient
  double fc = 0.5;      // forward-bias depletion capacitance coefficient
  double tt = 0.0;      // s, transit time
  double bv = 0.0;      // V, reverse breakdown voltage (positive)
  bool bvGiven = false; // breakdown is modelled only when BV is given
  double ibv = 1e-3;    // A, current at -BV (not area-scaled, as in ngspice 39)
  double nbv = 1.0;     // breakdown emission coefficient (defaults to N)
  double eg = 1.11;     // eV, activation energy for IS(T)
  double xti = 3.0;     // IS temperature exponent
  double tnom = 300.15; // K, temperature at which parameters were measured
};

// Reads and validates a diode model card. Throws UserError naming the
// offending parameter (unknown name, level other than 1, IS <= 0, …).
DiodeModelParams readDiodeModel(const ModelSpec &model, const SimOptions &options);

// Per-instance values at one temperature (area already applied).
struct DiodeAtTemp {
  double kelvin = 0.0;
  double vt = 0.0;                // kT/q
  double isat = 0.0;              // A, IS·area at T
  double vcrit = 0.0;             // V, pnjlim threshold
  double vj = 0.0;                // V, junction potential at T
  double cjo = 0.0;               // F, CJO·area at T
  double breakdownVoltage = 0.0;  // V, BV adjusted so that I(−BV) = IBV (ngspice's xbv)
  double seriesConductance = 0.0; // S, area/RS (0 when RS = 0)
};

DiodeAtTemp diodeAtTemperature(const DiodeModelParams &p, double area, double kelvin, double reltol);

// Junction current (gmin excluded) and its derivative at junction voltage vd,
// ngspice's three regions: forward exponential for vd >= -3·N·vt, the cubic
// reverse tail, and the exponential breakdown below −BV (when BV is given).
struct JunctionCurrent {
  double i = 0.0;
  double g = 0.0;
};
JunctionCurrent diodeCurrent(const DiodeModelParams &p, const DiodeAtTemp &t, double vd);

// Stored charge (depletion + TT·I) and its capacitance dq/dvd.
struct JunctionCharge {
  double q = 0.0;
  double c = 0.0;
};
JunctionCharge diodeCharge(const DiodeModelParams &p, const DiodeAtTemp &t, double vd,
                           const JunctionCurrent &current);

// Newton limiting of a new junction voltage as ngspice's DIOload does it:
// pnjlim on vd, or on the mirrored voltage −(vd + BV) near breakdown.
double limitDiodeVoltage(const DiodeModelParams &p, const DiodeAtTemp &t, double vNew, double vOld,
                         bool &limited);

} // namespace dwspice::semi
