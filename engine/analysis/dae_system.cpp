#include "analysis/dae_system.hpp"

#include "analysis/cost_timer.hpp"

namespace dwspice {

const Evaluation &FullSystem::evaluate(const LoadContext &ctx) {
  CostCounters &costs = circuit_.costCounters();
  ++costs.residualEvaluations;
  // The circuit's evaluation is one phase here: its device loads and its
  // cached linear products are not separated (that needs circuit.cpp).
  const CostTimer timer(costs.assemblySeconds);
  return circuit_.evaluate(ctx);
}

} // namespace dwspice
