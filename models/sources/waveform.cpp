#include "sources/waveform.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <numbers>

namespace dwspice::models {
namespace {

// Collects corners in (0, tstop], stopping (with one warning) at the cap.
class CornerSink {
public:
  CornerSink(std::vector<double> &times, double tstop, const SourceLoc &loc)
      : times_(times), tstop_(tstop), loc_(loc) {}
  // Returns false once the cap is reached.
  bool add(double t) {
    if (t <= 0.0 || t > tstop_) {
      return true;
    }
    if (added_ >= kMaxBreakpointsPerSource) {
      if (!warned_) {
        warn(loc_, fmt::format("source waveform has more than {} corners up to tstop; later corners are "
                               "not forced as time points",
                               kMaxBreakpointsPerSource));
        warned_ = true;
      }
      return false;
    }
    times_.push_back(t);
    ++added_;
    return true;
  }

private:
  std::vector<double> &times_;
  double tstop_;
  const SourceLoc &loc_;
  size_t added_ = 0;
  bool warned_ = false;
};

// Argument i, or the fallback when it is missing or zero: ngspice treats an
// explicit 0 like an omitted value for every time parameter it defaults.
double argOrDefaultIfZero(const std::vector<WaveformArg> &args, size_t i, double fallback) {
  return i < args.size() && args[i].value != 0.0 ? args[i].value : fallback;
}
double argOr(const std::vector<WaveformArg> &args, size_t i, double fallback) {
  return i < args.size() ? args[i].value : fallback;
}

void requireCount(const std::string &kind, const std::vector<WaveformArg> &args, size_t low, size_t high,
                  const SourceLoc &loc) {
  if (args.size() < low) {
    throw UserError(loc, fmt::format("{} needs at least {} values, got {}", kind, low, args.size()));
  }
  if (args.size() > high) {
    throw UserError(args[high].loc,
                    fmt::format("{} takes at most {} values, got {}", kind, high, args.size()));
  }
}

void requireNonNegative(const std::vector<WaveformArg> &args, size_t i, const char *what) {
  if (i < args.size() && args[i].value < 0.0) {
    throw UserError(args[i].loc, fmt::format("{} must not be negative (got {:g})", what, args[i].value));
  }
}

class PulseWaveform final : public Waveform {
public:
  PulseWaveform(const std::vector<WaveformArg> &args, const SourceLoc &loc, const TranTimes &tran)
      : loc_(loc) {
    requireCount("PULSE", args, 2, 8, loc);
    for (size_t i = 3; i < args.size(); ++i) {
      static constexpr const char *names[] = {
          "", "", "", "PULSE rise time", "PULSE fall time", "PULSE width", "PULSE period", "PULSE count"};
      requireNonNegative(args, i, names[i]);
    }
    low_ = args[0].value;
    high_ = args[1].value;
    delay_ = argOr(args, 2, 0.0);
    rise_ = argOrDefaultIfZero(args, 3, tran.step);
    fall_ = argOrDefaultIfZero(args, 4, tran.step);
    width_ = argOrDefaultIfZero(args, 5, tran.stop);
    period_ = argOrDefaultIfZero(args, 6, tran.stop);
    count_ = argOr(args, 7, 0.0);
  }

  [[nodiscard]] double value(double t) const override {
    double time = t - delay_;
    if (count_ > 0.0 && time > count_ * period_) {
      return low_;
    }
    if (period_ > 0.0 && time > period_) {
      time -= period_ * std::floor(time / period_);
    }
    if (time <= 0.0 || time >= rise_ + width_ + fall_) {
      return low_;
    }
    if (time >= rise_ && time <= rise_ + width_) {
      return high_;
    }
    if (time < rise_) {
      return low_ + (high_ - low_) * time / rise_;
    }
    return high_ + (low_ - high_) * (time - (rise_ + width_)) / fall_;
  }

