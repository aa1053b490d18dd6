// The X3 expression grammar: tree shape (precedence, associativity, columns
// of operator nodes), error messages at expectation points, calls of
// builtins and `.func` functions, and the nesting guard's stack bound.
#include "elaborate/param_scope.hpp"
#include "parse/expression.hpp"

#include <doctest/doctest.h>
#include <pthread.h>

#include <memory>
#include <string>

using namespace dwspice;

namespace {

const std::shared_ptr<const SourceFile> kFile = [] {
  auto file = std::make_shared<SourceFile>();
  file->path = "x3.cir";
  file->addLine("expression under test");
  return file;
}();

LocMapper columns() {
  return [](std::size_t offset) { return SourceLoc{kFile.get(), 1, static_cast<int>(offset) + 1}; };
}

ExprPtr parse(std::string_view text, const FunctionTable *functions = nullptr) {
  return parseExpression(text, columns(), functions);
}

// The tree in prefix form with each node's column, e.g. `-@3(1@1,2@5)`.
std::string shape(const ExprNode &node) {
  std::string text;
  switch (node.op) {
  case ExprOp::Number:
    text = std::to_string(static_cast<long long>(node.number));
    break;
  case ExprOp::Param:
  case ExprOp::Call:
  case ExprOp::UserCall:
    text = node.name;
    break;
  case ExprOp::Negate:
    text = "neg";
    break;
  case ExprOp::LogicalNot:
    text = "not";
    break;
  case ExprOp::Add:
    text = "+";
    break;
  case ExprOp::Subtract:
    text = "-";
    break;
  case ExprOp::Multiply:
    text = "*";
    break;
  case ExprOp::Divide:
    text = "/";
    break;
  case ExprOp::Power:
    text = "^";
    break;
  case ExprOp::Conditional:
    text = "?";
    break;
  case ExprOp::Less:
    text = "<";
    break;
  case ExprOp::LessEqual:
    text = "<=";
    break;
  case ExprOp::LogicalAnd:
    text = "&&";
    break;
  case ExprOp::LogicalOr:
    text = "||";
    break;
  case ExprOp::NotEqual:
    text = "!=";
    break;
  default:
    text = "op";
    break;
  }
  text += "@" + std::to_string(node.loc.column);
  if (!node.operands.empty()) {
    text += "(";
    for (std::size_t i = 0; i < node.operands.size(); ++i) {
      text += (i == 0 ? "" : ",") + shape(*node.operands[i]);
    }
    text += ")";
  }
  return text;
}

std::string shape(std::string_view text, const FunctionTable *functions = nullptr) {
  return shape(*parse(text, functions));
}

struct Failure {
  std::string message;
  int column = 0;
};

Failure failure(std::string_view text, const FunctionTable *functions = nullptr) {
  try {
    (void)parse(text, functions);
  } catch (const UserError &e) {
    return {e.message(), e.location().column};
  }
  FAIL("no error for " << text);
  return {};
}

FunctionTable halfFunction() {
  auto half = std::make_shared<UserFunction>();
  half->name = "half";
  half->params = {"x"};
  half->body = parse("x/2");
  FunctionTable table;
  table.emplace("half", half);
  return table;
}

} // namespace

TEST_CASE("x3 expressions: precedence and associativity shape the tree") {
  CHECK(shape("1-2-3") == "-@4(-@2(1@1,2@3),3@5)");
  CHECK(shape("8/2*3") == "*@4(/@2(8@1,2@3),3@5)");
  CHECK(shape("2^3^2") == "^@2(2@1,^@4(3@3,2@5))");
  CHECK(shape("2**3") == "^@2(2@1,3@4)");
  CHECK(shape("-2^2") == "neg@1(^@3(2@2,2@4))");
  CHECK(shape("2^-1") == "^@2(2@1,neg@3(1@4))");
  CHECK(shape("+ 5") == "5@3");
  CHECK(shape("1 + 2 * 3") == "+@3(1@1,*@7(2@5,3@9))");
  CHECK(shape("a < b && c <= d || !e") == "||@17(&&@7(<@3(a@1,b@5),<=@12(c@10,d@15)),not@20(e@21))");
  CHECK(shape("a != b") == "!=@3(a@1,b@6)");
  // The conditional is lowest and right-associative.
  CHECK(shape("a ? b : c ? d : e") == "?@3(a@1,b@5,?@11(c@9,d@13,e@17))");
  CHECK(shape("a || b ? 1 : 2") == "?@8(||@3(a@1,b@6),1@10,2@14)");
  CHECK(shape("\t( 1 )") == "1@4");
}

TEST_CASE("x3 expressions: numbers use the SPICE number scanner") {
  CHECK(parse("2.5meg")->number == doctest::Approx(2.5e6));
  CHECK(parse("3mil")->number == doctest::Approx(3 * 25.4e-6));
  CHECK(parse(".5")->number == 0.5);
  CHECK(parse("1e-3 ")->number == doctest::Approx(1e-3));
  CHECK(parse("10ns")->number == doctest::Approx(10e-9));
  // Identifiers that start like `inf` or `nan` are names, not numbers.
  CHECK(shape("info + nano") == "+@6(info@1,nano@8)");

  Failure f = failure("1e");
  CHECK(f.message.find("exponent") != std::string::npos);
  CHECK(f.column == 2);
  f = failure("2 * 1k5");
  CHECK(f.message == "malformed number");
  CHECK(f.column == 7);
}

