// N…mtj: two-terminal magnetic tunnel junction with bias-dependent TMR.
//
//   Nname n+ n- model [s=1] [area=]
//   .model model mtj(ra=5e-12 area=2.5e-15 tmr=… | p=0.4  vh=0.5)
//
// The free layer state is the parallel fraction s (1 = parallel, 0 =
// antiparallel); it is an instance parameter and can be set by a coupled
// device through MtjDevice::setParallelFraction(). The stamp is I = G(V, s)·V
// with the exact dI/dV = G + V·∂G/∂V (see mtj_conductance.hpp).
#include "spintronic/mtj.hpp"

#include "core/device_registry.hpp"
#include "core/param_reader.hpp"

#include <fmt/core.h>
#include <stdexcept>

namespace dwspice::spintronic {

namespace {

MtjParams readMtjParams(const DeviceBuildContext &ctx, ParamReader &instanceParams) {
  if (ctx.spec.model == nullptr) {
    throw UserError(ctx.spec.loc, fmt::format("'{}': an MTJ needs a .model of type mtj", ctx.spec.name));
  }
  ParamReader model(*ctx.spec.model);
  MtjParams params;
  params.resistanceArea = model.get("ra", params.resistanceArea, 1e-300, 1e300);
  params.area = model.get("area", params.area, 1e-300, 1e300);
  const double polarisation = model.get("p", 0.4, 0.0, 0.999);
  params.tmr0 = model.get("tmr", julliereTmr(polarisation), 0.0, 1e6);
  params.halfBiasVoltage = model.get("vh", params.halfBiasVoltage, 1e-300, 1e300);
  model.finish();
  params.area = instanceParams.get("area", params.area, 1e-300, 1e300);
  return params;
}

} // namespace

MtjDevice::MtjDevice(const DeviceBuildContext &ctx)
    : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]),
      conductance_([&] {
        ParamReader instanceParams(ctx.spec);
        MtjParams params = readMtjParams(ctx, instanceParams);
        parallelFraction_ = instanceParams.get("s", 1.0, 0.0, 1.0);
        instanceParams.finish();
        return params;
      }()) {
  for (const CardArg &arg : ctx.spec.args) {
    if (arg.kind != CardArg::Kind::Assign) {
      throw UserError(arg.loc, fmt::format("'{}': unexpected argument (an MTJ takes only name=value "
                                           "parameters)",
                                           name()));
    }
  }
}

void MtjDevice::setParallelFraction(double s) {
  if (!(s >= 0.0 && s <= 1.0)) {
    throw std::invalid_argument(fmt::format("MTJ '{}': parallel fraction {} outside [0, 1]", name(), s));
  }
  parallelFraction_ = s;
}

void MtjDevice::setupMatrix(MatrixBuilder &builder) {
  stamp_.declare(builder, plus_, minus_);
}

void MtjDevice::load(const LoadContext &ctx, LoadTarget &out) {
  const double voltage = ctx.x[static_cast<size_t>(plus_)] - ctx.x[static_cast<size_t>(minus_)];
  const MtjPoint point = conductance_.evaluate(voltage, parallelFraction_);
  stamp_.load(out, point.current, point.dCurrentdV);
}

namespace {
const DeviceRegistration registration{{
    .letter = 'n',
    .modelType = "mtj",
    .terminals = 2,
    .references = 0,
    .summary = "magnetic tunnel junction: Nname n+ n- model [s=parallel fraction] [area=]",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<MtjDevice>(ctx);
    },
}};
} // namespace

} // namespace dwspice::spintronic
