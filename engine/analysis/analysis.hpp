// Entry point of the analysis layer: runs one analysis of the netlist on an
// assembled circuit and streams its points to an observer.
#pragma once

#include "core/circuit.hpp"
#include "output/solution_observer.hpp"

#include <functional>
#include <string>

namespace dwspice {

struct RunSettings {
  // Called now and then during long analyses with the fraction done (0..1)
  // and a short status (e.g. "t = 3.2 ns"); the CLI turns it into a
  // progress line when stderr is a terminal.
  std::function<void(double fraction, const std::string &status)> progress;
};

// What happened, for the log: e.g. "operating point: Newton converged in 7
// iterations" or "operating point: gmin stepping (12 steps)".
struct AnalysisSummary {
  std::string text;
};

// Throws UserError (at the analysis card) when the analysis cannot be
// completed: no convergence, singular matrix (naming the unknown), time step
// too small (naming the time).
AnalysisSummary runAnalysis(Circuit &circuit, const AnalysisSpec &analysis, SolutionObserver &observer,
                            const RunSettings &settings);

} // namespace dwspice
