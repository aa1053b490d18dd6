// The device contract: the one interface every model implements.
//
// The circuit is the DAE (charge-oriented, as in Xyce and VACASK)
//
//     F(x, x', t) = f(x) + C(x)·x' - b(t) = 0,     C = dq/dx
//
// where x holds node voltages, branch currents and internal device states.
// A device
//   1. is constructed with its terminals already mapped to unknown indices,
//   2. allocates extra unknowns in setupUnknowns() (branch currents, DW states),
//   3. declares the Jacobian entries it will write in setupMatrix(),
//   4. in load() adds its contributions to f, q, G = df/dx and C = dq/dx,
//      and in loadExcitation() its contribution to b(t) (independent sources).
//
// Ground is not an unknown. It has index 0 (as in SPICE): x[0] is always 0,
// row 0 of f, q and b is scratch, and matrix entries in row or column 0 get
// private scratch slots whose values the solvers ignore. Devices therefore
// stamp ground terminals without branching. Unknowns are 1..n.
#pragma once

#include "core/circuit_spec.hpp"

#include <limits>
#include <span>
#include <string>
#include <vector>

namespace dwspice {

class Device;

// A position in the Jacobian value arrays (G and C share one sparsity pattern).
// Filled in by the engine after the pattern is built; entries touching ground
// point at scratch slots past the pattern's nonzeros.
using MatrixSlot = long;

// What an unknown measures; decides its absolute tolerance (see below) and
// how output writers label it.
enum class UnknownKind {
  Voltage, // node voltage, V
  Current, // branch current, A
  Charge,  // stored charge as a state unknown, C
  State,   // other device state, scaled by the device to O(1) units (DW position in nm, angle in rad)
};

// Absolute tolerance for convergence and local error control, by kind:
// vntol for voltages, abstol for currents, chgtol for charges; a device state
// gets vntol times the scale it declared (UnknownAllocator::addState).
[[nodiscard]] inline double defaultAbsoluteTolerance(UnknownKind kind, const SimOptions &options) {
  switch (kind) {
  case UnknownKind::Voltage:
  case UnknownKind::State:
    return options.vntol;
  case UnknownKind::Current:
    return options.abstol;
  case UnknownKind::Charge:
    return options.chgtol;
  }
  return options.vntol;
}

enum class AnalysisMode {
  OperatingPoint, // .op and the initial point of .tran
  DcSweep,        // .dc points
  Transient,      // .tran time points
};

// What a device may see while loading.
struct LoadContext {
  std::span<const double> x; // x[0] == 0 (ground), x[1..n] the unknowns
  double time = 0.0;         // s
  double sourceFactor = 1.0; // scales independent sources (source stepping)
  double gmin = 0.0;         // S, added across junctions (gmin stepping)
  AnalysisMode mode = AnalysisMode::OperatingPoint;
  bool limiting = false;       // Newton voltage limiting allowed (op/dc Newton only)
  bool initJunctions = false;  // first Newton iteration: start junctions at vcrit
  double temperature = 300.15; // K
  const SimOptions *options = nullptr;
  // Set (with mode OperatingPoint) for the operating point that starts a
  // .tran, ngspice's MODETRANOP: independent sources then use their waveform
  // at t = 0 rather than their DC value, so the transient starts consistent.
  bool transientStart = false;
  // The system holds the C of every device with hasConstantCharges() (and
  // so their q = C·x): such a device may then skip its addQ/addC calls.
  // Others ignore this.
  bool constantChargesHeld = false;
  // Newton's convergence witness (SPICE's CKTnoncon), optional: a device
  // whose limiting moved a voltage away from x (or that was evaluated at its
  // initJunctions point) increments *limitedDevices. Its f is then the
  // linearisation about the limited point, which can look converged while x
  // is still far from the answer; Newton must not accept an iteration with a
  // nonzero count. (Additive; null means nobody is counting.)
  int *limitedDevices = nullptr;
};

// Where a device writes. All arrays are owned by the Circuit; rows and slots
// are the indices the device obtained during setup.
class LoadTarget {
public:
  LoadTarget(std::span<double> f, std::span<double> q, std::span<double> b, std::span<double> dfdx,
             std::span<double> dqdx)
      : f_(f), q_(q), b_(b), dfdx_(dfdx), dqdx_(dqdx) {}

