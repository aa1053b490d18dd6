// Scoped timer that adds its lifetime to one CostCounters field.
//
// It measures the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID), not
// wall time: batch runs share two cores with other work, and a wall clock
// would charge preemption to whichever phase happened to be running. Two
// clock reads per coarse phase (an evaluation, a factorisation, a solve),
// nothing per device.
#pragma once

#include <ctime>

namespace dwspice {

[[nodiscard]] inline double threadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

class CostTimer {
public:
  explicit CostTimer(double &seconds) : seconds_(seconds), start_(threadCpuSeconds()) {}
  ~CostTimer() { seconds_ += threadCpuSeconds() - start_; }
  CostTimer(const CostTimer &) = delete;
  CostTimer &operator=(const CostTimer &) = delete;

private:
  double &seconds_;
  double start_;
};

} // namespace dwspice
