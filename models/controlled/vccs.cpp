// G: voltage-controlled current source.
//
//   Gname n+ n- nc+ nc- gm        (or gm=value / transconductance=value)
//
// A current gm·(vc+ − vc−) flows from n+ through the source to n− (as for
// I): f(n+) += gm·vc, f(n−) −= gm·vc.
#include "controlled/controlled_args.hpp"
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "passive/cross_stamp.hpp"
#include "passive/element_value.hpp"

namespace dwspice::models {
namespace {

class Vccs final : public Device {
public:
  explicit Vccs(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]),
        controlPlus_(ctx.terminals[2]), controlMinus_(ctx.terminals[3]) {
    rejectNonlinearForms(ctx.spec);
    ParamReader params(ctx.spec);
    transconductance_ =
        readElementValue(ctx.spec, params, {"gm", "transconductance"}, "transconductance").value;
    params.finish();
  }

  void setupMatrix(MatrixBuilder &builder) override {
    stamp_.declare(builder, plus_, minus_, controlPlus_, controlMinus_);
  }
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double control =
        ctx.x[static_cast<size_t>(controlPlus_)] - ctx.x[static_cast<size_t>(controlMinus_)];
    const double current = transconductance_ * control;
    out.addF(plus_, current);
    out.addF(minus_, -current);
    stamp_.addG(out, transconductance_);
  }
  [[nodiscard]] bool isLinear() const override { return true; }
  [[nodiscard]] double deliveredPower(std::span<const double> x) const override {
    const double control = x[static_cast<size_t>(controlPlus_)] - x[static_cast<size_t>(controlMinus_)];
    return currentOutputPower(x, plus_, minus_, transconductance_ * control);
  }

private:
  int plus_, minus_, controlPlus_, controlMinus_;
  double transconductance_ = 0.0;
  CrossStamp stamp_;
};

const DeviceRegistration registration{{
    .letter = 'g',
    .modelType = "",
    .terminals = 4,
    .references = 0,
    .summary = "voltage-controlled current source: Gname n+ n- nc+ nc- gm",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<Vccs>(ctx);
    },
}};

} // namespace
} // namespace dwspice::models
