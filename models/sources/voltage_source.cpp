#include "sources/voltage_source.hpp"

#include "core/device_registry.hpp"

namespace dwspice::models {

VoltageSource::VoltageSource(const DeviceBuildContext &ctx)
    : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]), function_(ctx) {
}

void VoltageSource::setupUnknowns(UnknownAllocator &alloc) {
  branch_ = alloc.addUnknown("i(" + name() + ")", UnknownKind::Current);
}

void VoltageSource::setupMatrix(MatrixBuilder &builder) {
  stamp_.declare(builder, plus_, minus_, branch_);
}

void VoltageSource::load(const LoadContext &ctx, LoadTarget &out) {
  stamp_.load(ctx.x, plus_, minus_, branch_, out);
}

void VoltageSource::loadExcitation(const LoadContext &ctx, LoadTarget &out) {
  out.addB(branch_, function_.valueAt(ctx) * ctx.sourceFactor);
}

double VoltageSource::deliveredPower(std::span<const double> x) const {
  const double voltage = x[static_cast<size_t>(plus_)] - x[static_cast<size_t>(minus_)];
  return -voltage * x[static_cast<size_t>(branch_)];
}

namespace {
const DeviceRegistration registration{{
    .letter = 'v',
    .modelType = "",
    .terminals = 2,
    .references = 0,
    .summary = "independent voltage source: Vname n+ n- [DC v] [AC mag] [PULSE|SIN|EXP|PWL(...)]",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<VoltageSource>(ctx);
    },
}};
} // namespace

} // namespace dwspice::models
