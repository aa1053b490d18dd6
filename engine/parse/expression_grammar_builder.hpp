// What the X3 expression grammar (expression_grammar.cpp) calls to build the
// ExprNode tree: node construction with source locations, function lookup
// and arity checks, and the guards that keep hostile input from exhausting
// the stack. Kept apart from the grammar so that only one file pays for the
// Spirit X3 templates.
#pragma once

#include "parse/expression.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice {

using ExprNodePtr = std::unique_ptr<ExprNode>;

class ExpressionBuilder {
public:
  ExpressionBuilder(std::string_view text, const LocMapper &locOf, const FunctionTable *functions);

  [[nodiscard]] const char *begin() const { return text_.data(); }
  [[nodiscard]] const char *end() const { return text_.data() + text_.size(); }
  // First character at or after `at` that is not a blank.
  [[nodiscard]] const char *skipBlanks(const char *at) const;

  // Throws UserError at the column of `at` (a pointer into the text).
  [[noreturn]] void fail(const char *at, const std::string &message) const;

  // A node without operands at `at`. Counts nodes: evaluation recurses over
  // the tree, so its size is bounded.
  ExprNodePtr node(ExprOp op, const char *at);
  ExprNodePtr number(double value, const char *at);
  ExprNodePtr parameter(std::string_view name, const char *at);

  // `name(`: turns the Param node `name` into a call of the `.func` or
  // builtin of that name. An unknown name is an error at the name, before
  // its arguments are read.
  void resolveCall(ExprNode &name) const;
  // Attaches the arguments and checks their count against the function.
  void attachArguments(ExprNode &call, std::vector<ExprNodePtr> arguments) const;

  // Parser recursion runs on the C stack; each recursive rule holds one of
  // these while it is active.
  class NestingScope {
  public:
    NestingScope(ExpressionBuilder &builder, const char *at);
    ~NestingScope() { --builder_.depth_; }
    NestingScope(const NestingScope &) = delete;
    NestingScope &operator=(const NestingScope &) = delete;

  private:
    ExpressionBuilder &builder_;
  };

private:
  std::string_view text_;
  const LocMapper &locOf_;
  const FunctionTable *functions_;
  int depth_ = 0;
  int nodeCount_ = 0;
};

} // namespace dwspice