  void addF(int row, double value) { f_[static_cast<size_t>(row)] += value; }
  void addQ(int row, double value) { q_[static_cast<size_t>(row)] += value; }
  void addB(int row, double value) { b_[static_cast<size_t>(row)] += value; }
  void addG(MatrixSlot slot, double value) { dfdx_[static_cast<size_t>(slot)] += value; }
  void addC(MatrixSlot slot, double value) { dqdx_[static_cast<size_t>(slot)] += value; }

private:
  std::span<double> f_, q_, b_, dfdx_, dqdx_;
};

// Given to setupUnknowns(): allocates extra unknowns.
class UnknownAllocator {
public:
  virtual ~UnknownAllocator() = default;
  // `outputName` is how the unknown appears in output, e.g. "i(v1)" for a
  // branch current or "n1#q" for a device state. Returns its index.
  virtual int addUnknown(const std::string &outputName, UnknownKind kind) = 0;
  // A device state (UnknownKind::State) in the device's own units. Its
  // absolute tolerance (Newton's update test, the transient's local error
  // control) is toleranceScale·vntol: the scale says how large a noise floor
  // of vntol's micro-volt is in those units (as a Verilog-A nature's abstol),
  // and the user's vntol still tightens or loosens every state with the
  // voltages. A floor far below what the model resolves only buys time
  // steps (a wall angle held to 1e-6 rad near φ = 0, for one).
  virtual int addState(const std::string &outputName, double toleranceScale) = 0;
};

// Given to setupMatrix(): declares Jacobian entries and resolves references
// to other devices (F/H to their controlling source, K to its inductors).
class MatrixBuilder {
public:
  virtual ~MatrixBuilder() = default;
  // Declares entry (row, col) of G and C; after the pattern is final the
  // engine stores its value position into *slot. `slot` must stay valid
  // for the device's lifetime (use a member). The engine may declare the
  // entries again and re-point slots between loads (Circuit::
  // bindNonlinearSlots), so setupMatrix() declares entries and does nothing
  // else, and a device uses its slots only as LoadTarget arguments.
  virtual void entry(int row, int col, MatrixSlot *slot) = 0;
  // Finds another device by hierarchical name; throws UserError at `loc` if
  // there is none.
  virtual Device &device(const std::string &name, const SourceLoc &loc) = 0;
};

class Device {
public:
  Device(std::string name, SourceLoc loc) : name_(std::move(name)), loc_(loc) {}
  virtual ~Device() = default;
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;
  Device(Device &&) = delete;
  Device &operator=(Device &&) = delete;

  [[nodiscard]] const std::string &name() const { return name_; }
  [[nodiscard]] const SourceLoc &location() const { return loc_; }

  virtual void setupUnknowns(UnknownAllocator & /*alloc*/) {}
  virtual void setupMatrix(MatrixBuilder &builder) = 0;

  // Adds f(x), q(x), df/dx and dq/dx at ctx. Must be a pure function of ctx
  // and the device's accepted history (see acceptStep), so that IDA may call
  // it at trial points. (Newton limiting, when ctx.limiting is set, is the
  // one exception: the device may remember its last limited voltages.)
  virtual void load(const LoadContext &ctx, LoadTarget &out) = 0;

  // Adds the excitation b(t) (scaled by ctx.sourceFactor). Called on every
  // evaluation for the independent sources (SweepableSource) and every
  // nonlinear device that does not deny having one (hasExcitation); a linear
  // device that is not a source has none.
  virtual void loadExcitation(const LoadContext & /*ctx*/, LoadTarget & /*out*/) {}
  // False promises that loadExcitation() writes nothing, so the engine skips
  // the call (an MNIST crossbar's 1418 MOSFETs and walls were each called for
  // nothing on every evaluation). Asked once per run of consecutive devices
  // of one class: every device of a class must answer alike.
  [[nodiscard]] virtual bool hasExcitation() const { return true; }

  // A linear device promises f = G·x and q = C·x with constant G and C
  // (independent of x, t and the analysis mode). The engine then calls load()
  // once, caches G and C, and forms f and q by sparse products.
  [[nodiscard]] virtual bool isLinear() const { return false; }
  // A nonlinear device whose charges are linear promises q = C·x with a
  // constant C (independent of x, t, the analysis mode and the temperature):
  // a MOSFET with overlap capacitances only, a domain wall's state rows.
  // The engine may then read C from one load, fold it into the linear
  // charges, and evaluate the device with ctx.constantChargesHeld.
  [[nodiscard]] virtual bool hasConstantCharges() const { return false; }

