// Entry point of the analysis layer: runs one analysis of the netlist on an
// assembled circuit and streams its points to an observer.
#pragma once

#include "core/circuit.hpp"
#include "output/solution_observer.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dwspice {

class DaeSystem;

// What one circuit's analyses may keep between runs. Batch runs (one
// circuit, many images) keep one per circuit so that the transient's linear
// reduction (linear_reduction.hpp: a KLU factorisation and a Schur
// complement) is built once, not per image. Only valid for the circuit it
// was first used with, and while linear device values stay unchanged
// (independent sources may change: they are regrouped every run).
struct AnalysisCache {
  AnalysisCache();
  ~AnalysisCache();
  AnalysisCache(AnalysisCache &&) noexcept;
  AnalysisCache &operator=(AnalysisCache &&) noexcept;
  std::unique_ptr<DaeSystem> transientSystem; // set by the first transient
  std::string transientSystemLog;             // why reduced or not
  // The last transient's initial operating point (transientSystem's
  // unknowns) and the excitation b it was solved for, evaluated at that
  // point. A run whose excitation at t = 0 is the same vector solves the same
  // equations from the same guess, so it takes the stored point instead of
  // iterating again (every MNIST image starts from dark pixels: 17 Newton
  // iterations, ~1.3 % of an image, saved).
  std::vector<double> operatingPointExcitation;
  std::vector<double> operatingPoint;
};

struct RunSettings {
  // Called now and then during long analyses with the fraction done (0..1)
  // and a short status (e.g. "t = 3.2 ns"); the CLI turns it into a
  // progress line when stderr is a terminal.
  std::function<void(double fraction, const std::string &status)> progress;
  // Optional; see AnalysisCache. Not owned.
  AnalysisCache *cache = nullptr;
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
