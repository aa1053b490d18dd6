// C: linear capacitor.
//
//   Cname n+ n- value [ic=v0] [m=1]        (or c=value / capacitance=value)
//
// q(n+) = C·(v+ − v−), q(n−) = −q(n+); f = 0, so a capacitor is open at DC.
// Zero and negative capacitance are accepted as in ngspice: zero contributes
// nothing, and negative capacitance is a legitimate behavioural element
// (e.g. to cancel a parasitic). ic= is applied only by `.tran … uic`.
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "passive/cross_stamp.hpp"
#include "passive/element_value.hpp"

#include <fmt/core.h>

namespace dwspice::models {
namespace {

class Capacitor final : public Device {
public:
  explicit Capacitor(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]) {
    ParamReader params(ctx.spec);
    const ElementValue nominal = readElementValue(ctx.spec, params, {"c", "capacitance"}, "capacitance");
    const double multiplier = params.get("m", 1.0);
    hasInitialVoltage_ = params.has("ic");
    initialVoltage_ = params.get("ic", 0.0);
    params.finish();
    if (!(multiplier > 0.0)) {
      throw UserError(params.where("m"), fmt::format("'{}': multiplier m must be positive", name()));
    }
    capacitance_ = nominal.value * multiplier;
  }

  void setupMatrix(MatrixBuilder &builder) override { stamp_.declare(builder, plus_, minus_, plus_, minus_); }

  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double charge =
        capacitance_ * (ctx.x[static_cast<size_t>(plus_)] - ctx.x[static_cast<size_t>(minus_)]);
    out.addQ(plus_, charge);
    out.addQ(minus_, -charge);
    stamp_.addC(out, capacitance_);
  }

  [[nodiscard]] bool isLinear() const override { return true; }

  // uic: set the voltage across the capacitor, moving whichever terminal is
  // not ground (the + terminal if neither is).
  void applyInitialCondition(std::span<double> x) const override {
    if (!hasInitialVoltage_) {
      return;
    }
    if (plus_ != 0) {
      x[static_cast<size_t>(plus_)] = x[static_cast<size_t>(minus_)] + initialVoltage_;
    } else if (minus_ != 0) {
      x[static_cast<size_t>(minus_)] = -initialVoltage_;
    }
  }

private:
  int plus_, minus_;
  double capacitance_ = 0.0;
  bool hasInitialVoltage_ = false;
  double initialVoltage_ = 0.0;
  CrossStamp stamp_;
};

const DeviceRegistration registration{{
    .letter = 'c',
    .modelType = "",
    .terminals = 2,
    .references = 0,
    .summary = "linear capacitor: Cname n+ n- value [ic=] [m=]",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<Capacitor>(ctx);
    },
}};

} // namespace
} // namespace dwspice::models
