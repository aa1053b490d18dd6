// H: current-controlled voltage source.
//
//   Hname n+ n- vcontrol r        (or r=value / transresistance=value)
//
// Unknowns: the branch current "i(hname)" (as for V). Branch row:
// v+ − v− − r·i(vcontrol) = 0, with i(vcontrol) the branch current of the
// controlling V, L, E or H.
#include "controlled/controlled_args.hpp"
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "passive/cross_stamp.hpp"
#include "passive/element_value.hpp"

namespace dwspice::models {
namespace {

class Ccvs final : public Device, public BranchCurrentOwner {
public:
  explicit Ccvs(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]),
        controlName_(controllingName(ctx.spec)) {
    rejectNonlinearForms(ctx.spec);
    ParamReader params(ctx.spec);
    transresistance_ = readElementValue(ctx.spec, params, {"r", "transresistance"}, "transresistance").value;
    params.finish();
  }

  void setupUnknowns(UnknownAllocator &alloc) override {
    branch_ = alloc.addUnknown("i(" + name() + ")", UnknownKind::Current);
  }
  void setupMatrix(MatrixBuilder &builder) override {
    control_ = controllingBranch(builder, name(), controlName_, location());
    stamp_.declare(builder, plus_, minus_, branch_);
    builder.entry(branch_, control_, &branchControl_);
  }
  void load(const LoadContext &ctx, LoadTarget &out) override {
    stamp_.load(ctx.x, plus_, minus_, branch_, out);
    out.addF(branch_, -transresistance_ * ctx.x[static_cast<size_t>(control_)]);
    out.addG(branchControl_, -transresistance_);
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
  int plus_, minus_;
  std::string controlName_;
  int branch_ = -1;
  int control_ = -1;
  double transresistance_ = 0.0;
  BranchStamp stamp_;
  MatrixSlot branchControl_ = 0;
};

const DeviceRegistration registration{{
    .letter = 'h',
    .modelType = "",
    .terminals = 2,
    .references = 1,
    .summary = "current-controlled voltage source: Hname n+ n- vcontrol r",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<Ccvs>(ctx);
    },
}};

} // namespace
} // namespace dwspice::models
