// The parameter expression language: parsed once into a small AST, evaluated
// in a parameter scope as often as needed (once per subcircuit instance).
//
//   ternary  c ? a : b            (lowest precedence, right-associative)
//   ||  &&  == !=  < <= > >=  + -  * /  unary - + !  ^ ** (right-associative)
//   numbers with SPICE suffixes, parameters, pi, function calls.
//
// Every node keeps its source location: errors found while evaluating
// (division by zero, unknown parameter, NaN) point at the exact column.
#pragma once

#include "core/diagnostics.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice {

enum class ExprOp {
  Number,
  Param,
  Negate,
  LogicalNot,
  Add,
  Subtract,
  Multiply,
  Divide,
  Power,
  Equal,
  NotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  LogicalAnd,
  LogicalOr,
  Conditional, // operands: condition, then, else
  Call,
  UserCall, // a `.func` function; operands are the arguments
};

enum class Builtin {
  Sqrt,
  Exp,
  Log,
  Log10,
  Pow,
  Pwr, // ngspice's |x|^y (numparam), defined for negative x
  Abs,
  Min,
  Max,
  Sin,
  Cos,
  Tan,
  Atan,
  Atan2,
  Floor,
  Ceil,
  Asin,
  Acos,
  Sinh,
  Cosh,
  Tanh,
  Int,
  Sgn,
  If,
  Round,
};

struct UserFunction;

struct ExprNode {
  ExprOp op = ExprOp::Number;
  double number = 0.0; // Number
  std::string name;    // Param name or function name (lower-case)
  Builtin function = Builtin::Sqrt;
  std::vector<std::unique_ptr<const ExprNode>> operands;
  std::shared_ptr<const UserFunction> userFunction; // UserCall
  SourceLoc loc;                                    // operator, name or number position
};

using ExprPtr = std::shared_ptr<const ExprNode>;

// `.func name(a, b) = expr`: parameters are looked up before the scope of
// the call. A body may call only functions defined before it, so user
// functions cannot recurse.
struct UserFunction {
  std::string name;
  std::vector<std::string> params;
  ExprPtr body;
  SourceLoc loc;
};

using FunctionTable = std::map<std::string, std::shared_ptr<const UserFunction>, std::less<>>;

// Maps an offset in the expression text to its source location.
using LocMapper = std::function<SourceLoc(std::size_t)>;

// Parses `text` (lower-case). Throws UserError at the offending column for
// syntax errors, unknown functions and wrong argument counts. `functions`
// holds the `.func` definitions visible here (may be null).
ExprPtr parseExpression(std::string_view text, const LocMapper &locOf,
                        const FunctionTable *functions = nullptr);

// Parameter values visible to an evaluation.
class ParamLookup {
public:
  virtual ~ParamLookup() = default;
  // nullptr if `name` is not defined in this scope or any enclosing one.
  [[nodiscard]] virtual const double *find(std::string_view name) const = 0;
};

// Evaluates `node`. Throws UserError for unknown parameters, division by
// zero and results that are not finite numbers.
double evaluate(const ExprNode &node, const ParamLookup &scope);

} // namespace dwspice
