// Linear-subnetwork reduction: the circuit with its large linear, charge-free
// block eliminated exactly by a Schur complement.
//
// Partition the unknowns into L (touched only by linear devices, with no
// charge in their rows or columns) and N (the rest). The rows of L are
// algebraic and linear:
//
//     A_LL·x_L + A_LN·x_N = b_L(t)   ⇒   x_L = A_LL⁻¹·(b_L(t) − A_LN·x_N)
//
// so the rows of N become
//
//     (A_NN − A_NL·A_LL⁻¹·A_LN)·x_N + f_nl(x_N) + C·x_N' = b_N(t) − A_NL·A_LL⁻¹·b_L(t),
//
// a DAE over N only, with the same solution for x_N (up to rounding). The
// Schur complement is formed once per circuit (one KLU factorisation of
// A_LL and one solve per column of A_LN that is nonzero). A crossbar read
// out by current conveyors is the case this is for: its ~10⁵ synapse
// conductances, rows and columns are all in L, and N is the few hundred
// unknowns of the neurons and drivers.
//
// The excitation term is the expensive part if done naively (a solve per
// evaluation). Sources are instead grouped per run into *shape classes*:
// rows of b_L whose values are proportional over the whole run (all PULSE
// inputs with the same timing, whatever their amplitude, are one class).
// Then b_L(t) = Σ_k w_k(t)·c_k, and A_NL·A_LL⁻¹·c_k and A_LL⁻¹·c_k are
// precomputed once per run, so an evaluation costs O(classes·|N|). Classes
// are found by sampling every source at the run's breakpoints and between
// them, and *checked on every evaluation*: a row of b_L that does not match
// its class at that time makes that evaluation use the exact solve instead.
// So a wrong grouping can cost time but never accuracy.
//
// Eliminated unknowns are reconstructed only on request (expand(): output
// points, accepted steps), as x_L = Σ_k w_k·A_LL⁻¹c_k − P·x_N with P =
// A_LL⁻¹·A_LN kept sparse.
//
// Policy (`.options`): `noreduce` switches the reduction off; `reduce`
// forces it whenever a block can be eliminated (tests use it on small
// circuits); otherwise it is used when it pays: at least kMinEliminated
// unknowns and at least half of the matrix entries eliminated.
#pragma once

#include "analysis/dae_system.hpp"
#include "core/slot_space.hpp"
#include "numeric/sparse_lu.hpp"

#include <memory>
#include <string>
#include <vector>

namespace dwspice {

class ReducedSystem final : public DaeSystem {
  // Only build() can name this, so only build() constructs (through
  // make_unique, which needs a public constructor).
  struct BuildKey {
    explicit BuildKey() = default;
  };

public:
  ReducedSystem(BuildKey /*key*/, Circuit &circuit);
  // The reduction of `circuit`, or null when it is switched off, impossible
  // (no eliminable block, A_LL singular) or not worth it; `why` then says
  // which (for the log). The circuit must outlive the result. Linear device
  // values never change after construction, so one reduction serves every
  // run on the circuit (batch runs: build it once per circuit).
  static std::unique_ptr<ReducedSystem> build(Circuit &circuit, std::string *why = nullptr);
  ~ReducedSystem() override;

  // Recomputes the excitation classes for a run ending at tstop (sources'
  // waveforms or scales may have changed since the last run). Cost: the
  // sources sampled at ~3 points per breakpoint plus one A_LL solve per class.
  void prepareRun(double tstop);

  [[nodiscard]] Circuit &circuit() const override { return circuit_; }
  [[nodiscard]] int size() const override { return static_cast<int>(fullOf_.size()) - 1; }
  [[nodiscard]] const SparsePattern &pattern() const override { return pattern_; }
  [[nodiscard]] MatrixSlot diagonalSlot(int unknown) const override {
    return diagonalSlots_[static_cast<size_t>(unknown)];
  }
  [[nodiscard]] UnknownKind kind(int unknown) const override {
    return circuit_.unknowns()[static_cast<size_t>(fullOf_[static_cast<size_t>(unknown)])].kind;
  }
  [[nodiscard]] int circuitUnknown(int unknown) const override {
    return unknown >= 0 && unknown < static_cast<int>(fullOf_.size()) ? fullOf_[static_cast<size_t>(unknown)]
                                                                      : 0;
  }
  [[nodiscard]] int systemUnknown(int circuitUnknown) const override {
    return reducedOf_[static_cast<size_t>(circuitUnknown)];
  }

