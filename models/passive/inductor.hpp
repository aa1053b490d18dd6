// L: linear inductor.
//
//   Lname n+ n- value [ic=i0] [m=1]        (or l=value / inductance=value)
//
// Unknowns: the branch current "i(lname)" (ngspice calls it "lname#branch";
// we name it like a source current so that `.print i(l1)` works). The
// current flows from n+ through the inductor to n−. Equations:
//   f(n+) += i, f(n−) −= i,   branch row: (v+ − v−) − d/dt(L·i) = 0,
// i.e. f(branch) = v+ − v−, q(branch) = −L·i. At DC it is a short (and is
// reported as an ideal voltage edge for loop checks). Mutual inductors (K)
// add −M·i_other to q(branch). Zero and negative inductance are accepted as
// in ngspice (zero is a plain short).
#pragma once

#include "core/device.hpp"
#include "core/device_registry.hpp"
#include "passive/cross_stamp.hpp"

namespace dwspice::models {

class Inductor final : public Device, public BranchCurrentOwner {
public:
  explicit Inductor(const DeviceBuildContext &ctx);

  void setupUnknowns(UnknownAllocator &alloc) override;
  void setupMatrix(MatrixBuilder &builder) override;
  void load(const LoadContext &ctx, LoadTarget &out) override;
  [[nodiscard]] bool isLinear() const override { return true; }
  void applyInitialCondition(std::span<double> x) const override;
  void idealVoltageEdges(std::vector<std::pair<int, int>> &edges) const override {
    edges.emplace_back(plus_, minus_);
  }

  [[nodiscard]] int branchIndex() const override { return branch_; }
  [[nodiscard]] double inductance() const { return inductance_; } // H, after m=

private:
  int plus_, minus_;
  int branch_ = -1;
  double inductance_ = 0.0;
  bool hasInitialCurrent_ = false;
  double initialCurrent_ = 0.0;
  BranchStamp stamp_;
  MatrixSlot selfSlot_ = 0; // (branch, branch) of C
};

} // namespace dwspice::models
