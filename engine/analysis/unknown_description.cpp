#include "analysis/unknown_description.hpp"

#include <fmt/core.h>

namespace dwspice {

std::string describeUnknown(const Circuit &circuit, int unknown) {
  if (unknown <= 0 || unknown > circuit.size()) {
    return fmt::format("unknown #{}", unknown);
  }
  const UnknownInfo &info = circuit.unknowns()[static_cast<size_t>(unknown)];
  switch (info.kind) {
  case UnknownKind::Voltage:
    return fmt::format("node '{}'", info.name);
  case UnknownKind::Current:
    return fmt::format("branch {}", info.name);
  case UnknownKind::Charge:
  case UnknownKind::State:
    return fmt::format("state '{}'", info.name);
  }
  return info.name;
}

} // namespace dwspice
