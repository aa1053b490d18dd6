// How analyses name an unknown in messages: "node 'out'", "branch i(v3)",
// "state 'n1#q'".
#pragma once

#include "core/circuit.hpp"

#include <string>

namespace dwspice {

std::string describeUnknown(const Circuit &circuit, int unknown);

} // namespace dwspice
