// F: current-controlled current source.
//
//   Fname n+ n- vcontrol gain        (or gain=value)
//
// A current gain·i(vcontrol) flows from n+ through the source to n−, where
// i(vcontrol) is the branch current of the controlling element (V, L, E or
// H; positive into its + terminal).
#include "controlled/controlled_args.hpp"
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "passive/element_value.hpp"

namespace dwspice::models {
namespace {

class Cccs final : public Device {
public:
  explicit Cccs(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]),
        controlName_(controllingName(ctx.spec)) {
    rejectNonlinearForms(ctx.spec);
    ParamReader params(ctx.spec);
    gain_ = readElementValue(ctx.spec, params, {"gain"}, "current gain").value;
    params.finish();
  }

  void setupMatrix(MatrixBuilder &builder) override {
    control_ = controllingBranch(builder, name(), controlName_, location());
    builder.entry(plus_, control_, &plusControl_);
    builder.entry(minus_, control_, &minusControl_);
  }
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double current = gain_ * ctx.x[static_cast<size_t>(control_)];
    out.addF(plus_, current);
    out.addF(minus_, -current);
    out.addG(plusControl_, gain_);
    out.addG(minusControl_, -gain_);
  }
  [[nodiscard]] bool isLinear() const override { return true; }
  [[nodiscard]] double deliveredPower(std::span<const double> x) const override {
    return currentOutputPower(x, plus_, minus_, gain_ * x[static_cast<size_t>(control_)]);
  }

private:
  int plus_, minus_;
  std::string controlName_;
  int control_ = -1;
  double gain_ = 0.0;
  MatrixSlot plusControl_ = 0, minusControl_ = 0;
};

const DeviceRegistration registration{{
    .letter = 'f',
    .modelType = "",
    .terminals = 2,
    .references = 1,
    .summary = "current-controlled current source: Fname n+ n- vcontrol gain",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<Cccs>(ctx);
    },
}};

} // namespace
} // namespace dwspice::models
