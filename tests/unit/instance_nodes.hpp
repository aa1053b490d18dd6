// An instance's nodes as a std::vector, to compare with a literal list
// (InstanceSpec keeps them in a small_vector).
#pragma once

#include "core/circuit_spec.hpp"

#include <string>
#include <vector>

namespace dwspice::testkit {

inline std::vector<std::string> nodesOf(const InstanceSpec &instance) {
  return {instance.nodes.begin(), instance.nodes.end()};
}

} // namespace dwspice::testkit
