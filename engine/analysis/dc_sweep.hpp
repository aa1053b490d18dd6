// .dc: sweeps one independent source (optionally nested in a second one),
// continuing Newton from the previous point.
#pragma once

#include "analysis/analysis.hpp"

namespace dwspice {

AnalysisSummary runDcSweep(Circuit &circuit, const DcAnalysisSpec &spec, const SourceLoc &where,
                           SolutionObserver &observer, const RunSettings &settings);

// The sweep values start, start+step, … up to stop (inclusive within
// rounding). Throws UserError at the sweep's location for a zero step or a
// step pointing away from stop.
std::vector<double> sweepValues(const DcSweepSpec &sweep);

} // namespace dwspice
