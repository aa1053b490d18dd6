#include "analysis/newton.hpp"

#include "analysis/cost_timer.hpp"

#include <algorithm>
#include <cmath>

namespace dwspice {

NewtonSolver::NewtonSolver(Circuit &circuit) : NewtonSolver(std::make_unique<FullSystem>(circuit)) {}

NewtonSolver::NewtonSolver(std::unique_ptr<FullSystem> owned) : NewtonSolver(*owned) {
  ownedSystem_ = std::move(owned); // the reference taken above stays valid: only the pointer moves
}

NewtonSolver::NewtonSolver(DaeSystem &system)
    : system_(system), lu_(system.pattern().columnStarts, system.pattern().rowIndices),
      jacobian_(static_cast<size_t>(system.pattern().nonZeros()), 0.0),
      residual_(static_cast<size_t>(system.size()), 0.0),
      voltageMask_(static_cast<size_t>(system.size()) + 1, 0.0) {
  for (int k = 1; k <= system.size(); ++k) {
    if (system.kind(k) == UnknownKind::Voltage) {
      voltageMask_[static_cast<size_t>(k)] = 1.0;
    }
  }
}

void NewtonSolver::addExtraTerms(const std::vector<double> &x, const NewtonRequest &request,
                                 const Evaluation &eval) {
  const int n = system_.size();
  if (request.shuntConductance != 0.0) {
    for (int k = 1; k <= n; ++k) {
      if (voltageMask_[static_cast<size_t>(k)] != 0.0) {
        residual_[static_cast<size_t>(k) - 1] += request.shuntConductance * x[static_cast<size_t>(k)];
        jacobian_[static_cast<size_t>(system_.diagonalSlot(k))] += request.shuntConductance;
      }
    }
  }
  for (const HeldValue &hold : request.held) {
    const auto k = static_cast<size_t>(hold.unknown);
    residual_[k - 1] += kHoldConductance * (x[k] - hold.value);
    jacobian_[static_cast<size_t>(system_.diagonalSlot(hold.unknown))] += kHoldConductance;
  }
  if (request.inverseStep != 0.0) {
    // α·C(x)·(x − x_prev) with Jacobian α·C (the dC/dx·Δx term is left out:
    // it vanishes for linear charges and only slows convergence otherwise).
    const SparsePattern &pattern = system_.pattern();
    for (int c = 0; c < n; ++c) {
      const double dx = x[static_cast<size_t>(c) + 1] - request.previous[static_cast<size_t>(c) + 1];
      for (int64_t k = pattern.columnStarts[static_cast<size_t>(c)];
           k < pattern.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
        const double cValue = request.inverseStep * eval.dqdx[static_cast<size_t>(k)];
        residual_[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)])] += cValue * dx;
        jacobian_[static_cast<size_t>(k)] += cValue;
      }
    }
  }
}

// SPICE-style check that the equations themselves are satisfied: each row's
// imbalance must be small against the size of its terms (the excitation and
// the diagonal conductance times the unknown stand in for those), plus an
// absolute floor in the row's units (KCL rows: A; branch rows: V).
bool NewtonSolver::residualSmall(const std::vector<double> &x, const Evaluation &eval) const {
  const SimOptions &options = system_.options();
  const int n = system_.size();
  for (int k = 1; k <= n; ++k) {
    const auto i = static_cast<size_t>(k);
    const double diagonalTerm = jacobian_[static_cast<size_t>(system_.diagonalSlot(k))] * x[i];
    const double scale = std::max({std::abs(eval.b[i]), std::abs(diagonalTerm), std::abs(eval.f[i])});
    const double floor = voltageMask_[i] != 0.0 ? options.abstol : options.vntol;
    if (!(std::abs(residual_[i - 1]) <= options.reltol * scale + floor)) {
      return false;
    }
  }
  return true;
}

NewtonOutcome NewtonSolver::solve(std::vector<double> &x, const NewtonRequest &request) {
  const int n = system_.size();
  const SimOptions &options = system_.options();
  const auto nnz = static_cast<size_t>(system_.pattern().nonZeros());
  x[0] = 0.0;
  NewtonOutcome outcome;
  bool updateSmall = false; // the previous update passed the per-unknown test
  // A linear circuit's first update is the solution (up to rounding): its
  // residual decides, without a second factorisation and solve whose update
  // would be rounding noise. (SPICE iterates twice; for the 784x128
  // crossbar that confirmation was half of the .op: 13 -> 6 ms.)
  const bool linear = system_.circuit().isLinear();
  for (int iteration = 0;; ++iteration) {
    LoadContext ctx;
    ctx.x = x;
    ctx.time = request.time;
    ctx.sourceFactor = request.sourceFactor;
    ctx.gmin = options.gmin;
    ctx.mode = request.mode;
    ctx.limiting = request.limiting;
    ctx.initJunctions = request.initJunctions && iteration == 0;
    ctx.temperature = options.temp + 273.15;
    ctx.options = &options;
    ctx.transientStart = request.transientStart;
    // Devices count iterations whose limiting moved a voltage (SPICE's
    // noncon): their f is a linearisation about the limited point, so such
    // an iterate is never accepted however small its residual looks.
    int limitedDevices = 0;
    ctx.limitedDevices = &limitedDevices;
    const Evaluation &eval = system_.evaluate(ctx);
    bool finite = true;
    for (int k = 1; k <= n; ++k) {
      const double r = eval.f[static_cast<size_t>(k)] - eval.b[static_cast<size_t>(k)];
      residual_[static_cast<size_t>(k) - 1] = r;
      finite = finite && std::isfinite(r);
    }
    std::copy(eval.dfdx.begin(), eval.dfdx.begin() + static_cast<long>(nnz), jacobian_.begin());
    addExtraTerms(x, request, eval);
    if (!finite) {
      return outcome;
    }
    if ((updateSmall || (linear && outcome.iterations > 0)) && limitedDevices == 0 &&
        residualSmall(x, eval)) {
      outcome.converged = true;
      return outcome;
    }
    if (iteration >= request.maxIterations) {
      return outcome;
    }
    CostCounters &costs = system_.circuit().costCounters();
    SparseLU::FactorResult factored;
    {
      const CostTimer timer(costs.factorSeconds);
      factored = lu_.factor(jacobian_);
      ++costs.factorizations;
    }
    if (!factored.ok) {
      outcome.singularUnknown = factored.singularColumn ? static_cast<int>(*factored.singularColumn) + 1 : 0;
      return outcome;
    }
    for (double &r : residual_) {
      r = -r;
    }
    {
      const CostTimer timer(costs.solveSeconds);
      lu_.solve(residual_); // now the update Δx
      ++costs.solves;
    }
    ++outcome.iterations;
    updateSmall = true;
    double worst = -1.0;
    for (int k = 1; k <= n; ++k) {
      const auto i = static_cast<size_t>(k);
      const double delta = residual_[i - 1];
      const double updated = x[i] + delta;
      if (!std::isfinite(updated)) {
        return outcome;
      }
      const double floor = system_.circuit().absoluteTolerance(system_.circuitUnknown(k));
      const double tolerance = options.reltol * std::max(std::abs(updated), std::abs(x[i])) + floor;
      const double scaled = std::abs(delta) / tolerance;
      if (scaled > 1.0) {
        updateSmall = false;
      }
      if (scaled > worst) {
        worst = scaled;
        outcome.worstUnknown = k;
      }
      x[i] = updated;
    }
  }
}

} // namespace dwspice