  const Evaluation &evaluate(const LoadContext &ctx) override;
  [[nodiscard]] const Evaluation &lastEvaluation() const override { return eval_; }
  // Leaves dfdx alone: copying the reduced G (dense where the elimination
  // filled it in) on every residual was a tenth of an MNIST image's time.
  const Evaluation &evaluateResidual(const LoadContext &ctx) override;
  void completeJacobian() override;
  void completeCharges() override;
  // Without nonlinear charge writers dq/dx is constant: filled once.
  void completeCapacitance() override;
  // From the constant linear C entries and the nonlinear devices' C where
  // they wrote it: no copy of the whole C per residual.
  void addChargeTimes(std::span<const double> dx, std::span<double> r) const override;
  void expand(std::span<const double> x, const LoadContext &ctx, std::span<double> full) override;
  void restrict(std::span<const double> full, std::span<double> x) const override;
  // On the full circuit IDA's error norm also covers the eliminated
  // unknowns, x_L = … − P·x_N, and averages over all n unknowns. Here weight
  // j becomes sqrt(|N|/n)·sqrt(w_j² + Σ_i (w_i·P_ij)²), w_i the eliminated
  // unknowns' weights at the last reconstructed point: the same norm up to
  // cross terms. Without it an unknown amplified into an eliminated one
  // (an op-amp input seen through a 1e5 gain) would lose its error control,
  // and the reduced run would not reproduce the full one's step sizes.
  void adjustErrorWeights(std::span<double> weights) const override;

  // For logs and tests.
  [[nodiscard]] int eliminatedUnknowns() const { return static_cast<int>(eliminated_.size()); }
  [[nodiscard]] int excitationClasses() const { return static_cast<int>(classes_.size()); }
  // Evaluations whose excitation did not match the classes (exact solve used).
  [[nodiscard]] long classMisses() const { return classMisses_; }
  // Sources of this run inferred from their class instead of evaluated.
  [[nodiscard]] int inferredSources() const { return static_cast<int>(inferredExcitation_.size()); }
  [[nodiscard]] std::string describe() const;

  // Reduction pays below this many eliminated unknowns only when forced.
  static constexpr int kMinEliminated = 500;

private:
  struct Partition;
  bool setUp(std::string &why, bool forced);
  // b_L at ctx into b (full rows): returns true when every checked L row
  // matches its class, with the class weights in `weights`. Sources proven
  // proportional to their class's representative are then neither loaded
  // nor checked; on a mismatch they are loaded too, so b is complete for
  // the exact path.
  bool loadExcitation(const LoadContext &ctx, std::vector<double> &b, std::vector<double> &weights);
  bool matchClasses(const std::vector<double> &b, std::vector<double> &weights, bool allRows) const;
  // Which sources need no evaluation this run (after the classes are known).
  void chooseInferredSources();
  // A_LL⁻¹·(b_L − A_LN·x_N) by a solve (the exact path).
  void solveEliminated(const std::vector<double> &b, std::span<const double> x, std::vector<double> &xL);

  Circuit &circuit_;
  std::vector<int> fullOf_;              // reduced unknown -> circuit unknown (entry 0: ground)
  std::vector<int> reducedOf_;           // circuit unknown -> reduced unknown, 0 if eliminated
  std::vector<int> eliminated_;          // L: circuit unknowns, in A_LL order
  std::vector<int> lIndexOf_;            // circuit unknown -> position in eliminated_, -1 if kept
  std::vector<double> eliminatedAbsTol_; // absolute tolerance of each eliminated unknown (error weights)

  std::vector<Device *> nonlinearDevices_, excitationDevices_;
  std::vector<const ScalableSource *> excitationScales_; // per excitation device; null if not scalable
  // Full-circuit vectors for the nonlinear loads (only rows of N and
  // ground's row 0 are ever written).
  std::vector<double> xFull_, fFull_, qFull_, bFull_;
  // The nonlinear devices' G and C, over pattern_'s slots plus
  // kGroundScratchSlots scratch slots for the entries in ground's row or
  // column: while this system evaluates, their slots point here
  // (compactSlots_), so stamps need no mapping from the full circuit's slots.
  class CompactSlots final : public SlotSpace {
  public:
    explicit CompactSlots(const ReducedSystem &system) : system_(system) {}
    [[nodiscard]] MatrixSlot slotOf(int row, int col) const override;

  private:
    const ReducedSystem &system_;
    // Ground entries are handed the scratch slots in turn: on one shared
    // slot every grounded MOSFET bulk and wall terminal of a load queued its
    // read-modify-write behind the previous one. Which scratch slot an entry
    // gets does not matter (nothing reads them), so the cursor may move in a
    // const query.
    mutable MatrixSlot nextScratch_ = 0;
  };
  static constexpr MatrixSlot kGroundScratchSlots = 16;
  CompactSlots compactSlots_{*this};
  std::vector<double> nonlinearG_, nonlinearC_;
  // The reduced entries nonlinear devices write (solver indices, no ground).
  struct NonlinearSlot {
    MatrixSlot reduced;
    int row, col;
  };
  std::vector<NonlinearSlot> nonlinearSlots_;
  struct LinearCharge {
    int row, col; // solver indices
    double value;
  };
  // The nonzero entries of reducedC_: the linear devices' C, and the C of
  // nonlinear devices with constant charges (device.hpp), which are then
  // evaluated with constantChargesHeld.
  std::vector<LinearCharge> linearCharges_;
  std::vector<double> linearQ_;    // C_lin·x at the last evaluation (reduced rows), by completeCharges()
  std::vector<double> evaluatedX_; // the x of the last evaluation
  int chargeWriters_ = 0;          // nonlinear devices that still write C (without constant charges)
  bool capacitanceStale_ = true;   // eval_.dqdx not yet assembled for the last evaluation

