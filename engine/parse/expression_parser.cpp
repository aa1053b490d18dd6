// Building the expression tree for the X3 grammar (expression_grammar.cpp):
// nodes with source locations, the builtin function table, call checks and
// the size and nesting guards.
#include "parse/expression_grammar_builder.hpp"

#include <fmt/core.h>

#include <array>

namespace dwspice {

namespace {

struct BuiltinInfo {
  std::string_view name;
  Builtin function;
  int minArgs;
  int maxArgs; // -1: unbounded
};

constexpr std::array kBuiltins{
    BuiltinInfo{"sqrt", Builtin::Sqrt, 1, 1},   BuiltinInfo{"exp", Builtin::Exp, 1, 1},
    BuiltinInfo{"log", Builtin::Log, 1, 1},     BuiltinInfo{"ln", Builtin::Log, 1, 1},
    BuiltinInfo{"log10", Builtin::Log10, 1, 1}, BuiltinInfo{"pow", Builtin::Pow, 2, 2},
    BuiltinInfo{"pwr", Builtin::Pwr, 2, 2},     BuiltinInfo{"abs", Builtin::Abs, 1, 1},
    BuiltinInfo{"min", Builtin::Min, 2, -1},    BuiltinInfo{"max", Builtin::Max, 2, -1},
    BuiltinInfo{"sin", Builtin::Sin, 1, 1},     BuiltinInfo{"cos", Builtin::Cos, 1, 1},
    BuiltinInfo{"tan", Builtin::Tan, 1, 1},     BuiltinInfo{"atan", Builtin::Atan, 1, 1},
    BuiltinInfo{"atan2", Builtin::Atan2, 2, 2}, BuiltinInfo{"floor", Builtin::Floor, 1, 1},
    BuiltinInfo{"ceil", Builtin::Ceil, 1, 1},   BuiltinInfo{"asin", Builtin::Asin, 1, 1},
    BuiltinInfo{"acos", Builtin::Acos, 1, 1},   BuiltinInfo{"sinh", Builtin::Sinh, 1, 1},
    BuiltinInfo{"cosh", Builtin::Cosh, 1, 1},   BuiltinInfo{"tanh", Builtin::Tanh, 1, 1},
    BuiltinInfo{"int", Builtin::Int, 1, 1},     BuiltinInfo{"sgn", Builtin::Sgn, 1, 1},
    BuiltinInfo{"if", Builtin::If, 3, 3},       BuiltinInfo{"round", Builtin::Round, 1, 1},
};

const BuiltinInfo *findBuiltin(std::string_view name) {
  for (const BuiltinInfo &info : kBuiltins) {
    if (info.name == name) {
      return &info;
    }
  }
  return nullptr;
}

// Active recursive grammar rules (the conditional and unary levels, entered
// about twice per parenthesis level). Bounds the parser's C stack use well
// below a thread's default stack, even in sanitizer builds.
constexpr int kMaxNesting = 400;
// Nodes in one expression: evaluation recurses over the tree.
constexpr int kMaxNodes = 5000;

std::string argumentCountError(std::string_view name, int minArgs, int maxArgs, std::size_t got) {
  const std::string expected = maxArgs < 0          ? fmt::format("at least {}", minArgs)
                               : minArgs == maxArgs ? fmt::format("{}", minArgs)
                                                    : fmt::format("{} to {}", minArgs, maxArgs);
  return fmt::format("function '{}' takes {} argument{}, got {}", name, expected, maxArgs == 1 ? "" : "s",
                     got);
}

} // namespace

ExpressionBuilder::ExpressionBuilder(std::string_view text, const LocMapper &locOf,
                                     const FunctionTable *functions)
    : text_(text), locOf_(locOf), functions_(functions) {}

const char *ExpressionBuilder::skipBlanks(const char *at) const {
  while (at != end() && (*at == ' ' || *at == '\t')) {
    ++at;
  }
  return at;
}

void ExpressionBuilder::fail(const char *at, const std::string &message) const {
  throw UserError(locOf_(static_cast<std::size_t>(at - begin())), message);
}

ExprNodePtr ExpressionBuilder::node(ExprOp op, const char *at) {
  if (++nodeCount_ > kMaxNodes) {
    fail(at, "expression too long");
  }
  auto created = std::make_unique<ExprNode>();
  created->op = op;
  created->loc = locOf_(static_cast<std::size_t>(at - begin()));
  return created;
}

ExprNodePtr ExpressionBuilder::number(double value, const char *at) {
  ExprNodePtr created = node(ExprOp::Number, at);
  created->number = value;
  return created;
}

ExprNodePtr ExpressionBuilder::parameter(std::string_view name, const char *at) {
  ExprNodePtr created = node(ExprOp::Param, at);
  created->name = name;
  return created;
}

void ExpressionBuilder::resolveCall(ExprNode &name) const {
  if (functions_ != nullptr) {
    const auto user = functions_->find(name.name);
    if (user != functions_->end()) {
      name.op = ExprOp::UserCall;
      name.userFunction = user->second;
      return;
    }
  }
  const BuiltinInfo *info = findBuiltin(name.name);
  if (info == nullptr) {
    throw UserError(name.loc, fmt::format("unknown function '{}'", name.name));
  }
  name.op = ExprOp::Call;
  name.function = info->function;
}

void ExpressionBuilder::attachArguments(ExprNode &call, std::vector<ExprNodePtr> arguments) const {
  const std::size_t count = arguments.size();
  call.operands.reserve(count);
  for (ExprNodePtr &argument : arguments) {
    call.operands.push_back(std::move(argument));
  }
  if (call.op == ExprOp::UserCall) {
    const int expected = static_cast<int>(call.userFunction->params.size());
    if (static_cast<int>(count) != expected) {
      throw UserError(call.loc, argumentCountError(call.name, expected, expected, count));
    }
    return;
  }
  const BuiltinInfo &info = *findBuiltin(call.name);
  const int got = static_cast<int>(count);
  if (got < info.minArgs || (info.maxArgs >= 0 && got > info.maxArgs)) {
    throw UserError(call.loc, argumentCountError(call.name, info.minArgs, info.maxArgs, count));
  }
}

ExpressionBuilder::NestingScope::NestingScope(ExpressionBuilder &builder, const char *at)
    : builder_(builder) {
  if (builder_.depth_ >= kMaxNesting) {
    builder_.fail(builder_.skipBlanks(at), "expression nested too deeply");
  }
  ++builder_.depth_;
}

} // namespace dwspice
