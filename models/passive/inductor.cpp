#include "passive/inductor.hpp"

#include "core/param_reader.hpp"
#include "passive/element_value.hpp"

#include <fmt/core.h>

namespace dwspice::models {

Inductor::Inductor(const DeviceBuildContext &ctx)
    : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]) {
  ParamReader params(ctx.spec);
  const ElementValue nominal = readElementValue(ctx.spec, params, {"l", "inductance"}, "inductance");
  const double multiplier = params.get("m", 1.0);
  hasInitialCurrent_ = params.has("ic");
  initialCurrent_ = params.get("ic", 0.0);
  params.finish();
  if (!(multiplier > 0.0)) {
    throw UserError(params.where("m"), fmt::format("'{}': multiplier m must be positive", name()));
  }
  inductance_ = nominal.value / multiplier; // m inductors in parallel
}

void Inductor::setupUnknowns(UnknownAllocator &alloc) {
  branch_ = alloc.addUnknown("i(" + name() + ")", UnknownKind::Current);
}

void Inductor::setupMatrix(MatrixBuilder &builder) {
  stamp_.declare(builder, plus_, minus_, branch_);
  builder.entry(branch_, branch_, &selfSlot_);
}

void Inductor::load(const LoadContext &ctx, LoadTarget &out) {
  stamp_.load(ctx.x, plus_, minus_, branch_, out);
  out.addQ(branch_, -inductance_ * ctx.x[static_cast<size_t>(branch_)]);
  out.addC(selfSlot_, -inductance_);
}

void Inductor::applyInitialCondition(std::span<double> x) const {
  if (hasInitialCurrent_) {
    x[static_cast<size_t>(branch_)] = initialCurrent_;
  }
}

namespace {
const DeviceRegistration registration{{
    .letter = 'l',
    .modelType = "",
    .terminals = 2,
    .references = 0,
    .summary = "linear inductor: Lname n+ n- value [ic=] [m=]",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<Inductor>(ctx);
    },
}};
} // namespace

} // namespace dwspice::models