  SparsePattern pattern_;
  std::vector<MatrixSlot> diagonalSlots_;
  std::vector<double> reducedG_, reducedC_; // linear part over pattern_ (Schur complement included)
  // The nonzero entries of reducedG_ by row, for f += G·x on every
  // evaluation: a row keeps its sum in a register instead of scattering
  // read-modify-writes column by column, and the pattern's entries that only
  // nonlinear devices write (most of MNIST's) are not visited.
  struct RowMajorMatrix {
    std::vector<int> starts;   // per reduced row (0-based), into unknowns/entries
    std::vector<int> unknowns; // column as an index of x (1-based)
    std::vector<double> entries;
    void build(const SparsePattern &pattern, std::span<const double> values, int rows);
    void addProduct(std::span<const double> x, std::span<double> f) const;
  } linearByRow_;

  // Blocks kept for excitation and reconstruction.
  SparsePattern lPattern_; // A_LL over L positions
  std::vector<double> lValues_;
  std::unique_ptr<SparseLU> lFactor_;
  struct Entry {
    int index;
    double value;
  };
  std::vector<std::vector<Entry>> couplingNL_; // per L column: (reduced row, A_NL value)
  std::vector<std::vector<Entry>> couplingLN_; // per reduced column: (L row, A_LN value)
  std::vector<std::vector<Entry>> schurP_;     // per reduced column: (L row, (A_LL⁻¹·A_LN) value)

  // Excitation classes of the current run.
  struct ShapeClass {
    int representative = 0; // circuit row whose value defines w_k(t)/scale
    double representativeScale = 1.0;
    double peak = 0.0;                 // max |w_k| over the samples (for the match tolerance)
    std::vector<double> solved;        // A_LL⁻¹·c_k over L positions
    std::vector<double> reducedEffect; // A_NL·A_LL⁻¹·c_k over reduced rows (size()+1)
  };
  std::vector<ShapeClass> classes_;
  // Shared excitation (ShapedExcitation): the sources that offer a shape,
  // their row and an index into their distinct keys (fixed per circuit);
  // per run, the excitation devices still evaluated and the L positions
  // still checked once the others are inferred from their class.
  struct ShapedSource {
    Device *device;
    int row;   // circuit row of its excitation
    int shape; // index of its key among the distinct keys
  };
  std::vector<ShapedSource> shapedSources_;
  int shapeCount_ = 0;           // distinct keys
  std::vector<int> shapedOfRow_; // circuit row -> index in shapedSources_, -1 if none
  std::vector<Device *> evaluatedExcitation_, inferredExcitation_;
  std::vector<int> checkedRows_;      // L positions
  std::vector<int> classOfRow_;       // per L position: class, -1 = always zero
  std::vector<double> scaleOfRow_;    // per L position
  std::vector<double> weights_;       // w_k of the last evaluation
  std::vector<double> expandWeights_; // w_k at the point being reconstructed
  std::vector<double> scratchL_, scratchL2_;
  // The error weights need only the eliminated unknowns that P couples to
  // some kept one: their L positions, their values at the last expand(),
  // and P's entries per reduced column over them.
  std::vector<int> weightedEliminated_;
  std::vector<double> weightedValues_;
  // The reduced columns P couples to them, each with its entries
  // (position in weightedEliminated_, P value) in weightEntries_.
  struct WeightedColumn {
    int column;
    int begin, end;
  };
  std::vector<WeightedColumn> weightedColumns_;
  std::vector<Entry> weightEntries_;
  mutable std::vector<double> coupledWeights_;  // per weighted column (adjustErrorWeights)
  mutable std::vector<double> weightedScratch_; // their weights (adjustErrorWeights)
  std::vector<double> excitationScratch_;
  long classMisses_ = 0;
  // The reduced excitation depends only on these; Newton and IDA evaluate
  // several times at one point in time, so it is kept until they change.
  struct ExcitationKey {
    double time = 0.0, sourceFactor = 0.0;
    AnalysisMode mode = AnalysisMode::OperatingPoint;
    bool transientStart = false;
    bool operator==(const ExcitationKey &) const = default;
  };
  bool excitationCached_ = false;
  bool excitationMatched_ = false; // the cached point matched the classes (weights_ valid)
  ExcitationKey excitationKey_;
  std::vector<double> reducedExcitation_; // b_N − A_NL·A_LL⁻¹·b_L over reduced rows
  void computeExcitation(const LoadContext &fullCtx);

  Evaluation eval_;
  bool jacobianStale_ = false; // eval_.dfdx not yet assembled for the last evaluation
  bool chargesStale_ = false;  // eval_.q and eval_.dqdx not yet assembled for it
};

// The system the transient (and its operating point) should integrate:
// the reduction when it applies, else the full circuit. `log` receives a
// one-line description of the choice.
std::unique_ptr<DaeSystem> makeTransientSystem(Circuit &circuit, std::string &log);

} // namespace dwspice
