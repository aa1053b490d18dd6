// Where the time of a run goes, for the per-image cost split of batch runs
// (`--report`) and for benchmarks. The analyses and the linear solver add to
// the counters of the circuit they work on; a caller resets them between
// runs. Plain numbers: a Circuit is used by one thread at a time.
#pragma once

namespace dwspice {

struct CostCounters {
  double assemblySeconds = 0;      // forming f, q, b, G, C and the solver matrix
  double deviceSeconds = 0;        // inside nonlinear device load() calls
  double factorSeconds = 0;        // numeric LU factorisations
  double solveSeconds = 0;         // triangular solves
  long residualEvaluations = 0;    // circuit evaluations
  long factorizations = 0;
  long solves = 0;

  void reset() { *this = CostCounters{}; }
  CostCounters &operator+=(const CostCounters &other) {
    assemblySeconds += other.assemblySeconds;
    deviceSeconds += other.deviceSeconds;
    factorSeconds += other.factorSeconds;
    solveSeconds += other.solveSeconds;
    residualEvaluations += other.residualEvaluations;
    factorizations += other.factorizations;
    solves += other.solves;
    return *this;
  }
};

} // namespace dwspice
