// Assembly: the elaborated circuit turned into an indexed DAE system.
//
// Circuit owns the devices, gives every node and extra unknown an index,
// builds the sparsity pattern once (compressed sparse column, shared by
// G = df/dx and C = dq/dx) and evaluates f, q, b, G and C at a point. The
// analyses drive it and never look at a device's type.
//
// Linear devices are loaded once; afterwards their part of G and C is copied
// from a cache and their part of f and q formed by a sparse product, which
// gives identical numbers at a fraction of the cost.
#pragma once

#include "core/circuit_spec.hpp"
#include "core/cost_counters.hpp"
#include "core/device.hpp"
#include "core/name_index.hpp"
#include "core/slot_space.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map> // kept for includers that relied on it
#include <vector>

namespace dwspice {

struct UnknownInfo {
  std::string name; // node name ("out", "x1.mid") or output name ("i(v1)", "n1#q")
  UnknownKind kind = UnknownKind::Voltage;
  double toleranceScale = 1.0; // absolute tolerance = this × the kind's default (addState)
};

// Compressed sparse column pattern over solver indices 0..n-1 (unknown k is
// index k-1); index type matches SUNDIALS' sunindextype.
struct SparsePattern {
  std::vector<int64_t> columnStarts; // size n+1
  std::vector<int64_t> rowIndices;   // size nnz
  [[nodiscard]] long nonZeros() const { return static_cast<long>(rowIndices.size()); }
};

// f += G·x and q += C·x for constant matrices G and C stored on `pattern`.
// x, f and q are unknown-indexed (entry 0 is ground, never written); columns
// whose x is exactly zero are skipped. An empty c means C = 0 (q is left alone).
void addPatternProducts(const SparsePattern &pattern, std::span<const double> g, std::span<const double> c,
                        std::span<const double> x, std::span<double> f, std::span<double> q);

// The values of one evaluation. Vectors have n+1 entries (entry 0 is the
// ground scratch row). Jacobian arrays have nnz + (ground entries) values:
// the first nnz follow SparsePattern (solver indices), the rest are scratch.
struct Evaluation {
  std::vector<double> f, q, b;
  std::vector<double> dfdx, dqdx;
};

class Circuit {
public:
  // Builds devices through the registry and assembles the system. Throws
  // UserError for unknown devices, bad parameters and topology faults found
  // before solving (voltage-source loops, floating nodes).
  explicit Circuit(const CircuitSpec &spec);
  // The same for a caller that has no further use for spec.instances (the
  // CLI): they are freed as soon as the devices exist, so that the matrix
  // pattern, built next, reuses their memory (a 100k-element circuit then
  // never holds its instances and its pattern at once).
  struct ReleaseInstances {};
  Circuit(CircuitSpec &spec, ReleaseInstances /*tag*/);
  ~Circuit();
  Circuit(const Circuit &) = delete;
  Circuit &operator=(const Circuit &) = delete;

  // Number of unknowns n. Unknown k (1..n) is x[k]; x[0] is ground. The
  // solvers see unknown k as row/column k-1.
  [[nodiscard]] int size() const { return static_cast<int>(unknowns_.size()) - 1; }
  // unknowns()[0] describes ground ("0").
  [[nodiscard]] const std::vector<UnknownInfo> &unknowns() const { return unknowns_; }
  // Absolute tolerance of unknown k (1..size()): defaultAbsoluteTolerance of
  // its kind times the scale its device declared (1 unless a state).
  [[nodiscard]] double absoluteTolerance(int unknown) const;
  [[nodiscard]] std::optional<int> findNode(const std::string &node) const;
  // Index of the unknown with this output name ("i(v1)") or node name.
  [[nodiscard]] std::optional<int> findUnknown(const std::string &name) const;
  [[nodiscard]] Device *findDevice(const std::string &name) const;
  // The same, for a reference a netlist makes (F/H to their source, K to its
  // inductors): throws UserError at `loc` if there is no such element.
  [[nodiscard]] Device &requireDevice(const std::string &name, const SourceLoc &loc) const;

  [[nodiscard]] const SparsePattern &pattern() const { return pattern_; }
  // Slot of the diagonal entry of a voltage node (for gmin to ground).
  [[nodiscard]] MatrixSlot diagonalSlot(int unknown) const {
    return diagonalSlots_[static_cast<size_t>(unknown)];
  }

