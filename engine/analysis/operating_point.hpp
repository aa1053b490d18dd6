// The DC operating point: Newton, then gmin stepping, then source stepping.
#pragma once

#include "analysis/newton.hpp"
#include "core/circuit.hpp"

#include <span>
#include <string>
#include <vector>

namespace dwspice {

struct OperatingPointSettings {
  AnalysisMode mode = AnalysisMode::OperatingPoint;
  int iterationLimit = 100;        // per Newton solve (itl1)
  std::span<const HeldValue> held; // unknowns pinned during the solve (.ic in .tran)
  bool transientStart = false;     // the operating point that starts a .tran (sources at t = 0)
};

struct OperatingPointResult {
  std::vector<double> x;                      // size n+1, x[0] = 0
  std::string method;                         // "Newton", "gmin stepping", "source stepping"
  int iterations = 0;                         // Newton iterations in all attempts
  int steps = 0;                              // continuation steps of the method that converged
  [[nodiscard]] std::string describe() const; // "Newton converged in 7 iterations"
};

// Solves the operating point starting from `initialGuess` (size n+1).
// Throws UserError at `where` if every method fails, naming a singular
// unknown or the unknown that failed to converge.
OperatingPointResult solveOperatingPoint(Circuit &circuit, NewtonSolver &newton,
                                         const std::vector<double> &initialGuess,
                                         const OperatingPointSettings &settings, const SourceLoc &where);

// The first Newton iterate: zeros, with `.nodeset` values filled in. Throws
// UserError for a nodeset on a node that does not exist.
std::vector<double> nodesetGuess(const Circuit &circuit);

// Resolves `.ic` node values to unknowns (UserError for unknown nodes).
std::vector<HeldValue> initialConditionValues(const Circuit &circuit);

} // namespace dwspice
