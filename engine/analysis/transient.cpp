// Transient analysis.
//
// The DAE F(x, x', t) = f(x) + C(x)·x' − b(t) = 0 goes to IDA as is: the
// residual is one circuit evaluation plus one sparse product C·x', and the
// Jacobian G + c_j·C is factored by SUNDIALS' KLU solver, whose symbolic
// analysis is done once. IDA's modified Newton keeps a factorisation across
// steps for as long as it converges.
//
// Initial state (reported at t = 0):
//  * plain .tran: the operating point.
//  * .ic without uic: the operating point with the .ic nodes pinned by a
//    stiff source (as ngspice does); releasing the pins unbalances F.
//  * uic: x from .ic and the devices' own initial conditions, all else 0;
//    algebraic unknowns are then inconsistent.
//  In the last two cases one backward-Euler step of 1e-9·tstep lets the
//  algebraic unknowns (and capacitors tied to sources) jump, as SPICE's first
//  step would; its result is the state at t = 0.
//
// Consistent x' (at t = 0 and after every source corner): x' = 0 is wrong
// when a source ramps, and IDA's error test then fails on algebraic unknowns
// (a source current with abstol 1e-12 A). So every (re)start takes one more
// backward-Euler step of h = 1e-4 of the nearest time scale (tstep, max step,
// next corner) and starts IDA at t + h with x' = (x(t+h) − x(t))/h, which
// satisfies F exactly. IDACalcIC is not used: it needs every unknown classed
// as differential or algebraic, and a capacitor on a source-driven node is
// neither.
//
// Large linear, charge-free blocks (a crossbar's rows, columns and synapses)
// are eliminated before integration (linear_reduction.hpp): IDA, Newton and
// the operating point then work on the remaining unknowns only, and the
// eliminated ones are reconstructed for each output point and accepted step.
// `.options noreduce` keeps the whole system.
//
// Breakpoints (source corners) are IDA stop times; integration restarts
// there (IDAReInit with the consistent state above), so no corner is stepped
// over and the BDF history never spans one. The first step after a corner is
// SPICE's: a tenth of the smaller of the last step and the next gap.
#include "analysis/transient.hpp"

#include "analysis/cost_timer.hpp"
#include "analysis/dae_system.hpp"
#include "analysis/linear_reduction.hpp"
#include "analysis/newton.hpp"
#include "analysis/operating_point.hpp"
#include "analysis/sundials_handles.hpp"
#include "analysis/unknown_description.hpp"
#include "numeric/fill_reducing_order.hpp"
#include "numeric/sparse_lu.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <fmt/core.h>

namespace dwspice {

namespace {

constexpr long kMaxSteps = 20'000'000; // never hang: give up after this many accepted steps
// Restart steps are this fraction of the smallest time scale in sight
// (tstep, max step, distance to the next corner).
constexpr double kRestartFraction = 1e-4;
// The step that lets an inconsistent initial state jump is much shorter: its
// result is reported as the state at t = 0.
constexpr double kJumpFraction = 1e-9;
// Smallest IDA step as a fraction of the largest (ngspice's delmin).
constexpr double kMinStepFraction = 1e-11;
// Relative change of cj that calls for a new Jacobian (IDASetDeltaCjLSetup).
constexpr double kJacobianCjChange = 0.01;

std::string timeText(double t) {
  return fmt::format("t = {:.6g} s", t);
}

// Times IDA's linear solver (KLU factorisation in setup, triangular solves)
// into the circuit's cost counters by wrapping the solver's two operations.
// The wrappers find their counters through a thread-local pointer that is
// set for the duration of one run (batch runs use one thread per circuit).
struct TimedLinearSolver {
  int (*setup)(SUNLinearSolver, SUNMatrix) = nullptr;
  int (*solve)(SUNLinearSolver, SUNMatrix, N_Vector, N_Vector, sunrealtype) = nullptr;
  CostCounters *costs = nullptr;
};
thread_local TimedLinearSolver *activeTimedSolver = nullptr;

int timedSetup(SUNLinearSolver solver, SUNMatrix matrix) {
  TimedLinearSolver &timed = *activeTimedSolver;
  const CostTimer timer(timed.costs->factorSeconds);
  ++timed.costs->factorizations;
  return timed.setup(solver, matrix);
}

int timedSolve(SUNLinearSolver solver, SUNMatrix matrix, N_Vector x, N_Vector b, sunrealtype tolerance) {
  TimedLinearSolver &timed = *activeTimedSolver;
  const CostTimer timer(timed.costs->solveSeconds);
  ++timed.costs->solves;
  return timed.solve(solver, matrix, x, b, tolerance);
}

class TimedSolverScope {
public:
  TimedSolverScope(SUNLinearSolver solver, CostCounters &costs) : previous_(activeTimedSolver) {
    timed_.setup = solver->ops->setup;
    timed_.solve = solver->ops->solve;
    timed_.costs = &costs;
    solver->ops->setup = timedSetup;
    solver->ops->solve = timedSolve;
    activeTimedSolver = &timed_;
  }
  ~TimedSolverScope() { activeTimedSolver = previous_; }
  TimedSolverScope(const TimedSolverScope &) = delete;
  TimedSolverScope &operator=(const TimedSolverScope &) = delete;

private:
  TimedLinearSolver timed_;
  TimedLinearSolver *previous_;
};

class TransientRun {
public:
  TransientRun(Circuit &circuit, const TranAnalysisSpec &spec, const SourceLoc &where,
               SolutionObserver &observer, const RunSettings &settings)
      : circuit_(circuit), spec_(spec), where_(where), observer_(observer), settings_(settings),
        output_(static_cast<size_t>(circuit.size()) + 1, 0.0) {}

