// Recursive-descent parser for parameter expressions (see expression.hpp).
#include "parse/expression.hpp"
#include "parse/spice_number.hpp"

#include <fmt/core.h>

#include <array>
#include <cctype>

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
    BuiltinInfo{"pwr", Builtin::Pow, 2, 2},     BuiltinInfo{"abs", Builtin::Abs, 1, 1},
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

bool isIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool isIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

using NodePtr = std::unique_ptr<ExprNode>;

class Parser {
public:
  Parser(std::string_view text, const LocMapper &locOf, const FunctionTable *functions)
      : text_(text), locOf_(locOf), functions_(functions) {}

  NodePtr parseAll() {
    skipBlanks();
    if (pos_ == text_.size()) {
      fail(pos_, "empty expression");
    }
    NodePtr root = parseConditional();
    skipBlanks();
    if (pos_ < text_.size()) {
      if (text_[pos_] == ')') {
        fail(pos_, "unbalanced parentheses: ')' has no matching '('");
      }
      fail(pos_, fmt::format("unexpected '{}' in expression", text_[pos_]));
    }
    return root;
  }

private:
  [[noreturn]] void fail(std::size_t at, const std::string &message) const {
    throw UserError(locOf_(at), message);
  }

  void skipBlanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  // Consumes `token` if it comes next (after blanks).
  bool accept(std::string_view token) {
    skipBlanks();
    if (text_.substr(pos_, token.size()) == token) {
      pos_ += token.size();
      return true;
    }
    return false;
  }

  NodePtr makeNode(ExprOp op, std::size_t at) {
    // Evaluation recurses over the tree; a bounded size keeps hostile input
    // (`1+1+1+…` a million times) from exhausting the stack.
    if (++nodeCount_ > kMaxNodes) {
      fail(at, "expression too long");
    }
    auto node = std::make_unique<ExprNode>();
    node->op = op;
    node->loc = locOf_(at);
    return node;
  }

  NodePtr binary(ExprOp op, std::size_t at, NodePtr lhs, NodePtr rhs) {
    NodePtr node = makeNode(op, at);
    node->operands.push_back(std::move(lhs));
    node->operands.push_back(std::move(rhs));
    return node;
  }

  NodePtr parseConditional() {
    if (depth_ > kMaxDepth) {
      fail(pos_, "expression nested too deeply");
    }
    NodePtr condition = parseOr();
    skipBlanks();
    const std::size_t at = pos_;
    if (!accept("?")) {
      return condition;
    }
    ++depth_;
    NodePtr whenTrue = parseConditional();
    if (!accept(":")) {
      fail(pos_, "expected ':' of the conditional '?'");
    }
    NodePtr whenFalse = parseConditional();
    --depth_;
    NodePtr node = makeNode(ExprOp::Conditional, at);
    node->operands.push_back(std::move(condition));
    node->operands.push_back(std::move(whenTrue));
    node->operands.push_back(std::move(whenFalse));
    return node;
  }

  NodePtr parseOr() {
    NodePtr lhs = parseAnd();
    for (;;) {
      skipBlanks();
      const std::size_t at = pos_;
      if (!accept("||")) {
        return lhs;
      }
      lhs = binary(ExprOp::LogicalOr, at, std::move(lhs), parseAnd());
    }
  }

  NodePtr parseAnd() {
    NodePtr lhs = parseEquality();
    for (;;) {
      skipBlanks();
      const std::size_t at = pos_;
      if (!accept("&&")) {
        return lhs;
      }
      lhs = binary(ExprOp::LogicalAnd, at, std::move(lhs), parseEquality());
    }
  }

  NodePtr parseEquality() {
    NodePtr lhs = parseRelational();
    for (;;) {
      skipBlanks();
      const std::size_t at = pos_;
      ExprOp op{};
      if (accept("==")) {
        op = ExprOp::Equal;
      } else if (accept("!=")) {
        op = ExprOp::NotEqual;
      } else {
        return lhs;
      }
      lhs = binary(op, at, std::move(lhs), parseRelational());
    }
  }