  // Times in (0, tstop] where the device's excitation has a corner; the
  // transient analysis stops exactly there and restarts integration.
  // Asked of sources and nonlinear devices only: a
  // linear device that is not a source does not depend on time, so it has
  // no corners and no step limit (a 200k-synapse crossbar is asked nothing).
  virtual void breakpoints(double /*tstop*/, std::vector<double> & /*times*/) const {}
  // Largest time step the device tolerates (e.g. fixed step with thermal
  // noise). Asked of the same devices as breakpoints().
  [[nodiscard]] virtual double maxTimeStep() const { return std::numeric_limits<double>::infinity(); }
  // Called after each accepted time point (and after the operating point)
  // with the converged solution; devices with history update it here.
  // Called for nonlinear devices only (a linear device has no history).
  virtual void acceptStep(std::span<const double> /*x*/, double /*time*/) {}
  // False when acceptStep() keeps nothing a transient step uses (a Newton
  // limiting pivot, which only operating points and sweeps read): the
  // transient then calls it at its start and its last point only, not after
  // each of its ~1000 steps for each of an MNIST crossbar's 1418 devices.
  [[nodiscard]] virtual bool needsEveryTimeStep() const { return true; }
  // With `.tran … uic`: write the device's own initial conditions (C ic=,
  // L ic=, DW initial position) into x before integration starts.
  virtual void applyInitialCondition(std::span<double> /*x*/) const {}
  // Power delivered by the device into the circuit, W (sources: for energy
  // accounting); 0 for devices that do not report it.
  [[nodiscard]] virtual double deliveredPower(std::span<const double> /*x*/) const { return 0.0; }
  // The same at an accepted solution point x of time `time` (transient).
  // Devices whose power depends on the time itself (a current source's
  // value is not in x) override this; energy accounting calls it for every
  // output point, including points interpolated between steps, where the
  // device's latest evaluation is at some other time.
  [[nodiscard]] virtual double deliveredPowerAt(std::span<const double> x, double /*time*/) const {
    return deliveredPower(x);
  }
  // Pairs of unknowns the device ties by an ideal voltage constraint at DC
  // (V, E, H; an inductor is a short). Used to find voltage-source loops
  // before solving.
  virtual void idealVoltageEdges(std::vector<std::pair<int, int>> & /*edges*/) const {}

private:
  std::string name_;
  SourceLoc loc_;
};

// Implemented by devices that own a branch-current unknown (V, L, E, H) so
// that F, H and K can refer to them.
class BranchCurrentOwner {
public:
  virtual ~BranchCurrentOwner() = default;
  [[nodiscard]] virtual int branchIndex() const = 0;
};

// Implemented by independent sources (V, I) so that .dc can sweep their DC
// value and source stepping can find them.
class SweepableSource {
public:
  virtual ~SweepableSource() = default;
  [[nodiscard]] virtual double dcValue() const = 0;
  virtual void setDcValue(double value) = 0;
};

// Implemented by independent sources (V, I) so that a batch run can bind
// them to data (`.bind pixel`): the scale multiplies everything the source
// produces (DC value and every transient waveform), default 1. dcValue()
// and setDcValue() stay unscaled.
class ScalableSource {
public:
  virtual ~ScalableSource() = default;
  [[nodiscard]] virtual double waveformScale() const = 0;
  virtual void setWaveformScale(double scale) = 0;
};

// Implemented by independent sources whose excitation can be shared: in a
// transient (and the operating point that starts it) the source writes
// b(t) = a·shape(t) into excitationRow() alone, a row no other device's
// excitation writes, and sources with equal non-empty shapeKey()s have
// proportional shapes at every time (the crossbar's pixel sources: one PULSE
// timing, 1568 amplitudes). A reduced system then evaluates one source per
// shape and infers the others (linear_reduction.hpp). The key depends only
// on the waveform's parameters, never on the amplitude or the scale.
class ShapedExcitation {
public:
  virtual ~ShapedExcitation() = default;
  // Empty: nothing to share.
  [[nodiscard]] virtual std::vector<double> shapeKey() const = 0;
  [[nodiscard]] virtual int excitationRow() const = 0;
};

} // namespace dwspice
