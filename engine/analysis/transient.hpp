// .tran with SUNDIALS IDA (variable-order, variable-step BDF) and KLU.
#pragma once

#include "analysis/analysis.hpp"

namespace dwspice {

AnalysisSummary runTransient(Circuit &circuit, const TranAnalysisSpec &spec, const SourceLoc &where,
                             SolutionObserver &observer, const RunSettings &settings);

} // namespace dwspice
