// What an independent source (V or I) produces: a DC value and an optional
// transient waveform, read from the card
//
//   Vname n+ n- [[DC] value] [AC mag [phase]] [PULSE|SIN|EXP|PWL (args…)] [r=…] [td=…]
//
// (function arguments with or without parentheses). AC is accepted and
// ignored until there is an AC analysis. As in ngspice, .op and .dc use the
// DC value, and a source without one uses its waveform's value at t = 0;
// .tran uses the waveform (or the DC value when there is none), and so does
// the operating point that starts it (LoadContext::transientStart).
#pragma once

#include "core/device.hpp"
#include "core/device_registry.hpp"
#include "sources/waveform.hpp"

#include <memory>

namespace dwspice::models {

class SourceFunction {
public:
  // Parses the card's args; throws UserError at the offending arg.
  explicit SourceFunction(const DeviceBuildContext &ctx);

  // The excitation before source stepping is applied (ctx.sourceFactor).
  [[nodiscard]] double valueAt(const LoadContext &ctx) const {
    if (waveform_ && ctx.mode == AnalysisMode::Transient) {
      return scale_ * waveform_->value(ctx.time);
    }
    if (waveform_ && ctx.transientStart) {
      return scale_ * waveform_->value(0.0); // ngspice MODETRANOP: the waveform, not the DC value
    }
    return scale_ * dcValue_;
  }
  // The value a transient analysis uses at `time` (also its starting
  // operating point at 0): the waveform, or the DC value without one.
  [[nodiscard]] double transientValue(double time) const {
    return scale_ * (waveform_ ? waveform_->value(time) : dcValue_);
  }
  // Unscaled (what the card says; .dc sweeps set it).
  [[nodiscard]] double dcValue() const { return dcValue_; }
  void setDcValue(double value) { dcValue_ = value; }
  [[nodiscard]] const Waveform *waveform() const { return waveform_.get(); }
  void breakpoints(double tstop, std::vector<double> &times) const {
    if (waveform_) {
      waveform_->breakpoints(tstop, times);
    }
  }

  // Multiplies everything the source produces (`.bind pixel`); 1 by default.
  [[nodiscard]] double scale() const { return scale_; }
  void setScale(double scale) { scale_ = scale; }

private:
  double dcValue_ = 0.0;
  double scale_ = 1.0;
  std::unique_ptr<Waveform> waveform_;
};

} // namespace dwspice::models