  [[nodiscard]] const std::vector<std::unique_ptr<Device>> &devices() const { return devices_; }
  // The devices whose loadExcitation() may write: independent sources and
  // the nonlinear devices that do not deny it (Device::hasExcitation).
  [[nodiscard]] const std::vector<Device *> &excitationDevices() const { return excitationDevices_; }
  // Every device linear: f(x) = G·x with constant G, so one Newton step solves it.
  [[nodiscard]] bool isLinear() const { return nonlinearDevices_.empty(); }
  [[nodiscard]] const SimOptions &options() const { return options_; }

  // Evaluates every device at ctx (ctx.x must have size()+1 entries with the
  // last one 0). Results stay valid until the next call.
  const Evaluation &evaluate(const LoadContext &ctx);

  // Points the nonlinear devices' matrix slots into `space`, or back into
  // this circuit's pattern for nullptr, unless they already point there
  // (then this costs a comparison). Whoever loads the nonlinear devices
  // binds its space first; evaluate() binds the pattern. The space must
  // stay alive while bound (a space unbinds itself in its destructor).
  void bindNonlinearSlots(const SlotSpace *space);
  [[nodiscard]] const SlotSpace *boundSlotSpace() const { return boundSpace_; }
  [[nodiscard]] const Evaluation &lastEvaluation() const { return eval_; }

  // Sorted, unique source corners in (0, tstop].
  [[nodiscard]] std::vector<double> breakpoints(double tstop) const;
  [[nodiscard]] double maxTimeStep() const;
  void acceptStep(std::span<const double> x, double time);
  // acceptStep() for the nonlinear devices that need every transient time
  // point (Device::needsEveryTimeStep), and at a transient's last point for
  // the others.
  void acceptTimeStep(std::span<const double> x, double time);
  void acceptLastTimeStep(std::span<const double> x, double time);

  // The netlist's .nodeset and .ic values (node names as written), kept for
  // the analyses: .op seeds Newton with nodesets and holds .ic nodes; .tran
  // uic starts from the .ic values.
  [[nodiscard]] const std::vector<NodeValue> &nodesets() const { return nodesets_; }
  [[nodiscard]] const std::vector<NodeValue> &initialConditions() const { return initialConditions_; }

  // Time and work spent on this circuit since the last reset (see
  // cost_counters.hpp). Mutable through a const circuit on purpose: counting
  // is not part of the circuit's observable state.
  [[nodiscard]] CostCounters &costCounters() const { return costCounters_; }

private:
  // What the topology check needs from pattern building.
  struct GroundEntry {
    int node;        // the non-ground end of an entry in row or column 0
    MatrixSlot slot; // its private scratch slot
  };
  struct TopologyInputs {
    std::vector<GroundEntry> groundEntries;
    std::vector<int> firstDeviceAt; // per unknown: first device with an entry in its row or column (-1: none)
  };

  // Both constructors: devices, then the pattern and the topology checks.
  // `releasable`: the same spec when the caller lets go of its instances
  // (and its name index), which are freed before the pattern is built;
  // nullptr otherwise.
  void assemble(const CircuitSpec &spec, CircuitSpec *releasable);
  void buildDevices(const CircuitSpec &spec, CircuitSpec *releasable);
  TopologyInputs buildPattern();
  void cacheLinearMatrices(const LoadContext &ctx);
  void checkTopology(const TopologyInputs &inputs);

  SimOptions options_;
  std::vector<NodeValue> nodesets_, initialConditions_;
  std::vector<UnknownInfo> unknowns_;
  int nodeCount_ = 0;      // unknowns 1..nodeCount_ are circuit nodes; the rest come from devices
  NameIndex unknownIndex_; // names of unknowns 1..n (ground is matched by name, not stored)
  std::vector<std::unique_ptr<Device>> devices_;
  NameIndex deviceIndex_; // device names -> position in devices_
  std::vector<Device *> linearDevices_, nonlinearDevices_, excitationDevices_;
  // Asked for breakpoints and a step limit: the sources and the nonlinear
  // devices (a linear device that is not a source does not depend on time).
  std::vector<Device *> timedDevices_;
  // Nonlinear devices by Device::needsEveryTimeStep (true, false).
  std::vector<Device *> everyStepDevices_, lastStepDevices_;

  SparsePattern pattern_;
  std::vector<MatrixSlot> diagonalSlots_;

  Evaluation eval_;
  // G and C of the linear devices, loaded once during construction (the
  // topology check needs their DC conductances anyway).
  std::vector<double> linearG_, linearC_;
  const SlotSpace *boundSpace_ = nullptr; // where nonlinear slots point (null: pattern_)
  std::vector<MatrixSlot> patternSlots_;  // their pattern slots, in declaration order, while rebound
  mutable CostCounters costCounters_;
};

} // namespace dwspice
