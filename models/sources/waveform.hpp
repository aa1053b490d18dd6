// Time functions of independent sources: PULSE, SIN, EXP and PWL, with
// ngspice's exact semantics and defaults (as implemented in ngspice's
// vsrcload.c, checked against ngspice 39):
//
//   PULSE(v1 v2 [td [tr [tf [pw [per [np]]]]]])
//       tr, tf default to tstep and pw, per to tstop — also when given as 0.
//       np > 0 stops after np periods (value v1 afterwards).
//   SIN(vo va [freq [td [theta [phase]]]])
//       t ≤ td: vo + va·sin(phase);  t > td: vo + va·sin(2π·freq·(t−td) + phase)·exp(−(t−td)·theta)
//       freq defaults to 1/tstop (also when 0); phase in degrees.
//   EXP(v1 v2 [td1 [tau1 [td2 [tau2]]]])
//       td1, tau1, tau2 default to tstep and td2 to td1 + tstep — also when
//       given as 0. (The ngspice manual says td1 defaults to 0, but ngspice
//       itself uses tstep; we match the program.)
//   PWL(t1 v1 t2 v2 …) [r=tr] [td=delay]
//       v1 before t1, the last value after the last point, linear between.
//       Times must increase strictly. r= repeats the part from time point tr
//       (which must be one of the t's, before the last) to the end forever;
//       td= delays the whole waveform.
//
// tstep/tstop are those of the netlist's first .tran (0 when there is none:
// the waveform is then only ever evaluated at t = 0).
#pragma once

#include "core/diagnostics.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dwspice::models {

struct TranTimes {
  double step = 0.0; // s, .tran tstep
  double stop = 0.0; // s, .tran tstop
};

// One numeric argument of a waveform and where it was written (for errors).
struct WaveformArg {
  double value = 0.0;
  SourceLoc loc;
};

struct PwlOptions {
  std::optional<double> repeatFrom; // r=
  SourceLoc repeatLoc;
  double delay = 0.0; // td=
};

class Waveform {
public:
  virtual ~Waveform() = default;
  [[nodiscard]] virtual double value(double time) const = 0;
  // Appends the waveform's corners in (0, tstop].
  virtual void breakpoints(double tstop, std::vector<double> &times) const = 0;
  // Parameters that fix value(t) up to a constant factor: waveforms with
  // equal keys are proportional at every t (ShapedExcitation). Empty when
  // the waveform does not say (then it is never shared).
  [[nodiscard]] virtual std::vector<double> shapeKey() const { return {}; }
};

// Upper bound on the corners one waveform reports, so that a period far
// shorter than tstop cannot exhaust memory; beyond it a warning is issued
// and the remaining corners are left to the step control.
inline constexpr size_t kMaxBreakpointsPerSource = 2'000'000;

// Builds the waveform `kind` ("pulse", "sin", "exp", "pwl") from its
// arguments. Throws UserError at the offending argument (or at `loc`, the
// function name) for a wrong argument count, negative times, non-increasing
// PWL times or an r= that is not a PWL time point.
std::unique_ptr<Waveform> makeWaveform(const std::string &kind, const std::vector<WaveformArg> &args,
                                       const SourceLoc &loc, const TranTimes &tran,
                                       const PwlOptions &pwl = {});

[[nodiscard]] bool isWaveformName(const std::string &name);

} // namespace dwspice::models
