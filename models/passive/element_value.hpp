// The principal value of a two-terminal element card (R, C, L), given either
// positionally (`R1 a b 1k`) or by name (`R1 a b r=1k`).
#pragma once

#include "core/circuit_spec.hpp"
#include "core/param_reader.hpp"

#include <initializer_list>
#include <string>

namespace dwspice::models {

struct ElementValue {
  double value = 0.0;
  SourceLoc loc; // where the value was written (the card if it was missing)
};

// Reads the value from the single positional Value arg or from the first of
// `names` that was assigned. Exactly one form must be present; any Word or
// Group arg, or a second positional value, is an error at that arg. `what`
// names the quantity in messages ("resistance").
ElementValue readElementValue(const InstanceSpec &spec, ParamReader &params,
                              std::initializer_list<std::string_view> names, std::string_view what);

} // namespace dwspice::models