  void breakpoints(double tstop, std::vector<double> &times) const override {
    CornerSink sink(times, tstop, loc_);
    const double offsets[] = {0.0, rise_, rise_ + width_, rise_ + width_ + fall_};
    for (long k = 0;; ++k) {
      if (count_ > 0.0 && static_cast<double>(k) >= count_) {
        break;
      }
      const double start = delay_ + static_cast<double>(k) * period_;
      if (start > tstop) {
        break;
      }
      for (double offset : offsets) {
        // Corners past the period are cut off by the next period's start.
        if (period_ > 0.0 && offset > period_) {
          continue;
        }
        if (!sink.add(start + offset)) {
          return;
        }
      }
      if (!(period_ > 0.0)) {
        break;
      }
    }
  }

  // value(t) = high·(r + (1 − r)·ramp(t)) with r = low/high and the ramp
  // fixed by the timing.
  [[nodiscard]] std::vector<double> shapeKey() const override {
    if (high_ == 0.0) {
      return {};
    }
    return {kPulseShape, delay_, rise_, fall_, width_, period_, count_, low_ / high_};
  }

private:
  static constexpr double kPulseShape = 1.0; // tells a PULSE key from other waveforms' keys
  SourceLoc loc_;
  double low_, high_, delay_, rise_, fall_, width_, period_, count_;
};

class SineWaveform final : public Waveform {
public:
  SineWaveform(const std::vector<WaveformArg> &args, const SourceLoc &loc, const TranTimes &tran) {
    requireCount("SIN", args, 2, 6, loc);
    requireNonNegative(args, 2, "SIN frequency");
    offset_ = args[0].value;
    amplitude_ = args[1].value;
    frequency_ = argOrDefaultIfZero(args, 2, tran.stop > 0.0 ? 1.0 / tran.stop : 0.0);
    delay_ = argOr(args, 3, 0.0);
    damping_ = argOr(args, 4, 0.0);
    phase_ = argOr(args, 5, 0.0) * std::numbers::pi / 180.0;
  }

  [[nodiscard]] double value(double t) const override {
    const double time = t - delay_;
    if (time <= 0.0) {
      return offset_ + amplitude_ * std::sin(phase_);
    }
    return offset_ + amplitude_ * std::sin(2.0 * std::numbers::pi * frequency_ * time + phase_) *
                         std::exp(-time * damping_);
  }

  void breakpoints(double tstop, std::vector<double> &times) const override {
    if (delay_ > 0.0 && delay_ <= tstop) {
      times.push_back(delay_);
    }
  }

private:
  double offset_, amplitude_, frequency_, delay_, damping_, phase_;
};

class ExpWaveform final : public Waveform {
public:
  ExpWaveform(const std::vector<WaveformArg> &args, const SourceLoc &loc, const TranTimes &tran) {
    requireCount("EXP", args, 2, 6, loc);
    requireNonNegative(args, 3, "EXP rise time constant");
    requireNonNegative(args, 5, "EXP fall time constant");
    initial_ = args[0].value;
    pulsed_ = args[1].value;
    riseDelay_ = argOrDefaultIfZero(args, 2, tran.step);
    riseTau_ = argOrDefaultIfZero(args, 3, tran.step);
    fallDelay_ = argOrDefaultIfZero(args, 4, riseDelay_ + tran.step);
    fallTau_ = argOrDefaultIfZero(args, 5, tran.step);
  }

  [[nodiscard]] double value(double t) const override {
    if (t <= riseDelay_) {
      return initial_;
    }
    double result = initial_ + (pulsed_ - initial_) * (1.0 - std::exp(-(t - riseDelay_) / riseTau_));
    if (t > fallDelay_) {
      result += (initial_ - pulsed_) * (1.0 - std::exp(-(t - fallDelay_) / fallTau_));
    }
    return result;
  }

