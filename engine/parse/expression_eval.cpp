// Evaluation of parameter expressions (see expression.hpp).
#include "parse/expression.hpp"

#include <fmt/core.h>

#include <cmath>
#include <numbers>

namespace dwspice {

namespace {

double truth(bool value) {
  return value ? 1.0 : 0.0;
}

// Bounds the work of one evaluation: nested `.func` calls can multiply
// (f2(x) = f1(f1(x)), f3 = f2(f2(…)) …) into an apparent hang.
struct EvalBudget {
  long userCalls = 1'000'000;
};

double evaluateNode(const ExprNode &node, const ParamLookup &scope, EvalBudget &budget);

// A `.func` body sees its arguments first, then the caller's parameters.
class ArgumentScope final : public ParamLookup {
public:
  ArgumentScope(const UserFunction &function, const std::vector<double> &values, const ParamLookup &caller)
      : function_(function), values_(values), caller_(caller) {}
  [[nodiscard]] const double *find(std::string_view name) const override {
    for (std::size_t i = 0; i < function_.params.size(); ++i) {
      if (function_.params[i] == name) {
        return &values_[i];
      }
    }
    return caller_.find(name);
  }

private:
  const UserFunction &function_;
  const std::vector<double> &values_;
  const ParamLookup &caller_;
};

double callBuiltin(const ExprNode &node, const ParamLookup &scope, EvalBudget &budget) {
  const auto arg = [&](std::size_t i) { return evaluateNode(*node.operands[i], scope, budget); };
  switch (node.function) {
  case Builtin::If: // lazy, so `if(x == 0, 0, 1/x)` works
    return arg(0) != 0.0 ? arg(1) : arg(2);
  case Builtin::Min:
  case Builtin::Max: {
    double result = arg(0);
    for (std::size_t i = 1; i < node.operands.size(); ++i) {
      const double v = arg(i);
      result = node.function == Builtin::Min ? std::min(result, v) : std::max(result, v);
    }
    return result;
  }
  case Builtin::Pow:
    return std::pow(arg(0), arg(1));
  case Builtin::Pwr:
    return std::pow(std::abs(arg(0)), arg(1));
  case Builtin::Atan2:
    return std::atan2(arg(0), arg(1));
  default:
    break;
  }
  const double x = arg(0);
  switch (node.function) {
  case Builtin::Sqrt:
    if (x < 0) {
      throw UserError(node.loc, fmt::format("sqrt of a negative number ({:g})", x));
    }
    return std::sqrt(x);
  case Builtin::Exp:
    return std::exp(x);
  case Builtin::Log:
  case Builtin::Log10:
    if (x <= 0) {
      throw UserError(node.loc, fmt::format("{} of a number that is not positive ({:g})", node.name, x));
    }
    return node.function == Builtin::Log ? std::log(x) : std::log10(x);
  case Builtin::Abs:
    return std::fabs(x);
  case Builtin::Sin:
    return std::sin(x);
  case Builtin::Cos:
    return std::cos(x);
  case Builtin::Tan:
    return std::tan(x);
  case Builtin::Atan:
    return std::atan(x);
  case Builtin::Floor:
    return std::floor(x);
  case Builtin::Ceil:
    return std::ceil(x);
  case Builtin::Asin:
    return std::asin(x);
  case Builtin::Acos:
    return std::acos(x);
  case Builtin::Sinh:
    return std::sinh(x);
  case Builtin::Cosh:
    return std::cosh(x);
  case Builtin::Tanh:
    return std::tanh(x);
  case Builtin::Int:
    return std::trunc(x);
  case Builtin::Round:
    return std::round(x);
  case Builtin::Sgn:
    return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
  default:
    throw UserError(node.loc, fmt::format("function '{}' is not implemented", node.name));
  }
}

double callUserFunction(const ExprNode &node, const ParamLookup &scope, EvalBudget &budget) {
  if (--budget.userCalls < 0) {
    throw UserError(node.loc, fmt::format("evaluating '{}' takes too many function calls", node.name));
  }
  std::vector<double> values;
  values.reserve(node.operands.size());
  for (const auto &operand : node.operands) {
    values.push_back(evaluateNode(*operand, scope, budget));
  }
  const ArgumentScope arguments(*node.userFunction, values, scope);
  return evaluateNode(*node.userFunction->body, arguments, budget);
}

double evaluateUnchecked(const ExprNode &node, const ParamLookup &scope, EvalBudget &budget) {
  const auto operand = [&](std::size_t i) { return evaluateNode(*node.operands[i], scope, budget); };
  switch (node.op) {
  case ExprOp::Number:
    return node.number;
  case ExprOp::Param: {
    if (const double *value = scope.find(node.name)) {
      return *value;
    }
    if (node.name == "pi") {
      return std::numbers::pi;
    }
    throw UserError(node.loc, fmt::format("undefined parameter '{}'", node.name));
  }
  case ExprOp::Negate:
    return -operand(0);
  case ExprOp::LogicalNot:
    return truth(operand(0) == 0.0);
  case ExprOp::Add:
    return operand(0) + operand(1);
  case ExprOp::Subtract:
    return operand(0) - operand(1);
  case ExprOp::Multiply:
    return operand(0) * operand(1);
  case ExprOp::Divide: {
    const double numerator = operand(0);
    const double denominator = operand(1);
    if (denominator == 0.0) {
      throw UserError(node.loc, "division by zero");
    }
    return numerator / denominator;
  }
  case ExprOp::Power:
    return std::pow(operand(0), operand(1));
  case ExprOp::Equal:
    return truth(operand(0) == operand(1));
  case ExprOp::NotEqual:
    return truth(operand(0) != operand(1));
  case ExprOp::Less:
    return truth(operand(0) < operand(1));
  case ExprOp::LessEqual:
    return truth(operand(0) <= operand(1));
  case ExprOp::Greater:
    return truth(operand(0) > operand(1));
  case ExprOp::GreaterEqual:
    return truth(operand(0) >= operand(1));
  case ExprOp::LogicalAnd: // short-circuit, as in C
    return truth(operand(0) != 0.0 && operand(1) != 0.0);
  case ExprOp::LogicalOr:
    return truth(operand(0) != 0.0 || operand(1) != 0.0);
  case ExprOp::Conditional:
    return operand(0) != 0.0 ? operand(1) : operand(2);
  case ExprOp::Call:
    return callBuiltin(node, scope, budget);
  case ExprOp::UserCall:
    return callUserFunction(node, scope, budget);
  }
  throw UserError(node.loc, "invalid expression");
}

double evaluateNode(const ExprNode &node, const ParamLookup &scope, EvalBudget &budget) {
  const double value = evaluateUnchecked(node, scope, budget);
  if (!std::isfinite(value)) {
    const char *what = std::isnan(value) ? "is not a number (NaN)" : "is infinite";
    const std::string subject =
        node.op == ExprOp::Call ? fmt::format("the result of '{}'", node.name) : "the result";
    throw UserError(node.loc, fmt::format("{} {}", subject, what));
  }
  return value;
}

} // namespace

double evaluate(const ExprNode &node, const ParamLookup &scope) {
  EvalBudget budget;
  return evaluateNode(node, scope, budget);
}

} // namespace dwspice
