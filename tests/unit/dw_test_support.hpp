// Shared helpers for the domain-wall device tests: a bench around one DW
// device (hm+ = node 1, read+ = node 2, hm− and read− grounded) and an RK4
// integrator of the device's own state equations x' = −f(x) (C = 1 on the
// state rows), driven at a fixed heavy-metal current density.
#pragma once

#include "device_test_kit.hpp"
#include "spintronic/dw_device.hpp"

#include <cmath>
#include <functional>
#include <map>
#include <string>

namespace dwspice::dwtest {

// doctest::Approx is absolute below 1 by default (tolerance ε·(1 + |x|)); SI
// values here are tiny (m, S, J), so compare relatively.
inline doctest::Approx relApprox(double value) {
  return doctest::Approx(value).scale(1e-300);
}

inline ModelSpec dwModel(const std::string &type, std::map<std::string, double> params) {
  ModelSpec model;
  model.name = "dwm";
  model.type = type;
  model.params = std::move(params);
  return model;
}

class DwBench {
public:
  DwBench(const ModelSpec &model, std::vector<CardArg> instanceArgs = {}) : bench_(2) {
    device_ = &dynamic_cast<spintronic::DwDevice &>(bench_.add(
        testkit::instance("n1", {"hp", "0", "rp", "0"}, std::move(instanceArgs), &model), {1, 0, 2, 0}));
    bench_.setup();
    REQUIRE(device_->positionUnknown() == 3);
    REQUIRE(device_->angleUnknown() == 4);
    q_ = device_->initialPosition() / spintronic::kPositionUnit;
    phi_ = device_->initialAngle();
  }

  testkit::DeviceBench &bench() { return bench_; }
  spintronic::DwDevice &device() { return *device_; }

  // Heavy-metal voltage that drives current density J (A/m²).
  [[nodiscard]] double voltageFor(double currentDensity) const {
    const auto &track = device_->track();
    return currentDensity * track.heavyMetalCrossSection() * track.heavyMetalResistance();
  }
  [[nodiscard]] std::vector<double> point(double currentDensity, double qNm, double phi,
                                          double readV = 0.0) const {
    return {0.0, voltageFor(currentDensity), readV, qNm, phi};
  }

  // Position (m) and angle of the integrated state.
  [[nodiscard]] double position() const { return q_ * spintronic::kPositionUnit; }
  [[nodiscard]] double angle() const { return phi_; }
  void setState(double positionM, double phi) {
    q_ = positionM / spintronic::kPositionUnit;
    phi_ = phi;
  }

  // Rates (nm/s, rad/s) from the device's transient residual.
  std::pair<double, double> rates(double currentDensity, double qNm, double phi, double time = 0.0) {
    LoadContext ctx;
    ctx.mode = AnalysisMode::Transient;
    ctx.time = time;
    const auto r = bench_.evaluate(point(currentDensity, qNm, phi), ctx);
    return {-r.f[3], -r.f[4]};
  }

  // Classical RK4 over `duration` at constant J.
  void integrate(double currentDensity, double duration, double step = 2e-12) {
    const int steps = static_cast<int>(std::ceil(duration / step));
    const double h = duration / steps;
    for (int i = 0; i < steps; ++i) {
      const double t = time_;
      const auto k1 = rates(currentDensity, q_, phi_, t);
      const auto k2 = rates(currentDensity, q_ + h / 2 * k1.first, phi_ + h / 2 * k1.second, t + h / 2);
      const auto k3 = rates(currentDensity, q_ + h / 2 * k2.first, phi_ + h / 2 * k2.second, t + h / 2);
      const auto k4 = rates(currentDensity, q_ + h * k3.first, phi_ + h * k3.second, t + h);
      q_ += h / 6 * (k1.first + 2 * k2.first + 2 * k3.first + k4.first);
      phi_ += h / 6 * (k1.second + 2 * k2.second + 2 * k3.second + k4.second);
      time_ += h;
    }
  }

private:
  testkit::DeviceBench bench_;
  spintronic::DwDevice *device_ = nullptr;
  double q_ = 0, phi_ = 0, time_ = 0;
};

} // namespace dwspice::dwtest