  void breakpoints(double tstop, std::vector<double> &times) const override {
    for (double t : {riseDelay_, fallDelay_}) {
      if (t > 0.0 && t <= tstop) {
        times.push_back(t);
      }
    }
  }

private:
  double initial_, pulsed_, riseDelay_, riseTau_, fallDelay_, fallTau_;
};

class PwlWaveform final : public Waveform {
public:
  PwlWaveform(const std::vector<WaveformArg> &args, const SourceLoc &loc, const PwlOptions &options)
      : loc_(loc), delay_(options.delay) {
    if (args.size() < 2) {
      throw UserError(loc, fmt::format("PWL needs at least one time-value pair, got {} values", args.size()));
    }
    if (args.size() % 2 != 0) {
      throw UserError(
          args.back().loc,
          fmt::format("PWL needs time-value pairs, got an odd number of values ({})", args.size()));
    }
    for (size_t i = 0; i < args.size(); i += 2) {
      if (!times_.empty() && !(args[i].value > times_.back())) {
        throw UserError(args[i].loc, fmt::format("PWL time {:g} does not increase (previous time {:g})",
                                                 args[i].value, times_.back()));
      }
      times_.push_back(args[i].value);
      values_.push_back(args[i + 1].value);
    }
    if (options.repeatFrom) {
      const double r = *options.repeatFrom;
      size_t index = 0;
      while (index < times_.size() && times_[index] != r) {
        ++index;
      }
      if (index == times_.size()) {
        throw UserError(options.repeatLoc,
                        fmt::format("PWL repeat time r={:g} is not one of the time points", r));
      }
      if (index + 1 == times_.size()) {
        throw UserError(options.repeatLoc,
                        fmt::format("PWL repeat time r={:g} must come before the last time point", r));
      }
      repeatIndex_ = index;
    }
  }

  [[nodiscard]] double value(double t) const override {
    double time = t - delay_;
    if (time <= times_.front()) {
      return values_.front();
    }
    if (time > times_.back()) {
      if (!repeatIndex_) {
        return values_.back();
      }
      const double start = times_[*repeatIndex_];
      const double period = times_.back() - start;
      time -= start;
      time -= period * std::floor(time / period);
      time += start;
    }
    // First point at or after `time`; time > times_.front() here.
    const auto upper = std::lower_bound(times_.begin(), times_.end(), time);
    const auto i = static_cast<size_t>(upper == times_.end() ? times_.size() - 1 : upper - times_.begin());
    const double fraction = (time - times_[i - 1]) / (times_[i] - times_[i - 1]);
    return values_[i - 1] + fraction * (values_[i] - values_[i - 1]);
  }

  void breakpoints(double tstop, std::vector<double> &times) const override {
    CornerSink sink(times, tstop, loc_);
    for (double t : times_) {
      if (!sink.add(t + delay_)) {
        return;
      }
    }
    if (!repeatIndex_) {
      return;
    }
    const double start = times_[*repeatIndex_];
    const double period = times_.back() - start;
    for (long k = 1;; ++k) {
      const double shift = delay_ + static_cast<double>(k) * period;
      if (start + shift > tstop) {
        return;
      }
      for (size_t i = *repeatIndex_ + 1; i < times_.size(); ++i) {
        if (!sink.add(times_[i] + shift)) {
          return;
        }
      }
    }
  }

private:
  SourceLoc loc_;
  double delay_;
  std::vector<double> times_, values_;
  std::optional<size_t> repeatIndex_;
};

} // namespace

bool isWaveformName(const std::string &name) {
  return name == "pulse" || name == "sin" || name == "exp" || name == "pwl";
}

std::unique_ptr<Waveform> makeWaveform(const std::string &kind, const std::vector<WaveformArg> &args,
                                       const SourceLoc &loc, const TranTimes &tran, const PwlOptions &pwl) {
  for (const WaveformArg &arg : args) {
    if (!std::isfinite(arg.value)) {
      throw UserError(arg.loc, fmt::format("{} argument is not a finite number", kind));
    }
  }
  if ((pwl.repeatFrom && !std::isfinite(*pwl.repeatFrom)) || !std::isfinite(pwl.delay)) {
    throw UserError(pwl.repeatLoc, "PWL r= or td= is not a finite number");
  }
  if (kind == "pulse") {
    return std::make_unique<PulseWaveform>(args, loc, tran);
  }
  if (kind == "sin") {
    return std::make_unique<SineWaveform>(args, loc, tran);
  }
  if (kind == "exp") {
    return std::make_unique<ExpWaveform>(args, loc, tran);
  }
  if (kind == "pwl") {
    return std::make_unique<PwlWaveform>(args, loc, pwl);
  }
  throw UserError(loc, fmt::format("unknown source function '{}'", kind));
}

} // namespace dwspice::models
