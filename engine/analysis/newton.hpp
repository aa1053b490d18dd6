// Damped-free Newton–Raphson on the DC (or backward-Euler) equations of a
// circuit, with SPICE's convergence test.
//
// Solves  f(x) − s·b(t) + g_shunt·x_V + G_hold·(x − x_held) + α·C(x)·(x − x_prev) = 0
// where s is the source factor (source stepping), g_shunt a conductance to
// ground on every voltage node (gmin stepping), G_hold a stiff source that
// pins chosen unknowns (.ic during the transient's operating point) and α =
// 1/h a backward-Euler companion used to make an initial state consistent.
#pragma once

#include "analysis/dae_system.hpp"
#include "core/circuit.hpp"
#include "numeric/sparse_lu.hpp"

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace dwspice {

// An unknown pinned to a value through a stiff conductance.
struct HeldValue {
  int unknown = 0;
  double value = 0.0;
};

struct NewtonRequest {
  AnalysisMode mode = AnalysisMode::OperatingPoint;
  int maxIterations = 100;
  double time = 0.0;
  double sourceFactor = 1.0;
  double shuntConductance = 0.0; // S from every voltage node to ground
  bool limiting = true;          // device voltage limiting (op/dc only)
  bool initJunctions = false;    // ctx.initJunctions on the first iteration
  bool transientStart = false;   // ctx.transientStart: the operating point that starts a .tran
  std::span<const HeldValue> held;
  double inverseStep = 0.0;         // α of the backward-Euler companion (0: none)
  std::span<const double> previous; // x_prev for the companion (size n+1)
};

struct NewtonOutcome {
  bool converged = false;
  int iterations = 0;                 // linear solves done
  std::optional<int> singularUnknown; // set when the Jacobian was singular
  int worstUnknown = 0;               // largest scaled update of the last iteration
};

class NewtonSolver {
public:
  // Newton on the whole circuit.
  explicit NewtonSolver(Circuit &circuit);
  // Newton on `system` (e.g. the circuit with its linear block eliminated);
  // unknown indices in requests and outcomes are the system's.
  explicit NewtonSolver(DaeSystem &system);

  [[nodiscard]] DaeSystem &system() const { return system_; }

  // Iterates from x (size n+1, x[0] = 0) in place. On failure x holds the
  // last iterate.
  NewtonOutcome solve(std::vector<double> &x, const NewtonRequest &request);

  [[nodiscard]] const SparseLU &factorization() const { return lu_; }

  // Conductance of the stiff source that pins held unknowns, S.
  static constexpr double kHoldConductance = 1e10;

private:
  explicit NewtonSolver(std::unique_ptr<FullSystem> owned);
  // Adds the shunt, hold and companion terms to residual_ and jacobian_.
  void addExtraTerms(const std::vector<double> &x, const NewtonRequest &request, const Evaluation &eval);
  [[nodiscard]] bool residualSmall(const std::vector<double> &x, const Evaluation &eval) const;

  std::unique_ptr<FullSystem> ownedSystem_; // when built on a circuit
  DaeSystem &system_;
  SparseLU lu_;
  std::vector<double> jacobian_;    // nnz values over the circuit pattern
  std::vector<double> residual_;    // n values (solver indices)
  std::vector<double> voltageMask_; // 1 for voltage unknowns (shunts), by unknown index
};

} // namespace dwspice
