#include "analysis/dae_system.hpp"

#include "analysis/cost_timer.hpp"

namespace dwspice {

void DaeSystem::addChargeTimes(std::span<const double> dx, std::span<double> r) const {
  const SparsePattern &pattern = this->pattern();
  const std::vector<double> &dqdx = lastEvaluation().dqdx;
  const auto n = static_cast<size_t>(size());
  for (size_t c = 0; c < n; ++c) {
    const double dxc = dx[c];
    if (dxc == 0.0) {
      continue;
    }
    for (int64_t k = pattern.columnStarts[c]; k < pattern.columnStarts[c + 1]; ++k) {
      r[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)])] +=
          dqdx[static_cast<size_t>(k)] * dxc;
    }
  }
}

const Evaluation &FullSystem::evaluate(const LoadContext &ctx) {
  CostCounters &costs = circuit_.costCounters();
  ++costs.residualEvaluations;
  // The circuit's evaluation is one phase here: its device loads and its
  // cached linear products are not separated (that needs circuit.cpp).
  const CostTimer timer(costs.assemblySeconds);
  return circuit_.evaluate(ctx);
}

} // namespace dwspice