  AnalysisSummary run();

  // IDA callbacks (through the static trampolines below).
  int residual(double t, N_Vector yy, N_Vector yp, N_Vector rr);
  int jacobian(double t, double cj, N_Vector yy, SUNMatrix jacobianMatrix);
  int errorWeights(N_Vector yy, N_Vector weights);
  void recordIdaMessage(const char *message) { idaMessage_ = message; }
  void recordException() { callbackError_ = std::current_exception(); }

private:
  void validate() const;
  // A consistent (x, x') just after t, by one backward-Euler step of a tiny h.
  struct Restart {
    double t = 0.0;
    std::vector<double> x, xp;
  };
  Restart consistentRestart(const std::vector<double> &x, double t, double nextStop);
  std::vector<double> backwardEulerStep(const std::vector<double> &previous, double t, double h);
  // The state reported at t = 0 (size n+1); `jumped` tells whether a jump
  // step was needed (uic or .ic).
  std::vector<double> initialState(std::string &description, bool &jumped);
  // b of the operating-point equations (sources at t = 0) evaluated at x:
  // the key of AnalysisCache's stored operating point.
  std::vector<double> operatingPointExcitation(const std::vector<double> &x);
  // The context of every evaluation this run makes: at x and t, no limiting.
  [[nodiscard]] LoadContext contextAt(std::span<const double> x, double t, AnalysisMode mode) const;
  void evaluateAt(double t, const double *y);
  // Sets differential[i] to 0 for branch currents on which no charge
  // depends (at the latest evaluation), 1 for every other unknown; returns
  // how many got 0.
  int markAlgebraicCurrents(double *differential) const;
  // Fills output_ with the full circuit vector for the system point y (n_
  // values, no ground) at time t.
  void expandPoint(double t, const double *y);
  // Hands output_ (the point at t) to the observer unless t repeats.
  void emitExpanded(double t);
  void emit(double t, const double *y) {
    expandPoint(t, y);
    emitExpanded(t);
  }
  void chooseSystem();
  [[nodiscard]] std::string describe(int systemUnknown) const {
    return describeUnknown(circuit_, system_->circuitUnknown(systemUnknown));
  }
  [[noreturn]] void fail(int flag, void *ida, SUNMatrix jacobianMatrix);

