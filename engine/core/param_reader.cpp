#include "core/param_reader.hpp"

#include <fmt/core.h>

namespace dwspice {

ParamReader::ParamReader(const ModelSpec &model)
    : values_(model.params), locs_(model.paramLocs), cardLoc_(model.loc),
      owner_(fmt::format("model '{}' ({})", model.name, model.type)) {}

ParamReader::ParamReader(const InstanceSpec &instance)
    : cardLoc_(instance.loc), owner_(fmt::format("instance '{}'", instance.name)) {
  for (const CardArg &arg : instance.args) {
    if (arg.kind == CardArg::Kind::Assign) {
      if (values_.count(arg.name) != 0) {
        throw UserError(arg.loc, fmt::format("parameter '{}' given twice", arg.name));
      }
      values_[arg.name] = arg.value;
      locs_[arg.name] = arg.loc;
    }
  }
}

bool ParamReader::has(const std::string &name) const { return values_.count(name) != 0; }

double ParamReader::get(const std::string &name, double fallback) {
  used_.insert(name);
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

double ParamReader::get(const std::string &name, double fallback, double low, double high) {
  const double value = get(name, fallback);
  if (!(value >= low && value <= high)) {
    throw UserError(where(name), fmt::format("{}: parameter '{}' = {:g} is outside [{:g}, {:g}]",
                                             owner_, name, value, low, high));
  }
  return value;
}

SourceLoc ParamReader::where(const std::string &name) const {
  const auto it = locs_.find(name);
  return it == locs_.end() ? cardLoc_ : it->second;
}

void ParamReader::finish() const {
  for (const auto &[name, value] : values_) {
    if (used_.count(name) == 0) {
      throw UserError(where(name), fmt::format("{} has no parameter '{}'", owner_, name));
    }
  }
}

} // namespace dwspice
