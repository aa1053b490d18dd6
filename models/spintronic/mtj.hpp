// The stand-alone MTJ device (N element, model type "mtj").
#pragma once

#include "core/device_registry.hpp"
#include "spintronic/conductance_stamp.hpp"
#include "spintronic/mtj_conductance.hpp"

namespace dwspice::spintronic {

class MtjDevice final : public Device {
public:
  explicit MtjDevice(const DeviceBuildContext &ctx);

  // Free-layer state as parallel fraction in [0, 1]; lets a coupled device
  // (or a test) switch the junction between evaluations.
  void setParallelFraction(double s);
  [[nodiscard]] double parallelFraction() const { return parallelFraction_; }
  [[nodiscard]] const MtjConductance &conductance() const { return conductance_; }

  void setupMatrix(MatrixBuilder &builder) override;
  [[nodiscard]] bool hasExcitation() const override { return false; }      // no b(t): all in load()
  [[nodiscard]] bool needsEveryTimeStep() const override { return false; } // no history
  void load(const LoadContext &ctx, LoadTarget &out) override;

private:
  int plus_, minus_;
  double parallelFraction_ = 1.0;
  MtjConductance conductance_;
  BranchStamp stamp_;
};

} // namespace dwspice::spintronic
