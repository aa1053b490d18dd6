// Helpers shared by the controlled sources E, G, F and H.
#pragma once

#include "core/circuit_spec.hpp"
#include "core/device.hpp"

#include <string>

#include <span>

namespace dwspice::models {

// Rejects the polynomial/behavioural forms (POLY(n) …, VALUE=, TABLE) with a
// clear message instead of a confusing "unexpected value" further on.
void rejectNonlinearForms(const InstanceSpec &spec);

// The name of the one device a current-controlled source (F, H) refers to.
const std::string &controllingName(const InstanceSpec &spec);

// Resolves the controlling device of F/H to its branch-current unknown.
// Throws UserError at `loc` if there is no such device or it has no branch
// current (only V, L, E and H have one).
int controllingBranch(MatrixBuilder &builder, const std::string &owner, const std::string &reference,
                      const SourceLoc &loc);

// Power a controlled source delivers into the circuit (W), for energy
// accounting. Current output: the current leaves the source at n−, so the
// power is (v− − v+)·I. Voltage output with a branch current flowing into n+:
// −(v+ − v−)·i, as for an independent voltage source.
[[nodiscard]] inline double currentOutputPower(std::span<const double> x, int plus, int minus,
                                               double current) {
  return (x[static_cast<size_t>(minus)] - x[static_cast<size_t>(plus)]) * current;
}
[[nodiscard]] inline double branchOutputPower(std::span<const double> x, int plus, int minus, int branch) {
  return -(x[static_cast<size_t>(plus)] - x[static_cast<size_t>(minus)]) * x[static_cast<size_t>(branch)];
}

} // namespace dwspice::models
