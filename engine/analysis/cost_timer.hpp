// Scoped timer that adds its lifetime to one CostCounters field.
//
// Two clock reads per coarse phase (an evaluation, a factorisation, a
// solve), nothing per device. The clock is the monotonic one, read in user
// space (~30 ns here). The thread's CPU clock (CLOCK_THREAD_CPUTIME_ID), used
// before, is a system call that takes the scheduler's lock: 0.65 us per read
// on this machine, and an MNIST image reads it ~18 000 times (3 % of the
// image's time went to timing itself). The price: a phase that is preempted
// is charged the time it waited, so cost splits are meant for runs with no
// more busy threads than cores (the batch default). The batch report's
// "other" is per-image wall time minus these phases, the same clock.
#pragma once

#include <ctime>

namespace dwspice {

[[nodiscard]] inline double phaseClockSeconds() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

class CostTimer {
public:
  explicit CostTimer(double &seconds) : seconds_(seconds), start_(phaseClockSeconds()) {}
  ~CostTimer() { seconds_ += phaseClockSeconds() - start_; }
  CostTimer(const CostTimer &) = delete;
  CostTimer &operator=(const CostTimer &) = delete;

private:
  double &seconds_;
  double start_;
};

} // namespace dwspice
