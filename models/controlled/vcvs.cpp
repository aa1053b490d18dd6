// E: voltage-controlled voltage source.
//
//   Ename n+ n- nc+ nc- gain        (or gain=value)
//
// Unknowns: the branch current "i(ename)" (flowing into n+, through the
// source, out of n−, as for V). Branch row: v+ − v− − gain·(vc+ − vc−) = 0.
#include "controlled/controlled_args.hpp"
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "passive/cross_stamp.hpp"
#include "passive/element_value.hpp"

namespace dwspice::models {
namespace {

class Vcvs final : public Device, public BranchCurrentOwner {
public:
  explicit Vcvs(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]),
        controlPlus_(ctx.terminals[2]), controlMinus_(ctx.terminals[3]) {
    rejectNonlinearForms(ctx.spec);
    ParamReader params(ctx.spec);
    gain_ = readElementValue(ctx.spec, params, {"gain"}, "voltage gain").value;
    params.finish();
  }

  void setupUnknowns(UnknownAllocator &alloc) override {
    branch_ = alloc.addUnknown("i(" + name() + ")", UnknownKind::Current);
  }
  void setupMatrix(MatrixBuilder &builder) override {
    stamp_.declare(builder, plus_, minus_, branch_);
    builder.entry(branch_, controlPlus_, &branchControlPlus_);
    builder.entry(branch_, controlMinus_, &branchControlMinus_);
  }
  void load(const LoadContext &ctx, LoadTarget &out) override {
    stamp_.load(ctx.x, plus_, minus_, branch_, out);
    const double control =
        ctx.x[static_cast<size_t>(controlPlus_)] - ctx.x[static_cast<size_t>(controlMinus_)];
    out.addF(branch_, -gain_ * control);
    out.addG(branchControlPlus_, -gain_);
    out.addG(branchControlMinus_, gain_);
  }
  [[nodiscard]] bool isLinear() const override { return true; }
  [[nodiscard]] double deliveredPower(std::span<const double> x) const override {
    return branchOutputPower(x, plus_, minus_, branch_);
  }
  void idealVoltageEdges(std::vector<std::pair<int, int>> &edges) const override {
    edges.emplace_back(plus_, minus_);
  }
  [[nodiscard]] int branchIndex() const override { return branch_; }

private:
  int plus_, minus_, controlPlus_, controlMinus_;
  int branch_ = -1;
  double gain_ = 0.0;
  BranchStamp stamp_;
  MatrixSlot branchControlPlus_ = 0, branchControlMinus_ = 0;
};

const DeviceRegistration registration{{
    .letter = 'e',
    .modelType = "",
    .terminals = 4,
    .references = 0,
    .summary = "voltage-controlled voltage source: Ename n+ n- nc+ nc- gain",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<Vcvs>(ctx);
    },
}};

} // namespace
} // namespace dwspice::models