  NodePtr parseRelational() {
    NodePtr lhs = parseAdditive();
    for (;;) {
      skipBlanks();
      const std::size_t at = pos_;
      ExprOp op{};
      if (accept("<=")) {
        op = ExprOp::LessEqual;
      } else if (accept(">=")) {
        op = ExprOp::GreaterEqual;
      } else if (accept("<")) {
        op = ExprOp::Less;
      } else if (accept(">")) {
        op = ExprOp::Greater;
      } else {
        return lhs;
      }
      lhs = binary(op, at, std::move(lhs), parseAdditive());
    }
  }

  NodePtr parseAdditive() {
    NodePtr lhs = parseMultiplicative();
    for (;;) {
      skipBlanks();
      const std::size_t at = pos_;
      ExprOp op{};
      if (accept("+")) {
        op = ExprOp::Add;
      } else if (accept("-")) {
        op = ExprOp::Subtract;
      } else {
        return lhs;
      }
      lhs = binary(op, at, std::move(lhs), parseMultiplicative());
    }
  }

  NodePtr parseMultiplicative() {
    NodePtr lhs = parseUnary();
    for (;;) {
      skipBlanks();
      const std::size_t at = pos_;
      // `**` is power, handled below the unary level.
      if (text_.substr(pos_, 2) == "**") {
        return lhs;
      }
      ExprOp op{};
      if (accept("*")) {
        op = ExprOp::Multiply;
      } else if (accept("/")) {
        op = ExprOp::Divide;
      } else {
        return lhs;
      }
      lhs = binary(op, at, std::move(lhs), parseUnary());
    }
  }

  NodePtr parseUnary() {
    skipBlanks();
    const std::size_t at = pos_;
    if (depth_ > kMaxDepth) {
      fail(at, "expression nested too deeply");
    }
    if (text_.substr(pos_, 2) != "!=" && accept("!")) {
      ++depth_;
      NodePtr node = makeNode(ExprOp::LogicalNot, at);
      node->operands.push_back(parseUnary());
      --depth_;
      return node;
    }
    if (accept("-")) {
      ++depth_;
      NodePtr node = makeNode(ExprOp::Negate, at);
      node->operands.push_back(parseUnary());
      --depth_;
      return node;
    }
    if (accept("+")) {
      ++depth_;
      NodePtr operand = parseUnary();
      --depth_;
      return operand;
    }
    return parsePower();
  }

  NodePtr parsePower() {
    NodePtr base = parsePrimary();
    skipBlanks();
    const std::size_t at = pos_;
    if (accept("**") || accept("^")) {
      ++depth_;
      NodePtr exponent = parseUnary(); // right-associative; 2^-1 allowed
      --depth_;
      return binary(ExprOp::Power, at, std::move(base), std::move(exponent));
    }
    return base;
  }

