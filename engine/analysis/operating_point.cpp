#include "analysis/operating_point.hpp"

#include "analysis/unknown_description.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>

namespace dwspice {

namespace {

constexpr double kFirstGminShunt = 1e-2;  // S, gmin stepping starts here …
constexpr double kMinGminFactor = 1.0001; // … and gives up when steps shrink below this ratio
constexpr double kFirstSourceStep = 0.1;
constexpr double kMinSourceStep = 1e-6;

// Tracks the attempts so the final error can say what went wrong.
struct Attempts {
  int iterations = 0;
  std::optional<int> singular;
  int worstUnknown = 0;
  void record(const NewtonOutcome &outcome) {
    iterations += outcome.iterations;
    if (outcome.singularUnknown && !singular) {
      singular = outcome.singularUnknown;
    }
    if (!outcome.converged && outcome.worstUnknown != 0) {
      worstUnknown = outcome.worstUnknown;
    }
  }
};

NewtonRequest baseRequest(const OperatingPointSettings &settings) {
  NewtonRequest request;
  request.mode = settings.mode;
  request.maxIterations = settings.iterationLimit;
  request.held = settings.held;
  request.transientStart = settings.transientStart;
  request.limiting = true;
  return request;
}

// Gmin stepping: a shunt to ground on every voltage node makes the system
// strongly diagonal; it is lowered a decade at a time (smaller steps after a
// failure) down to options.gmin and finally removed.
bool gminStepping(NewtonSolver &newton, std::vector<double> &x, const OperatingPointSettings &settings,
                  double targetGmin, Attempts &attempts, int &steps) {
  NewtonRequest request = baseRequest(settings);
  request.shuntConductance = kFirstGminShunt;
  request.initJunctions = true;
  NewtonOutcome outcome = newton.solve(x, request);
  attempts.record(outcome);
  if (!outcome.converged) {
    return false;
  }
  request.initJunctions = false;
  ++steps;
  double shunt = kFirstGminShunt;
  double factor = 10.0;
  std::vector<double> lastGood = x;
  while (true) {
    const bool finalStep = shunt <= targetGmin * (1 + 1e-9);
    const double next = finalStep ? 0.0 : std::max(shunt / factor, targetGmin);
    request.shuntConductance = next;
    outcome = newton.solve(x, request);
    attempts.record(outcome);
    if (outcome.converged) {
      ++steps;
      if (finalStep) {
        return true;
      }
      shunt = next;
      lastGood = x;
      factor = std::min(factor * 2.0, 10.0);
    } else {
      if (finalStep) {
        return false;
      }
      x = lastGood;
      factor = std::sqrt(factor);
      if (factor < kMinGminFactor) {
        return false;
      }
    }
  }
}

// Source stepping: all independent sources ramp from 0 to their full value;
// the step grows after successes and shrinks after failures.
bool sourceStepping(NewtonSolver &newton, std::vector<double> &x, const OperatingPointSettings &settings,
                    Attempts &attempts, int &steps) {
  NewtonRequest request = baseRequest(settings);
  std::fill(x.begin(), x.end(), 0.0);
  request.sourceFactor = 0.0;
  request.initJunctions = true;
  NewtonOutcome outcome = newton.solve(x, request);
  attempts.record(outcome);
  if (!outcome.converged) {
    return false;
  }
  request.initJunctions = false;
  ++steps;
  double factor = 0.0;
  double step = kFirstSourceStep;
  std::vector<double> lastGood = x;
  while (factor < 1.0) {
    const double next = std::min(1.0, factor + step);
    request.sourceFactor = next;
    outcome = newton.solve(x, request);
    attempts.record(outcome);
    if (outcome.converged) {
      ++steps;
      factor = next;
      lastGood = x;
      step *= 1.5;
    } else {
      x = lastGood;
      step /= 4.0;
      if (step < kMinSourceStep) {
        return false;
      }
    }
  }
  return true;
}

} // namespace

std::string OperatingPointResult::describe() const {
  if (method == "Newton") {
    return fmt::format("Newton converged in {} iteration{}", iterations, iterations == 1 ? "" : "s");
  }
  return fmt::format("{} converged ({} steps, {} Newton iterations in all)", method, steps, iterations);
}

OperatingPointResult solveOperatingPoint(Circuit &circuit, NewtonSolver &newton,
                                         const std::vector<double> &initialGuess,
                                         const OperatingPointSettings &settings, const SourceLoc &where) {
  Attempts attempts;
  OperatingPointResult result;
  result.x = initialGuess;

  NewtonRequest request = baseRequest(settings);
  request.initJunctions = true;
  const NewtonOutcome plain = newton.solve(result.x, request);
  attempts.record(plain);
  if (plain.converged) {
    result.method = "Newton";
    result.iterations = attempts.iterations;
    return result;
  }

  result.x = initialGuess;
  int steps = 0;
  if (gminStepping(newton, result.x, settings, circuit.options().gmin, attempts, steps)) {
    result.method = "gmin stepping";
    result.iterations = attempts.iterations;
    result.steps = steps;
    return result;
  }

  steps = 0;
  if (sourceStepping(newton, result.x, settings, attempts, steps)) {
    result.method = "source stepping";
    result.iterations = attempts.iterations;
    result.steps = steps;
    return result;
  }

  if (attempts.singular) {
    throw UserError(
        where, fmt::format("singular matrix at {} (gmin and source stepping did not help; check for "
                           "floating nodes, current-source cutsets or shorted sources)",
                           describeUnknown(circuit, newton.system().circuitUnknown(*attempts.singular))));
  }
  throw UserError(
      where, fmt::format("no convergence in the operating point after {} Newton iterations "
                         "(Newton, gmin stepping and source stepping failed; last trouble at {})",
                         attempts.iterations,
                         describeUnknown(circuit, newton.system().circuitUnknown(attempts.worstUnknown))));
}

std::vector<double> nodesetGuess(const Circuit &circuit) {
  std::vector<double> x(static_cast<size_t>(circuit.size()) + 1, 0.0);
  for (const NodeValue &nodeset : circuit.nodesets()) {
    const std::optional<int> node = circuit.findNode(nodeset.node);
    if (!node) {
      throw UserError(nodeset.loc,
                      fmt::format(".nodeset names node '{}', which is not in the circuit", nodeset.node));
    }
    if (*node != 0) {
      x[static_cast<size_t>(*node)] = nodeset.value;
    }
  }
  return x;
}

std::vector<HeldValue> initialConditionValues(const Circuit &circuit) {
  std::vector<HeldValue> values;
  for (const NodeValue &ic : circuit.initialConditions()) {
    const std::optional<int> node = circuit.findNode(ic.node);
    if (!node) {
      throw UserError(ic.loc, fmt::format(".ic names node '{}', which is not in the circuit", ic.node));
    }
    if (*node != 0) {
      values.push_back({*node, ic.value});
    }
  }
  return values;
}

} // namespace dwspice
