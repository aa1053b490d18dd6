// Reading named parameters of a model or an instance, with defaults and a
// clear error for parameters the device does not know.
//
//   ParamReader model(*ctx.spec.model);
//   const double is = model.get("is", 1e-14);
//   model.finish();   // throws UserError naming any parameter never read
#pragma once

#include "core/circuit_spec.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dwspice {

class ParamReader {
public:
  explicit ParamReader(const ModelSpec &model);
  // Instance parameters: the Assign args of the card. Other arg kinds are
  // left to the device (positional()).
  explicit ParamReader(const InstanceSpec &instance);

  // Inline, with the no-parameters case first: devices are built by the
  // 100k, most with no named parameter at all.
  [[nodiscard]] bool has(std::string_view name) const {
    return !given_.empty() && findGiven(name) != nullptr;
  }
  double get(std::string_view name, double fallback) {
    if (given_.empty()) {
      return fallback;
    }
    return getGiven(name, fallback);
  }
  // Like get() but rejects values outside [low, high] with an error at the
  // parameter's location.
  double get(std::string_view name, double fallback, double low, double high);
  // Location of a parameter (or of the card if it was not given).
  [[nodiscard]] SourceLoc where(std::string_view name) const;
  // Throws UserError for the first parameter that was given but never read.
  void finish() const;

private:
  // One parameter as written. A sorted vector rather than maps: devices are
  // built by the 100k in big netlists, most with no named parameter at all,
  // and a reader must then cost no allocation.
  struct Given {
    std::string name;
    double value = 0.0;
    SourceLoc loc;
    bool used = false;
  };
  [[nodiscard]] const Given *findGiven(std::string_view name) const;
  double getGiven(std::string_view name, double fallback);
  [[nodiscard]] std::string owner() const; // "model 'dmod' (d)" / "instance 'd1'" for messages

  std::vector<Given> given_; // sorted by name, unique
  SourceLoc cardLoc_;
  bool isModel_ = false;
  // The spec's own strings (the spec outlives the reader), formatted into
  // owner() only when a message needs them.
  std::string_view ownerName_;
  std::string_view ownerType_;
};

} // namespace dwspice
