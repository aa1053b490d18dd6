// R: linear resistor.
//
//   Rname n+ n- value [m=1] [tc1=0] [tc2=0]        (or r=value / resistance=value)
//
// R(T) = R·(1 + tc1·ΔT + tc2·ΔT²) with ΔT = .options temp − tnom, divided by
// the parallel multiplier m. Negative resistance is allowed (it is used for
// behavioural gain cells); zero is rejected because an ideal short has no
// conductance to stamp — a 0 V voltage source is the SPICE way to write one.
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "passive/cross_stamp.hpp"
#include "passive/element_value.hpp"

#include <fmt/core.h>

namespace dwspice::models {
namespace {

class Resistor final : public Device {
public:
  explicit Resistor(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]) {
    ParamReader params(ctx.spec);
    const ElementValue nominal = readElementValue(ctx.spec, params, {"r", "resistance"}, "resistance");
    const double multiplier = params.get("m", 1.0);
    const double tc1 = params.get("tc1", 0.0);
    const double tc2 = params.get("tc2", 0.0);
    params.finish();
    if (!(multiplier > 0.0)) {
      throw UserError(params.where("m"), fmt::format("'{}': multiplier m must be positive", name()));
    }
    const double deltaT = ctx.options.temp - ctx.options.tnom;
    const double resistance = nominal.value * (1.0 + tc1 * deltaT + tc2 * deltaT * deltaT) / multiplier;
    if (resistance == 0.0) {
      throw UserError(nominal.loc, fmt::format("'{}': zero resistance (use a 0 V voltage source for an "
                                               "ideal short)",
                                               name()));
    }
    conductance_ = 1.0 / resistance;
  }

  void setupMatrix(MatrixBuilder &builder) override { stamp_.declare(builder, plus_, minus_, plus_, minus_); }

  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double current =
        conductance_ * (ctx.x[static_cast<size_t>(plus_)] - ctx.x[static_cast<size_t>(minus_)]);
    out.addF(plus_, current);
    out.addF(minus_, -current);
    stamp_.addG(out, conductance_);
  }

  [[nodiscard]] bool isLinear() const override { return true; }

private:
  int plus_, minus_;
  double conductance_ = 0.0;
  CrossStamp stamp_;
};

const DeviceRegistration registration{{
    .letter = 'r',
    .modelType = "",
    .terminals = 2,
    .references = 0,
    .summary = "linear resistor: Rname n+ n- value [m=] [tc1=] [tc2=]",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<Resistor>(ctx);
    },
}};

} // namespace
} // namespace dwspice::models