  Circuit &circuit_;
  const TranAnalysisSpec &spec_;
  const SourceLoc &where_;
  SolutionObserver &observer_;
  const RunSettings &settings_;
  std::unique_ptr<DaeSystem> ownedSystem_;
  DaeSystem *system_ = nullptr; // what IDA integrates: the circuit or its reduction
  std::string systemLog_;
  int n_ = 0;
  long nnz_ = 0;
  std::vector<double> x_;      // evaluation point with ground, x_[0] = 0 (system unknowns)
  std::vector<double> point_;  // scratch: a system point with ground
  std::vector<double> output_; // full circuit point handed to the observer
  double evaluatedAt_ = 0.0;
  bool evaluationValid_ = false; // circuit's last evaluation is at (evaluatedAt_, x_)
  double lastEmitted_ = -std::numeric_limits<double>::infinity();
  double duplicateGap_ = 0.0; // points closer than this are one point
  long pointsEmitted_ = 0;
  // IDA's counters restart with IDAReInit; these sum them over segments.
  void collectStatistics(void *ida) {
    long residuals = 0, setups = 0;
    IDAGetNumResEvals(ida, &residuals);
    IDAGetNumLinSolvSetups(ida, &setups);
    residualCount_ += residuals;
    setupCount_ += setups;
  }
  long residualCount_ = 0, setupCount_ = 0;
  std::vector<double> absoluteTolerance_; // per solver index, by unknown kind
  struct VoltageDiagonal {
    size_t index;    // solver index of a voltage unknown
    MatrixSlot slot; // its diagonal slot
  };
  std::vector<VoltageDiagonal> voltageDiagonals_;
  bool haveEvaluation_ = false;
  std::unique_ptr<NewtonSolver> newton_;
  double maxStep_ = 0.0;
  int nonFiniteRow_ = -1; // residual row that last came out non-finite
  std::string idaMessage_;
  std::exception_ptr callbackError_;
};

int residualTrampoline(double t, N_Vector yy, N_Vector yp, N_Vector rr, void *data) {
  auto &run = *static_cast<TransientRun *>(data);
  try {
    return run.residual(t, yy, yp, rr);
  } catch (...) {
    run.recordException();
    return -1;
  }
}

int jacobianTrampoline(double t, double cj, N_Vector yy, N_Vector /*yp*/, N_Vector /*rr*/, SUNMatrix matrix,
                       void *data, N_Vector /*tmp1*/, N_Vector /*tmp2*/, N_Vector /*tmp3*/) {
  auto &run = *static_cast<TransientRun *>(data);
  try {
    return run.jacobian(t, cj, yy, matrix);
  } catch (...) {
    run.recordException();
    return -1;
  }
}

int weightTrampoline(N_Vector yy, N_Vector weights, void *data) {
  auto &run = *static_cast<TransientRun *>(data);
  try {
    return run.errorWeights(yy, weights);
  } catch (...) {
    run.recordException();
    return -1;
  }
}

void errorTrampoline(int /*code*/, const char * /*module*/, const char * /*function*/, char *message,
                     void *data) {
  // IDA would print to stderr; keep the text for our own error instead.
  static_cast<TransientRun *>(data)->recordIdaMessage(message);
}

LoadContext TransientRun::contextAt(std::span<const double> x, double t, AnalysisMode mode) const {
  const SimOptions &options = circuit_.options();
  LoadContext ctx;
  ctx.x = x;
  ctx.time = t;
  ctx.mode = mode;
  ctx.gmin = options.gmin;
  ctx.limiting = false; // IDA needs F to be a function of x alone
  ctx.temperature = options.temp + 273.15;
  ctx.options = &options;
  return ctx;
}

void TransientRun::evaluateAt(double t, const double *y) {
  std::copy(y, y + n_, x_.begin() + 1);
  // The residual needs f, q, b and dq/dx; jacobian() completes dfdx.
  system_->evaluateResidual(contextAt(x_, t, AnalysisMode::Transient));
  evaluatedAt_ = t;
  evaluationValid_ = true;
  haveEvaluation_ = true;
}

int TransientRun::residual(double t, N_Vector yy, N_Vector yp, N_Vector rr) {
  const double *y = N_VGetArrayPointer(yy);
  const double *dy = N_VGetArrayPointer(yp);
  double *r = N_VGetArrayPointer(rr);
  evaluateAt(t, y);
  const CostTimer timer(circuit_.costCounters().assemblySeconds);
  const Evaluation &eval = system_->lastEvaluation();
  for (int i = 0; i < n_; ++i) {
    r[i] = eval.f[static_cast<size_t>(i) + 1] - eval.b[static_cast<size_t>(i) + 1];
  }
  const auto n = static_cast<size_t>(n_);
  system_->addChargeTimes(std::span<const double>(dy, n), std::span<double>(r, n));
  for (int i = 0; i < n_; ++i) {
    if (!std::isfinite(r[i])) {
      nonFiniteRow_ = i;
      return 1; // recoverable: IDA retries with a smaller step
    }
  }
  return 0;
}

int TransientRun::jacobian(double t, double cj, N_Vector yy, SUNMatrix matrix) {
  const double *y = N_VGetArrayPointer(yy);
  // IDA evaluates the residual at the same point just before; reuse it.
  if (!evaluationValid_ || evaluatedAt_ != t ||
      std::memcmp(y, x_.data() + 1, sizeof(double) * static_cast<size_t>(n_)) != 0) {
    evaluateAt(t, y);
  }
  system_->completeJacobian();
  const CostTimer timer(circuit_.costCounters().assemblySeconds);
  const Evaluation &eval = system_->lastEvaluation();
  const SparsePattern &pattern = system_->pattern();
  // IDA zeroes the whole matrix (pattern included) before calling us.
  std::copy(pattern.columnStarts.begin(), pattern.columnStarts.end(), SUNSparseMatrix_IndexPointers(matrix));
  std::copy(pattern.rowIndices.begin(), pattern.rowIndices.end(), SUNSparseMatrix_IndexValues(matrix));
  double *values = SUNSparseMatrix_Data(matrix);
  for (long k = 0; k < nnz_; ++k) {
    values[k] = eval.dfdx[static_cast<size_t>(k)] + cj * eval.dqdx[static_cast<size_t>(k)];
    if (!std::isfinite(values[k])) {
      return 1;
    }
  }
  return 0;
}

// IDA's error weights: the usual 1/(reltol·|x| + atol), tightened on nodes
// that carry charge so that the charge too is kept within reltol·|q| +
// chgtol (ngspice bounds the truncation error of charges). Without this a
// diode's diffusion charge TT·I(v), which changes by e per Vt, could drift by
// percents while v stays within reltol. For a linear capacitor to ground the
// charge criterion is rtol·|v| + chgtol/C, i.e. no tighter than the voltage
// one unless C > chgtol/vntol. The charges come from the latest evaluation
// (weights are a step-size heuristic; the point need not be exact).
int TransientRun::errorWeights(N_Vector yy, N_Vector weights) {
  const double *y = N_VGetArrayPointer(yy);
  double *w = N_VGetArrayPointer(weights);
  if (!haveEvaluation_) {
    evaluateAt(evaluatedAt_, y);
  }
  // q only where the charge criterion can bind: C/(reltol·|q| + chgtol) is at
  // most C/chgtol, so below the voltage weight it cannot (fF nodes never do).
  system_->completeCapacitance();
  bool chargesComplete = false;
  const Evaluation &eval = system_->lastEvaluation();
  const SimOptions &options = circuit_.options();
  // Two passes: the first has no branches, so the compiler vectorises it.
  for (int i = 0; i < n_; ++i) {
    w[i] = 1.0 / (options.reltol * std::abs(y[i]) + absoluteTolerance_[static_cast<size_t>(i)]);
  }
  for (const VoltageDiagonal &voltage : voltageDiagonals_) {
    double &weight = w[voltage.index];
    const double capacitance = std::abs(eval.dqdx[static_cast<size_t>(voltage.slot)]);
    if (capacitance > 0.0 && capacitance / options.chgtol > weight) {
      if (!chargesComplete) {
        system_->completeCharges();
        chargesComplete = true;
      }
      weight = std::max(weight, capacitance /
                                    (options.reltol * std::abs(eval.q[voltage.index + 1]) + options.chgtol));
    }
  }
  system_->adjustErrorWeights(std::span<double>(w, static_cast<size_t>(n_)));
  for (int i = 0; i < n_; ++i) {
    if (!(w[i] > 0.0) || !std::isfinite(w[i])) {
      return -1;
    }
  }
  return 0;
}

int TransientRun::markAlgebraicCurrents(double *differential) const {
  system_->completeCharges();
  const SparsePattern &pattern = system_->pattern();
  const Evaluation &eval = system_->lastEvaluation();
  int algebraic = 0;
  for (int i = 0; i < n_; ++i) {
    bool inSomeCharge = system_->kind(i + 1) != UnknownKind::Current;
    for (auto slot = pattern.columnStarts[static_cast<size_t>(i)];
         !inSomeCharge && slot < pattern.columnStarts[static_cast<size_t>(i) + 1]; ++slot) {
      inSomeCharge = eval.dqdx[static_cast<size_t>(slot)] != 0.0;
    }
    differential[i] = inSomeCharge ? 1.0 : 0.0;
    algebraic += inSomeCharge ? 0 : 1;
  }
  return algebraic;
}

void TransientRun::validate() const {
  if (!(spec_.tstep > 0) || !std::isfinite(spec_.tstep)) {
    throw UserError(where_, fmt::format(".tran: tstep must be positive (got {:g})", spec_.tstep));
  }
  if (!(spec_.tstop > 0) || !std::isfinite(spec_.tstop)) {
    throw UserError(where_, fmt::format(".tran: tstop must be positive (got {:g})", spec_.tstop));
  }
  if (spec_.tstart < 0 || spec_.tstart >= spec_.tstop) {
    throw UserError(
        where_, fmt::format(".tran: tstart {:g} must lie in [0, tstop = {:g})", spec_.tstart, spec_.tstop));
  }
  if (spec_.tmax < 0) {
    throw UserError(where_, fmt::format(".tran: tmax must not be negative (got {:g})", spec_.tmax));
  }
  if (circuit_.size() == 0) {
    throw UserError(where_, ".tran: the circuit has no unknowns");
  }
}

std::vector<double> TransientRun::backwardEulerStep(const std::vector<double> &previous, double t, double h) {
  NewtonRequest request;
  request.mode = AnalysisMode::Transient;
  request.limiting = false;
  request.maxIterations = std::max(circuit_.options().itl1, 50);
  request.inverseStep = 1.0 / h;
  request.previous = previous;
  request.time = t;
  std::vector<double> x = previous;
  NewtonOutcome outcome = newton_->solve(x, request);
  if (outcome.converged) {
    // One more iteration: x' is a difference of nearby states and needs
    // them to full precision.
    outcome = newton_->solve(x, request);
  }
  if (!outcome.converged) {
    throw UserError(where_,
                    fmt::format("transient analysis failed at {}: cannot find a consistent state after a "
                                "source corner or initial condition ({})",
                                timeText(t),
                                outcome.singularUnknown
                                    ? fmt::format("singular matrix at {}", describe(*outcome.singularUnknown))
                                    : fmt::format("no convergence at {}", describe(outcome.worstUnknown))));
  }
  return x;
}

TransientRun::Restart TransientRun::consistentRestart(const std::vector<double> &x, double t,
                                                      double nextStop) {
  const double h = kRestartFraction * std::min({spec_.tstep, nextStop - t, maxStep_});
  Restart restart;
  restart.t = t + h;
  restart.x = backwardEulerStep(x, restart.t, h);
  restart.xp.assign(x.size(), 0.0);
  for (size_t i = 1; i < x.size(); ++i) {
    restart.xp[i] = (restart.x[i] - x[i]) / h;
  }
  return restart;
}

std::vector<double> TransientRun::initialState(std::string &description, bool &jumped) {
  const std::vector<HeldValue> initialConditions = initialConditionValues(circuit_);
  // .ic unknowns are never eliminated (linear_reduction.cpp), so they map.
  std::vector<HeldValue> held;
  for (const HeldValue &ic : initialConditions) {
    const int unknown = system_->systemUnknown(ic.unknown);
    if (unknown <= 0) {
      throw std::logic_error("an .ic unknown was eliminated");
    }
    held.push_back({unknown, ic.value});
  }
  jumped = false;
  std::vector<double> x0(static_cast<size_t>(n_) + 1, 0.0);
  if (spec_.uic) {
    std::vector<double> full(static_cast<size_t>(circuit_.size()) + 1, 0.0);
    for (const HeldValue &ic : initialConditions) {
      full[static_cast<size_t>(ic.unknown)] = ic.value;
    }
    for (const auto &device : circuit_.devices()) {
      device->applyInitialCondition(full);
    }
    full[0] = 0.0;
    system_->restrict(full, x0);
    description = "initial state from .ic/uic";
  } else {
    OperatingPointSettings settings;
    settings.mode = AnalysisMode::OperatingPoint;
    settings.iterationLimit = circuit_.options().itl1;
    settings.held = held;
    settings.transientStart = true; // sources at their t = 0 waveform value, as ngspice's MODETRANOP
    AnalysisCache *cache = settings_.cache;
    if (cache != nullptr && !cache->operatingPoint.empty() &&
        operatingPointExcitation(cache->operatingPoint) == cache->operatingPointExcitation) {
      x0 = cache->operatingPoint;
      description = "initial operating point: the previous run's (same excitation at t = 0)";
    } else {
      std::vector<double> guess(static_cast<size_t>(n_) + 1, 0.0);
      system_->restrict(nodesetGuess(circuit_), guess);
      OperatingPointResult op = solveOperatingPoint(circuit_, *newton_, guess, settings, where_);
      description = fmt::format("initial operating point: {}", op.describe());
      x0 = std::move(op.x);
      if (cache != nullptr) {
        cache->operatingPointExcitation = operatingPointExcitation(x0);
        cache->operatingPoint = x0;
      }
    }
    if (initialConditions.empty()) {
      expandPoint(0.0, x0.data() + 1);
      circuit_.acceptStep(output_, 0.0);
      return x0;
    }
  }
  // Released pins or uic values: one tiny backward-Euler step lets the
  // algebraic unknowns (and capacitors tied to sources) jump, as SPICE's
  // first step would; the result is what t = 0 reports.
  jumped = true;
  const double h = kJumpFraction * std::min(spec_.tstep, maxStep_);
  std::vector<double> x = backwardEulerStep(x0, h, h);
  expandPoint(0.0, x.data() + 1);
  circuit_.acceptStep(output_, 0.0);
  return x;
}

std::vector<double> TransientRun::operatingPointExcitation(const std::vector<double> &x) {
  LoadContext ctx = contextAt(x, 0.0, AnalysisMode::OperatingPoint);
  ctx.transientStart = true;
  return system_->evaluateResidual(ctx).b;
}

void TransientRun::expandPoint(double t, const double *y) {
  point_[0] = 0.0;
  std::copy(y, y + n_, point_.begin() + 1);
  system_->expand(point_, contextAt(point_, t, AnalysisMode::Transient), output_);
  output_[0] = 0.0;
}

void TransientRun::emitExpanded(double t) {
  if (!(t > lastEmitted_ + duplicateGap_)) {
    return;
  }
  observer_.addPoint(t, output_);
  lastEmitted_ = t;
  ++pointsEmitted_;
}

void TransientRun::fail(int flag, void *ida, SUNMatrix jacobianMatrix) {
  if (callbackError_) {
    std::rethrow_exception(callbackError_);
  }
  double t = 0.0;
  IDAGetCurrentTime(ida, &t);
  std::string reason;
  switch (flag) {
  case IDA_TOO_MUCH_WORK:
    reason = "too many time steps";
    break;
  case IDA_TOO_MUCH_ACC:
    reason = "the requested accuracy cannot be reached";
    break;
  case IDA_ERR_FAIL:
    reason = "time step too small (the local error test keeps failing)";
    break;
  case IDA_CONV_FAIL:
    reason = "time step too small (Newton iterations do not converge)";
    break;
  case IDA_LSETUP_FAIL:
  case IDA_LSOLVE_FAIL:
  case IDA_LINIT_FAIL: {
    reason = "the Jacobian cannot be factored";
    // Factor it ourselves to name the singular unknown.
    SparseLU lu(system_->pattern().columnStarts, system_->pattern().rowIndices);
    const std::span<const double> values(SUNSparseMatrix_Data(jacobianMatrix), static_cast<size_t>(nnz_));
    const SparseLU::FactorResult result = lu.factor(values);
    if (!result.ok && result.singularColumn) {
      reason = fmt::format("singular matrix at {}", describe(static_cast<int>(*result.singularColumn) + 1));
    }
    break;
  }
  case IDA_REP_RES_ERR:
  case IDA_RES_FAIL:
    reason = "the device equations give non-finite values";
    if (nonFiniteRow_ >= 0) {
      reason += fmt::format(" at {}", describe(nonFiniteRow_ + 1));
    }
    break;
  default:
    reason = idaMessage_.empty() ? fmt::format("IDA error {}", flag) : idaMessage_;
  }
  // The unknown with the largest weighted local error is the likely culprit.
  std::string culprit;
  if (flag == IDA_ERR_FAIL || flag == IDA_CONV_FAIL || flag == IDA_TOO_MUCH_ACC) {
    sundials::Context context;
    const sundials::Vector weights = sundials::makeVector(n_, context);
    const sundials::Vector errors = sundials::makeVector(n_, context);
    if (IDAGetErrWeights(ida, weights.get()) == IDA_SUCCESS &&
        IDAGetEstLocalErrors(ida, errors.get()) == IDA_SUCCESS) {
      int worst = -1;
      double worstValue = 0.0;
      for (int i = 0; i < n_; ++i) {
        const double value = std::abs(sundials::data(errors)[i] * sundials::data(weights)[i]);
        if (std::isfinite(value) && value > worstValue) {
          worstValue = value;
          worst = i;
        }
      }
      if (worst >= 0) {
        culprit = fmt::format("; largest local error at {}", describe(worst + 1));
      }
    }
  }
  throw UserError(where_, fmt::format("transient analysis failed at {}: {}{}", timeText(t), reason, culprit));
}

AnalysisSummary TransientRun::run() {
  validate();
  const double tstop = spec_.tstop;
  const double tstart = spec_.tstart;
  const double tstep = spec_.tstep;
  duplicateGap_ = 1e-9 * std::min(tstep, tstop);
  maxStep_ = spec_.tmax > 0 ? spec_.tmax : std::min(tstep, (tstop - tstart) / 50.0);
  maxStep_ = std::min(maxStep_, circuit_.maxTimeStep());
  if (!(maxStep_ > 0)) {
    throw UserError(where_,
                    fmt::format(".tran: the largest allowed time step ({:g} s) is not positive", maxStep_));
  }
  chooseSystem();
  newton_ = std::make_unique<NewtonSolver>(*system_);

  // Corners computed as td + k·per may land a rounding error before tstop;
  // such a corner is tstop itself (restarting there would leave IDA an
  // interval too short to start in).
  std::vector<double> stops = circuit_.breakpoints(tstop);
  while (!stops.empty() && stops.back() >= tstop - duplicateGap_) {
    stops.pop_back();
  }
  stops.push_back(tstop);
  size_t nextStop = 0;
  const auto advanceStops = [&](double t) {
    while (nextStop + 1 < stops.size() && stops[nextStop] <= t + duplicateGap_) {
      ++nextStop;
    }
  };
  advanceStops(0.0);

  std::string description;
  bool jumped = false;
  std::vector<double> start = initialState(description, jumped);
  // IDA starts just after 0 from a state whose x' is consistent with the
  // sources' slopes there (x' = 0 would be wrong for a ramp starting at 0).
  Restart restart = consistentRestart(start, 0.0, stops[nextStop]);
  if (jumped) {
    // The jump step's branch currents are impulses (C·ΔV/h); a second
    // restart step takes x' from two post-jump states, and t = 0 reports
    // the currents just after the jump instead of the impulse.
    for (int k = 1; k <= n_; ++k) {
      if (system_->kind(k) == UnknownKind::Current) {
        start[static_cast<size_t>(k)] = restart.x[static_cast<size_t>(k)];
      }
    }
    restart = consistentRestart(restart.x, restart.t, stops[nextStop]);
  }

  const sundials::Context context;
  const sundials::Vector yy = sundials::makeVector(n_, context);
  const sundials::Vector yp = sundials::makeVector(n_, context);
  const sundials::Vector abstol = sundials::makeVector(n_, context);
  const sundials::Vector interpolated = sundials::makeVector(n_, context);
  const auto load = [&](const Restart &from) {
    std::copy(from.x.begin() + 1, from.x.end(), sundials::data(yy));
    std::copy(from.xp.begin() + 1, from.xp.end(), sundials::data(yp));
  };
  load(restart);
  for (int k = 1; k <= n_; ++k) {
    sundials::data(abstol)[k - 1] = circuit_.absoluteTolerance(system_->circuitUnknown(k));
  }
  const sundials::Matrix matrix(SUNSparseMatrix(n_, n_, nnz_, CSC_MAT, context.get()));
  if (!matrix) {
    throw std::runtime_error("SUNDIALS: cannot allocate the Jacobian");
  }
  installCompiledMatrixOps(matrix.get());
  const sundials::LinearSolver solver(SUNLinSol_KLU(yy.get(), matrix.get(), context.get()));
  if (!solver) {
    throw std::runtime_error("SUNDIALS: cannot create the KLU linear solver");
  }
  chooseFillReducingOrdering(*SUNLinSol_KLUGetCommon(solver.get()), n_);
  const TimedSolverScope timedSolver(solver.get(), circuit_.costCounters());
  const sundials::Integrator integrator(context);
  void *ida = integrator.get();
  const auto check = [&](int flag, const char *what) {
    if (flag < 0) {
      if (callbackError_) {
        std::rethrow_exception(callbackError_);
      }
      throw std::runtime_error(fmt::format("IDA {} failed ({}): {}", what, flag, idaMessage_));
    }
  };
  check(IDASetErrHandlerFn(ida, errorTrampoline, this), "error handler");
  check(IDAInit(ida, residualTrampoline, restart.t, yy.get(), yp.get()), "init");
  check(IDASetUserData(ida, this), "user data");
  absoluteTolerance_.assign(sundials::data(abstol), sundials::data(abstol) + n_);
  check(IDAWFtolerances(ida, weightTrampoline), "tolerances");
  check(IDASetLinearSolver(ida, solver.get(), matrix.get()), "linear solver");
  check(IDASetJacFn(ida, jacobianTrampoline), "Jacobian");
  check(IDASetMaxStep(ida, maxStep_), "max step");
  // SPICE's "timestep too small": steps below 1e-11 of the largest step make
  // no real progress (a runaway solution would otherwise creep on for ever).
  check(IDASetMinStep(ida, kMinStepFraction * maxStep_), "min step");
  check(IDASetMaxNumSteps(ida, 100000), "max steps");
  // A new Jacobian whenever cj = α/h has changed by more than kJacobianCjChange
  // since the last one (IDA's default: 25 %). After a cj change IDA assumes
  // its stale Jacobian contracts Newton's error only by 100:101 and so
  // rarely accepts a first iteration, while a fresh Jacobian is assumed at
  // 20:21. One more refactorisation is cheaper than the second iteration
  // that would follow: an MNIST image takes 1433 instead of 1699 residual
  // evaluations and 414 instead of 193 factorisations, 950 instead of 979
  // steps; -3 % CPU, readouts closer to a reltol = 1e-5 run (9.7e-4 of their
  // spread against 1.45e-3).
  check(IDASetDeltaCjLSetup(ida, kJacobianCjChange), "Jacobian refresh threshold");
  check(IDASetStopTime(ida, stops[nextStop]), "stop time");
  // Branch currents that no charge depends on (V, E, H, and F's controlling
  // source) are left out of the local error test, as SPICE bounds the
  // truncation error of charges and fluxes only. Such a current is KCL's sum
  // of the device currents at the node voltages, which the test does cover,
  // so it is as accurate as they are; tested on its own, its 1e-12 A abstol
  // turned every transistor switching on from zero current into femtosecond
  // steps (a supply current rising through its first nanoamps). Newton's
  // convergence test still checks every unknown.
  const sundials::Vector differential = sundials::makeVector(n_, context);
  const int excluded = markAlgebraicCurrents(sundials::data(differential));
  if (excluded > 0) {
    check(IDASetId(ida, differential.get()), "variable types");
    check(IDASetSuppressAlg(ida, SUNTRUE), "error test of algebraic currents");
  }

  observer_.beginPlot(circuit_, PlotInfo{PlotKind::Transient, "Transient Analysis", "time"});
  long gridIndex = 0;
  const auto gridTime = [&](long k) { return tstart + static_cast<double>(k) * tstep; };
  if (tstart <= 0.0) {
    emit(0.0, start.data() + 1);
    gridIndex = 1;
  }

  long steps = 0, restarts = 0;
  double t = restart.t;
  auto lastProgress = std::chrono::steady_clock::now();
  while (t < tstop) {
    const int flag = IDASolve(ida, tstop, &t, yy.get(), yp.get(), IDA_ONE_STEP);
    if (flag < 0) {
      fail(flag, ida, matrix.get());
    }
    ++steps;
    if (steps > kMaxSteps) {
      throw UserError(
          where_, fmt::format("transient analysis gave up at {} after {} time steps", timeText(t), steps));
    }
    // Grid points passed by this step, interpolated from IDA's polynomial
    // (or, in the tiny restart interval, taken from the restart state).
    for (double g = gridTime(gridIndex); g <= tstop && g <= t; g = gridTime(++gridIndex)) {
      if (g < t - duplicateGap_ && g >= tstart) {
        if (g >= restart.t) {
          check(IDAGetDky(ida, g, 0, interpolated.get()), "interpolation");
          emit(g, sundials::data(interpolated));
        } else {
          emit(g, restart.x.data() + 1);
        }
      }
    }
    // One reconstruction serves the output point and the devices' history.
    expandPoint(t, sundials::data(yy));
    if (t >= tstart - duplicateGap_) {
      emitExpanded(t);
    }
    circuit_.acceptTimeStep(output_, t);
    evaluationValid_ = false; // device history may have changed

    if (flag == IDA_TSTOP_RETURN && t < tstop) {
      // At a source corner: restart with the slopes after the corner so the
      // BDF history never spans it.
      double stepBeforeCorner = 0.0;
      check(IDAGetLastStep(ida, &stepBeforeCorner), "last step");
      advanceStops(t);
      point_[0] = 0.0;
      std::copy(sundials::data(yy), sundials::data(yy) + n_, point_.begin() + 1);
      restart = consistentRestart(point_, t, stops[nextStop]);
      load(restart);
      collectStatistics(ida);
      check(IDAReInit(ida, restart.t, yy.get(), yp.get()), "restart");
      check(IDASetStopTime(ida, stops[nextStop]), "stop time");
      // First step after a corner as SPICE takes it: a tenth of the smaller of
      // the last step and the gap to the next corner; IDA's error test cuts it
      // if the new slopes need less. IDA's own guess, 0.5/‖x'‖, is set by the
      // fastest-ramping node against vntol: a source ramping 1 V per 0.1 ns
      // from 0 V asked for ~1e-15 s and some ten doubling steps per corner
      // (an MNIST image: 1142 -> 1088 steps, readouts unchanged to 1e-3 of
      // their spread against a reltol = 1e-5 run).
      const double firstStep = 0.1 * std::min(stepBeforeCorner, stops[nextStop] - restart.t);
      if (firstStep > 0.0) {
        check(IDASetInitStep(ida, firstStep), "first step");
      }
      evaluationValid_ = false;
      ++restarts;
    }
    if (settings_.progress) {
      const auto now = std::chrono::steady_clock::now();
      if (now - lastProgress > std::chrono::milliseconds(100)) {
        lastProgress = now;
        settings_.progress(t / tstop, timeText(t));
      }
    }
  }
  circuit_.acceptLastTimeStep(output_, t); // output_ holds the last point
  observer_.endPlot();
  if (settings_.progress) {
    settings_.progress(1.0, timeText(tstop));
  }
  collectStatistics(ida);
  return {
      fmt::format("transient: {}; {} steps, {} points, {} restarts at breakpoints, {} residual evaluations, "
                  "{} Jacobian factorisations; {}",
                  description, steps, pointsEmitted_, restarts, residualCount_, setupCount_, systemLog_)};
}

void TransientRun::chooseSystem() {
  AnalysisCache *cache = settings_.cache;
  if (cache != nullptr && cache->transientSystem && &cache->transientSystem->circuit() == &circuit_) {
    system_ = cache->transientSystem.get();
    systemLog_ = cache->transientSystemLog;
  } else {
    ownedSystem_ = makeTransientSystem(circuit_, systemLog_);
    system_ = ownedSystem_.get();
    if (cache != nullptr) {
      cache->transientSystem = std::move(ownedSystem_);
      cache->transientSystemLog = systemLog_;
    }
  }
  if (auto *reduced = dynamic_cast<ReducedSystem *>(system_)) {
    reduced->prepareRun(spec_.tstop);
  }
  n_ = system_->size();
  nnz_ = system_->pattern().nonZeros();
  voltageDiagonals_.clear();
  for (int k = 1; k <= n_; ++k) {
    if (system_->kind(k) == UnknownKind::Voltage) {
      if (const MatrixSlot slot = system_->diagonalSlot(k); slot >= 0) {
        voltageDiagonals_.push_back({static_cast<size_t>(k) - 1, slot});
      }
    }
  }
  x_.assign(static_cast<size_t>(n_) + 1, 0.0);
  point_.assign(static_cast<size_t>(n_) + 1, 0.0);
}

} // namespace

AnalysisSummary runTransient(Circuit &circuit, const TranAnalysisSpec &spec, const SourceLoc &where,
                             SolutionObserver &observer, const RunSettings &settings) {
  TransientRun run(circuit, spec, where, observer, settings);
  return run.run();
}

} // namespace dwspice