  NodePtr parsePrimary() {
    skipBlanks();
    const std::size_t at = pos_;
    if (pos_ == text_.size()) {
      fail(at, "expression ends where a value is expected");
    }
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      ++depth_;
      if (depth_ > kMaxDepth) {
        fail(at, "expression nested too deeply");
      }
      NodePtr inner = parseConditional();
      --depth_;
      if (!accept(")")) {
        fail(at, "unbalanced parentheses: '(' is never closed");
      }
      return inner;
    }
    if (looksNumeric(text_.substr(pos_), false)) {
      return parseNumber();
    }
    if (isIdentStart(c)) {
      return parseName();
    }
    if (c == ')') {
      fail(at, "unbalanced parentheses: ')' has no matching '('");
    }
    fail(at, fmt::format("unexpected '{}' where a value is expected", c));
  }

  NodePtr parseNumber() {
    const std::size_t at = pos_;
    const NumberScan scan = scanNumber(text_.substr(pos_), false);
    if (scan.status != NumberScan::Status::Ok) {
      fail(at + scan.errorAt, scan.reason);
    }
    pos_ += scan.length;
    if (pos_ < text_.size() && (text_[pos_] == '.' || isIdentChar(text_[pos_]))) {
      fail(pos_, "malformed number");
    }
    NodePtr node = makeNode(ExprOp::Number, at);
    node->number = scan.value;
    return node;
  }

  NodePtr parseName() {
    const std::size_t at = pos_;
    while (pos_ < text_.size() && isIdentChar(text_[pos_])) {
      ++pos_;
    }
    const std::string_view name = text_.substr(at, pos_ - at);
    skipBlanks();
    if (pos_ < text_.size() && text_[pos_] == '(') {
      return parseCall(name, at);
    }
    NodePtr node = makeNode(ExprOp::Param, at);
    node->name = name;
    return node;
  }

  NodePtr parseCall(std::string_view name, std::size_t at) {
    if (functions_ != nullptr) {
      const auto user = functions_->find(name);
      if (user != functions_->end()) {
        return parseUserCall(user->second, at);
      }
    }
    const BuiltinInfo *info = findBuiltin(name);
    if (info == nullptr) {
      fail(at, fmt::format("unknown function '{}'", name));
    }
    NodePtr node = makeNode(ExprOp::Call, at);
    node->name = name;
    node->function = info->function;
    parseArguments(*node, name);
    const int count = static_cast<int>(node->operands.size());
    if (count < info->minArgs || (info->maxArgs >= 0 && count > info->maxArgs)) {
      const std::string expected = info->maxArgs < 0 ? fmt::format("at least {}", info->minArgs)
                                   : info->minArgs == info->maxArgs
                                       ? fmt::format("{}", info->minArgs)
                                       : fmt::format("{} to {}", info->minArgs, info->maxArgs);
      fail(at, fmt::format("function '{}' takes {} argument{}, got {}", name, expected,
                           info->maxArgs == 1 ? "" : "s", count));
    }
    return node;
  }

  // Arguments of a call after the name: `(a, b, …)`.
  void parseArguments(ExprNode &node, std::string_view name) {
    const std::size_t open = pos_;
    ++pos_; // '('
    ++depth_;
    if (depth_ > kMaxDepth) {
      fail(open, "expression nested too deeply");
    }
    if (!accept(")")) {
      for (;;) {
        node.operands.push_back(parseConditional());
        if (accept(",")) {
          continue;
        }
        if (accept(")")) {
          break;
        }
        skipBlanks();
        if (pos_ == text_.size()) {
          fail(open, "unbalanced parentheses: '(' is never closed");
        }
        fail(pos_, fmt::format("expected ',' or ')' in the arguments of '{}'", name));
      }
    }
    --depth_;
  }

  NodePtr parseUserCall(const std::shared_ptr<const UserFunction> &function, std::size_t at) {
    NodePtr node = makeNode(ExprOp::UserCall, at);
    node->name = function->name;
    node->userFunction = function;
    parseArguments(*node, function->name);
    if (node->operands.size() != function->params.size()) {
      fail(at,
           fmt::format("function '{}' takes {} argument{}, got {}", function->name, function->params.size(),
                       function->params.size() == 1 ? "" : "s", node->operands.size()));
    }
    return node;
  }

  static constexpr int kMaxDepth = 200; // keeps hostile input from exhausting the stack
  static constexpr int kMaxNodes = 5000;

  std::string_view text_;
  const LocMapper &locOf_;
  const FunctionTable *functions_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  int nodeCount_ = 0;
};

} // namespace

ExprPtr parseExpression(std::string_view text, const LocMapper &locOf, const FunctionTable *functions) {
  Parser parser(text, locOf, functions);
  return parser.parseAll();
}

} // namespace dwspice
