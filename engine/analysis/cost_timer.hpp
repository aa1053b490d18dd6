// Scoped wall-clock timer that adds its lifetime to one CostCounters field
// (steady_clock: two clock reads per coarse phase, nothing per device).
#pragma once

#include <chrono>

namespace dwspice {

class CostTimer {
public:
  explicit CostTimer(double &seconds) : seconds_(seconds), start_(std::chrono::steady_clock::now()) {}
  ~CostTimer() {
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  CostTimer(const CostTimer &) = delete;
  CostTimer &operator=(const CostTimer &) = delete;

private:
  double &seconds_;
  std::chrono::steady_clock::time_point start_;
};

} // namespace dwspice
