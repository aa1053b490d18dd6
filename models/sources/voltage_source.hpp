// V: independent voltage source.
//
//   Vname n+ n- [[DC] v] [AC mag [phase]] [PULSE|SIN|EXP|PWL …]
//
// Unknowns: the branch current "i(vname)". As in ngspice, a positive branch
// current flows into the + node's terminal, through the source, and out of
// the − terminal (so a source driving a load reports a negative current).
// Equations: f(n+) += i, f(n−) −= i; branch row v+ − v− = b(t) = V(t).
#pragma once

#include "core/device.hpp"
#include "passive/cross_stamp.hpp"
#include "sources/source_function.hpp"

namespace dwspice::models {

class VoltageSource final : public Device,
                            public BranchCurrentOwner,
                            public SweepableSource,
                            public ScalableSource,
                            public ShapedExcitation {
public:
  explicit VoltageSource(const DeviceBuildContext &ctx);

  void setupUnknowns(UnknownAllocator &alloc) override;
  void setupMatrix(MatrixBuilder &builder) override;
  void load(const LoadContext &ctx, LoadTarget &out) override;
  void loadExcitation(const LoadContext &ctx, LoadTarget &out) override;
  [[nodiscard]] bool isLinear() const override { return true; }
  void breakpoints(double tstop, std::vector<double> &times) const override {
    function_.breakpoints(tstop, times);
  }
  // Power the source delivers into the circuit: −(v+ − v−)·i, positive when
  // it drives a load (its branch current is then negative).
  [[nodiscard]] double deliveredPower(std::span<const double> x) const override;
  void idealVoltageEdges(std::vector<std::pair<int, int>> &edges) const override {
    edges.emplace_back(plus_, minus_);
  }

  [[nodiscard]] int branchIndex() const override { return branch_; }
  [[nodiscard]] double dcValue() const override { return function_.dcValue(); }
  void setDcValue(double value) override { function_.setDcValue(value); }
  [[nodiscard]] double waveformScale() const override { return function_.scale(); }
  void setWaveformScale(double scale) override { function_.setScale(scale); }
  [[nodiscard]] const SourceFunction &function() const { return function_; }
  // The branch row is this source's alone. A constant (DC only) source
  // shares the shape "constant"; a waveform shares its own key.
  [[nodiscard]] std::vector<double> shapeKey() const override {
    return function_.waveform() != nullptr ? function_.waveform()->shapeKey() : std::vector<double>{0.0};
  }
  [[nodiscard]] int excitationRow() const override { return branch_; }

private:
  int plus_, minus_;
  int branch_ = -1;
  SourceFunction function_;
  BranchStamp stamp_;
};

} // namespace dwspice::models
