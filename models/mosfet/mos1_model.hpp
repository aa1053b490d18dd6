// MOSFET level 1 (Shichman–Hodges, as ngspice 39's MOS1): model and
// instance parameters, the temperature update, and the pure evaluation of
// channel current, bulk junctions and Meyer gate capacitances in the
// "type frame" (voltages multiplied by +1 for NMOS, −1 for PMOS, so that
// one set of NMOS equations serves both polarities, as SPICE does).
#pragma once

#include "core/circuit_spec.hpp"

namespace dwspice::semi {

struct Mos1ModelParams {
  int type = 1;                         // +1 NMOS, −1 PMOS
  double vto = 0.0;                     // V, zero-bias threshold (negative for enhancement PMOS)
  double kp = 2e-5;                     // A/V², transconductance (UO·COX when TOX is given and KP is not)
  double gamma = 0.0;                   // √V, body-effect coefficient
  double phi = 0.6;                     // V, surface potential
  double lambda = 0.0;                  // 1/V, channel-length modulation
  double rd = 0.0, rs = 0.0, rsh = 0.0; // ohm, ohm, ohm/square
  bool rdGiven = false, rsGiven = false, rshGiven = false;
  double cbd = 0.0, cbs = 0.0; // F, zero-bias bulk junction capacitances
  bool cbdGiven = false, cbsGiven = false;
  double is = 1e-14; // A, bulk junction saturation current
  double js = 0.0;   // A/m², saturation current density (used with AD/AS)
  double pb = 0.8;   // V, bulk junction potential
  double cj = 0.0;   // F/m², bottom junction capacitance per area
  double mj = 0.5;
  double cjsw = 0.0; // F/m, sidewall capacitance per perimeter
  double mjsw = 0.5;
  bool cjGiven = false, cjswGiven = false;
  double fc = 0.5;
  double cgso = 0.0, cgdo = 0.0; // F/m of width
  double cgbo = 0.0;             // F/m of length
  double cox = 0.0;              // F/m², 0 when TOX is not given (then no Meyer capacitances)
  double ld = 0.0;               // m, lateral diffusion
  double tnom = 300.15;          // K
};

// Reads `.model name nmos|pmos(level=1 …)`. Throws UserError for unknown
// parameters, any level other than 1, and unphysical values.
Mos1ModelParams readMos1Model(const ModelSpec &model, const SimOptions &options);

struct Mos1InstanceParams {
  double l = 100e-6, w = 100e-6; // m (ngspice's defaults)
  double ad = 0.0, as = 0.0;     // m²
  double pd = 0.0, ps = 0.0;     // m
  double nrd = 1.0, nrs = 1.0;   // squares of RSH
  double m = 1.0;                // parallel multiplier
  bool off = false;
};

// Everything the evaluation needs for one instance at one temperature.
struct Mos1AtTemp {
  double kelvin = 0.0;
  double vt = 0.0;
  double beta = 0.0;      // A/V², KP(T)·W/Leff·m
  double phi = 0.0;       // V, PHI(T)
  double vbi = 0.0;       // V, built-in part of the threshold (type frame: type·vbi)
  double vtoAtTemp = 0.0; // V, VTO(T) (physical sign)
  double oxideCap = 0.0;  // F, COX·Leff·W·m (0 without TOX)
  double cgsOverlap = 0.0, cgdOverlap = 0.0, cgbOverlap = 0.0; // F
  double drainSatCur = 0.0, sourceSatCur = 0.0;                // A
  double drainVcrit = 0.0, sourceVcrit = 0.0;                  // V
  double bulkPot = 0.0;                                        // V
  double czbd = 0.0, czbdsw = 0.0, czbs = 0.0, czbssw = 0.0;   // F
  double drainConductance = 0.0, sourceConductance = 0.0;      // S (0: no internal node)
};

Mos1AtTemp mos1AtTemperature(const Mos1ModelParams &model, const Mos1InstanceParams &inst, double kelvin);

// Channel current from drain' to source' (type frame) and its derivatives
// with respect to the type-frame vgs, vds, vbs. Handles source/drain
// interchange (vds < 0) internally.
struct Mos1Channel {
  double ids = 0.0;
  double dVgs = 0.0, dVds = 0.0, dVbs = 0.0;
  double von = 0.0;   // threshold including body effect (type frame)
  double vdsat = 0.0; // saturation voltage
  int mode = 1;       // +1 normal, −1 drain and source interchanged
};
Mos1Channel mos1Channel(const Mos1ModelParams &model, const Mos1AtTemp &t, double vgs, double vds,
                        double vbs);

// Bulk junction diode current (type frame, from bulk into the diffusion),
// with gmin in parallel, as MOS1 models it.
struct Mos1Junction {
  double i = 0.0, g = 0.0; // current and conductance
  double q = 0.0, c = 0.0; // depletion charge and capacitance
};
Mos1Junction mos1Junction(const Mos1ModelParams &model, const Mos1AtTemp &t, double v, double satCur,
                          double czero, double czeroSidewall, double gmin);

// Meyer gate capacitances (full values, overlap capacitances included),
// SPICE's DEVqmeyer doubled: at a single time point ngspice averages the
// current and previous half-capacitances, which are equal at steady state.
struct MeyerCaps {
  double cgs = 0.0, cgd = 0.0, cgb = 0.0;
};
MeyerCaps mos1MeyerCaps(const Mos1AtTemp &t, const Mos1Channel &channel, double vgs, double vds, double vbs);

} // namespace dwspice::semi
