// The equations the solvers work on: either the whole circuit (FullSystem)
// or the circuit with its large linear, charge-free block eliminated
// (ReducedSystem, linear_reduction.hpp).
//
// Both present the same DAE F(x, x', t) = f(x) + C(x)·x' − b(t) = 0 over
// their own unknowns 1..size() (x[0] is ground, as in Circuit), with one
// sparsity pattern for G and C. Newton, the operating point and the
// transient see only this interface, so the reduction changes how many
// unknowns they integrate, not how they integrate them.
#pragma once

#include "core/circuit.hpp"

#include <span>

namespace dwspice {

class DaeSystem {
public:
  virtual ~DaeSystem() = default;
  DaeSystem() = default;
  DaeSystem(const DaeSystem &) = delete;
  DaeSystem &operator=(const DaeSystem &) = delete;

  [[nodiscard]] virtual Circuit &circuit() const = 0;
  [[nodiscard]] virtual int size() const = 0;
  [[nodiscard]] virtual const SparsePattern &pattern() const = 0;
  // Slot of the diagonal entry of unknown k (1..size()).
  [[nodiscard]] virtual MatrixSlot diagonalSlot(int unknown) const = 0;
  [[nodiscard]] virtual UnknownKind kind(int unknown) const = 0;
  // The circuit unknown that unknown k of this system is (for messages and
  // for mapping .ic/.nodeset values).
  [[nodiscard]] virtual int circuitUnknown(int unknown) const = 0;
  // The inverse: this system's index of circuit unknown k, 0 if eliminated.
  [[nodiscard]] virtual int systemUnknown(int circuitUnknown) const = 0;
  [[nodiscard]] const SimOptions &options() const { return circuit().options(); }

  // Evaluates at ctx (ctx.x has size()+1 entries, x[0] = 0). Results stay
  // valid until the next call. Vectors have size()+1 entries, Jacobian arrays
  // at least pattern().nonZeros() values.
  virtual const Evaluation &evaluate(const LoadContext &ctx) = 0;
  [[nodiscard]] virtual const Evaluation &lastEvaluation() const = 0;
  // The same for the transient residual, which reads f and b and needs C
  // only as the product C·x' (addChargeTimes); called about ten times as often
  // as the Jacobian. dfdx may be left stale until completeJacobian(), q and
  // dq/dx until completeCharges(); each fills them in for that point
  // (completeJacobian() includes completeCharges()).
  virtual const Evaluation &evaluateResidual(const LoadContext &ctx) { return evaluate(ctx); }
  virtual void completeJacobian() {}
  virtual void completeCharges() {}
  // dq/dx alone (q may stay stale): what the error weights need first.
  virtual void completeCapacitance() { completeCharges(); }
  // r += C·dx at the last evaluation (solver indices: no ground entry in r or
  // dx), whether or not its dq/dx has been completed.
  virtual void addChargeTimes(std::span<const double> dx, std::span<double> r) const;

  // The full circuit vector (circuit().size()+1 entries) for a point x of
  // this system at ctx.time / ctx.sourceFactor / ctx.mode (eliminated
  // unknowns are reconstructed).
  virtual void expand(std::span<const double> x, const LoadContext &ctx, std::span<double> full) = 0;
  // This system's part of a full circuit vector.
  virtual void restrict(std::span<const double> full, std::span<double> x) const = 0;

  // Adjusts the integrator's error weights (one per unknown of this system,
  // no ground entry) so that the local error test means what it means on the
  // full circuit. The default (full system) leaves them alone.
  virtual void adjustErrorWeights(std::span<double> /*weights*/) const {}
};

// The circuit itself, unknown for unknown.
class FullSystem final : public DaeSystem {
public:
  explicit FullSystem(Circuit &circuit) : circuit_(circuit) {}

  [[nodiscard]] Circuit &circuit() const override { return circuit_; }
  [[nodiscard]] int size() const override { return circuit_.size(); }
  [[nodiscard]] const SparsePattern &pattern() const override { return circuit_.pattern(); }
  [[nodiscard]] MatrixSlot diagonalSlot(int unknown) const override { return circuit_.diagonalSlot(unknown); }
  [[nodiscard]] UnknownKind kind(int unknown) const override {
    return circuit_.unknowns()[static_cast<size_t>(unknown)].kind;
  }
  [[nodiscard]] int circuitUnknown(int unknown) const override { return unknown; }
  [[nodiscard]] int systemUnknown(int circuitUnknown) const override { return circuitUnknown; }
  const Evaluation &evaluate(const LoadContext &ctx) override;
  [[nodiscard]] const Evaluation &lastEvaluation() const override { return circuit_.lastEvaluation(); }
  void expand(std::span<const double> x, const LoadContext & /*ctx*/, std::span<double> full) override {
    std::copy(x.begin(), x.end(), full.begin());
  }
  void restrict(std::span<const double> full, std::span<double> x) const override {
    std::copy(full.begin(), full.begin() + static_cast<long>(x.size()), x.begin());
  }

private:
  Circuit &circuit_;
};

} // namespace dwspice