TEST_CASE("x3 expressions: calls of builtins and .func functions") {
  CHECK(shape("max(1, 2, 3)") == "max@1(1@5,2@8,3@11)");
  CHECK(shape("sqrt (4)") == "sqrt@1(4@7)");
  const FunctionTable functions = halfFunction();
  const ExprPtr call = parse("1 + half(4)", &functions);
  REQUIRE(call->operands.size() == 2);
  const ExprNode &user = *call->operands[1];
  CHECK(user.op == ExprOp::UserCall);
  CHECK(user.userFunction == functions.at("half"));
  CHECK(user.loc.column == 5);
  CHECK(evaluate(*call, ParamScope()) == 3);

  Failure f = failure("half(1, 2)", &functions);
  CHECK(f.message == "function 'half' takes 1 argument, got 2");
  CHECK(f.column == 1);
  f = failure("2 * atan2(1)");
  CHECK(f.message == "function 'atan2' takes 2 arguments, got 1");
  CHECK(f.column == 5);
  // Without the table `half` is unknown; the name is reported before the
  // (broken) arguments are read.
  f = failure("half(1 +");
  CHECK(f.message == "unknown function 'half'");
  CHECK(f.column == 1);
}

TEST_CASE("x3 expressions: expectation points report what is missing and where") {
  Failure f = failure("(1 2)");
  CHECK(f.message == "expected ')', found '2'");
  CHECK(f.column == 4);

  f = failure("2 * ()");
  CHECK(f.message == "expected an expression, found ')'");
  CHECK(f.column == 6);

  f = failure("max()");
  CHECK(f.message == "function 'max' takes at least 2 arguments, got 0");

  f = failure("(1 + )");
  CHECK(f.message == "expected an operand, found ')'");
  CHECK(f.column == 6);

  f = failure("2 *");
  CHECK(f.message == "expected an operand at the end of the expression");
  CHECK(f.column == 4);

  f = failure("max(1 2)");
  CHECK(f.message == "expected ',' or ')', found '2'");
  CHECK(f.column == 7);

  f = failure("max(1,");
  CHECK(f.message == "expected an expression at the end of the expression");
  CHECK(f.column == 7);

  f = failure("min(, 1)");
  CHECK(f.message == "expected an expression, found ','");
  CHECK(f.column == 5);

  f = failure("1 ? 2 , 3");
  CHECK(f.message == "expected ':' of the conditional '?', found ','");
  CHECK(f.column == 7);

  f = failure("* 2");
  CHECK(f.message == "expected an expression, found '*'");
  CHECK(f.column == 1);

  f = failure("  ) + 1");
  CHECK(f.message == "unbalanced parentheses: ')' has no matching '('");
  CHECK(f.column == 3);

  f = failure("1 + (2 * (3 - 4)");
  CHECK(f.message == "unbalanced parentheses: '(' is never closed");
  CHECK(f.column == 5);

  f = failure("1 & 2");
  CHECK(f.message == "unexpected '&' in expression");
  CHECK(f.column == 3);

  f = failure("!= 1");
  CHECK(f.message == "expected an expression, found '!'");
  CHECK(f.column == 1);

  f = failure("1 +\n2");
  CHECK(f.message == "expected an operand, found byte 0x0a");

  // Bytes outside ASCII are neither names nor blanks.
  f = failure("1 + \xc3\xa9");
  CHECK(f.message == "expected an operand, found byte 0xc3");
  CHECK(f.column == 5);
  f = failure("\xff");
  CHECK(f.message == "expected an expression, found byte 0xff");
  CHECK(f.column == 1);
  CHECK(failure("   ").message == "empty expression");
}

namespace {

struct DeepParse {
  std::string text;
  std::string outcome;
};

void *parseOnThread(void *argument) {
  auto &job = *static_cast<DeepParse *>(argument);
  try {
    (void)parse(job.text);
    job.outcome = "ok";
  } catch (const UserError &e) {
    job.outcome = e.message();
  }
  return nullptr;
}

// Parses on a thread with a small stack: overrunning it would crash the test.
std::string parseWithStack(std::string text, std::size_t stackBytes) {
  DeepParse job{std::move(text), "not run"};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, stackBytes);
  pthread_t thread;
  REQUIRE(pthread_create(&thread, &attributes, parseOnThread, &job) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
  return job.outcome;
}

} // namespace

TEST_CASE("x3 expressions: the nesting guard bounds the parser's stack") {
  constexpr std::size_t kStack = 4u << 20; // half the usual main-thread stack
  const auto parens = [](int levels) {
    return std::string(static_cast<std::size_t>(levels), '(') + "1" +
           std::string(static_cast<std::size_t>(levels), ')');
  };
  const auto calls = [](int levels) {
    std::string text;
    for (int i = 0; i < levels; ++i) {
      text += "abs(";
    }
    return text + "1" + std::string(static_cast<std::size_t>(levels), ')');
  };
  // Realistic nesting parses; the deepest accepted nesting fits the stack.
  CHECK(parseWithStack(parens(150), kStack) == "ok");
  CHECK(parseWithStack(calls(150), kStack) == "ok");
  CHECK(parseWithStack(std::string(300, '-') + "1", kStack) == "ok");
  CHECK(parseWithStack(parens(199), kStack) == "ok");
  CHECK(parseWithStack(parens(200), kStack) == "expression nested too deeply");
  CHECK(parseWithStack(calls(100000), kStack) == "expression nested too deeply");
  CHECK(parseWithStack(parens(100000), kStack) == "expression nested too deeply");
  std::string powers = "2";
  for (int i = 0; i < 100000; ++i) {
    powers += "^2";
  }
  CHECK(parseWithStack(powers, kStack) == "expression nested too deeply");
}
