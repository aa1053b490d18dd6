#include "passive/element_value.hpp"

#include <cmath>
#include <fmt/core.h>

namespace dwspice::models {

ElementValue readElementValue(const InstanceSpec &spec, ParamReader &params,
                              std::initializer_list<std::string_view> names, std::string_view what) {
  const CardArg *positional = nullptr;
  for (const CardArg &arg : spec.args) {
    switch (arg.kind) {
    case CardArg::Kind::Assign:
      break; // named parameters are ParamReader's business
    case CardArg::Kind::Value:
      if (positional != nullptr) {
        throw UserError(
            arg.loc, fmt::format("'{}': unexpected second value (the {} is already given)", spec.name, what));
      }
      positional = &arg;
      break;
    case CardArg::Kind::Word:
    case CardArg::Kind::Group:
      throw UserError(arg.loc, fmt::format("'{}': unexpected '{}' (expected a {} value or name=value)",
                                           spec.name, arg.name, what));
    }
  }
  std::string_view named;
  for (const std::string_view name : names) {
    if (params.has(name)) {
      if (!named.empty()) {
        throw UserError(params.where(name),
                        fmt::format("'{}': {} given twice ('{}' and '{}')", spec.name, what, named, name));
      }
      named = name;
    }
  }
  if (positional != nullptr && !named.empty()) {
    throw UserError(params.where(named),
                    fmt::format("'{}': {} given twice (positionally and as '{}')", spec.name, what, named));
  }
  if (positional == nullptr && named.empty()) {
    throw UserError(spec.loc, fmt::format("'{}': missing {} value", spec.name, what));
  }
  const ElementValue result = !named.empty() ? ElementValue{params.get(named, 0.0), params.where(named)}
                                             : ElementValue{positional->value, positional->loc};
  if (!std::isfinite(result.value)) {
    throw UserError(result.loc, fmt::format("'{}': {} is not a finite number", spec.name, what));
  }
  return result;
}

} // namespace dwspice::models
