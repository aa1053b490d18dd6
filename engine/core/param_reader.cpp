#include "core/param_reader.hpp"

#include <algorithm>
#include <fmt/core.h>

namespace dwspice {

ParamReader::ParamReader(const ModelSpec &model)
    : cardLoc_(model.loc), isModel_(true), ownerName_(model.name), ownerType_(model.type) {
  given_.reserve(model.params.size());
  for (const auto &[name, value] : model.params) { // a std::map: already sorted and unique
    const auto loc = model.paramLocs.find(name);
    given_.push_back({name, value, loc == model.paramLocs.end() ? model.loc : loc->second, false});
  }
}

ParamReader::ParamReader(const InstanceSpec &instance) : cardLoc_(instance.loc), ownerName_(instance.name) {
  for (const CardArg &arg : instance.args) {
    if (arg.kind == CardArg::Kind::Assign) {
      if (findGiven(arg.name) != nullptr) {
        throw UserError(arg.loc, fmt::format("parameter '{}' given twice", arg.name));
      }
      given_.push_back({arg.name, arg.value, arg.loc, false});
    }
  }
  std::sort(given_.begin(), given_.end(), [](const Given &a, const Given &b) { return a.name < b.name; });
}

const ParamReader::Given *ParamReader::findGiven(std::string_view name) const {
  const auto it = std::find_if(given_.begin(), given_.end(), [&](const Given &g) { return g.name == name; });
  return it == given_.end() ? nullptr : &*it;
}

std::string ParamReader::owner() const {
  return isModel_ ? fmt::format("model '{}' ({})", ownerName_, ownerType_)
                  : fmt::format("instance '{}'", ownerName_);
}

double ParamReader::getGiven(std::string_view name, double fallback) {
  const Given *given = findGiven(name);
  if (given == nullptr) {
    return fallback;
  }
  given_[static_cast<std::size_t>(given - given_.data())].used = true;
  return given->value;
}

double ParamReader::get(std::string_view name, double fallback, double low, double high) {
  const double value = get(name, fallback);
  if (!(value >= low && value <= high)) {
    throw UserError(where(name), fmt::format("{}: parameter '{}' = {:g} is outside [{:g}, {:g}]", owner(),
                                             name, value, low, high));
  }
  return value;
}

SourceLoc ParamReader::where(std::string_view name) const {
  const Given *given = findGiven(name);
  return given == nullptr ? cardLoc_ : given->loc;
}

void ParamReader::finish() const {
  for (const Given &given : given_) { // in name order, as a report should be
    if (!given.used) {
      throw UserError(given.loc, fmt::format("{} has no parameter '{}'", owner(), given.name));
    }
  }
}

} // namespace dwspice
