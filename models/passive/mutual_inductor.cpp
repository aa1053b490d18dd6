// K: mutual coupling between two inductors.
//
//   Kname Lname1 Lname2 k        (or k=value / coupling=value)
//
// Adds M = k·sqrt(L1·L2) to the two branch equations:
//   q(branch1) −= M·i2,   q(branch2) −= M·i1,
// so v1 = L1·di1/dt + M·di2/dt with both currents flowing into the inductors'
// first (dotted) nodes, as in SPICE. |k| ≤ 1 (k = 1 is ideal coupling).
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "passive/element_value.hpp"
#include "passive/inductor.hpp"

#include <cmath>
#include <fmt/core.h>

namespace dwspice::models {
namespace {

class MutualInductor final : public Device {
public:
  explicit MutualInductor(const DeviceBuildContext &ctx) : Device(ctx.spec.name, ctx.spec.loc) {
    if (ctx.spec.references.size() != 2) {
      throw UserError(location(), fmt::format("'{}' needs the names of two inductors", name()));
    }
    firstName_ = ctx.spec.references[0];
    secondName_ = ctx.spec.references[1];
    ParamReader params(ctx.spec);
    const ElementValue k = readElementValue(ctx.spec, params, {"k", "coupling"}, "coupling coefficient");
    params.finish();
    if (!(std::abs(k.value) <= 1.0)) {
      throw UserError(k.loc,
                      fmt::format("'{}': coupling coefficient {:g} is outside [-1, 1]", name(), k.value));
    }
    if (firstName_ == secondName_) {
      throw UserError(location(), fmt::format("'{}' couples inductor '{}' with itself", name(), firstName_));
    }
    coupling_ = k.value;
  }

  void setupMatrix(MatrixBuilder &builder) override {
    const Inductor &first = inductorNamed(builder, firstName_);
    const Inductor &second = inductorNamed(builder, secondName_);
    const double product = first.inductance() * second.inductance();
    if (product < 0.0) {
      throw UserError(location(),
                      fmt::format("'{}': cannot couple inductors of opposite sign ('{}' and '{}')", name(),
                                  firstName_, secondName_));
    }
    mutual_ = coupling_ * std::sqrt(product);
    firstBranch_ = first.branchIndex();
    secondBranch_ = second.branchIndex();
    builder.entry(firstBranch_, secondBranch_, &firstSecond_);
    builder.entry(secondBranch_, firstBranch_, &secondFirst_);
  }

  void load(const LoadContext &ctx, LoadTarget &out) override {
    out.addQ(firstBranch_, -mutual_ * ctx.x[static_cast<size_t>(secondBranch_)]);
    out.addQ(secondBranch_, -mutual_ * ctx.x[static_cast<size_t>(firstBranch_)]);
    out.addC(firstSecond_, -mutual_);
    out.addC(secondFirst_, -mutual_);
  }

  [[nodiscard]] bool isLinear() const override { return true; }
  [[nodiscard]] double mutualInductance() const { return mutual_; }

private:
  const Inductor &inductorNamed(MatrixBuilder &builder, const std::string &reference) const {
    Device &device = builder.device(reference, location());
    const auto *inductor = dynamic_cast<const Inductor *>(&device);
    if (inductor == nullptr) {
      throw UserError(location(), fmt::format("'{}': '{}' is not an inductor", name(), reference));
    }
    return *inductor;
  }

  std::string firstName_, secondName_;
  double coupling_ = 0.0;
  double mutual_ = 0.0;
  int firstBranch_ = -1, secondBranch_ = -1;
  MatrixSlot firstSecond_ = 0, secondFirst_ = 0;
};

const DeviceRegistration registration{{
    .letter = 'k',
    .modelType = "",
    .terminals = 0,
    .references = 2,
    .summary = "mutual inductance: Kname L1 L2 k",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<MutualInductor>(ctx);
    },
}};

} // namespace
} // namespace dwspice::models
