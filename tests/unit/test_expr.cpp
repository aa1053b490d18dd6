// The parameter expression language: precedence, functions, errors with columns.
#include "elaborate/param_scope.hpp"
#include "parse/expression.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <numbers>

using namespace dwspice;

namespace {

const std::shared_ptr<const SourceFile> kFile = [] {
  auto file = std::make_shared<SourceFile>();
  file->path = "e.cir";
  file->addLine("expression under test");
  return file;
}();

// Column k of the expression is column k+1 of line 1.
LocMapper columns() {
  return [](std::size_t offset) { return SourceLoc{kFile.get(), 1, static_cast<int>(offset) + 1}; };
}

double eval(std::string_view text, const ParamScope &scope = ParamScope()) {
  return evaluate(*parseExpression(text, columns()), scope);
}

struct Failure {
  std::string message;
  int column = 0;
};

Failure failure(std::string_view text, const ParamScope &scope = ParamScope()) {
  try {
    (void)eval(text, scope);
  } catch (const UserError &e) {
    return {e.message(), e.location().column};
  }
  FAIL("no error for " << text);
  return {};
}

} // namespace

TEST_CASE("expressions: arithmetic and precedence") {
  CHECK(eval("1+2*3") == 7);
  CHECK(eval("(1+2)*3") == 9);
  CHECK(eval("2^3^2") == 512); // right-associative
  CHECK(eval("2**3") == 8);
  CHECK(eval("-2^2") == -4); // power binds tighter than unary minus
  CHECK(eval("2^-1") == 0.5);
  CHECK(eval("10/4") == 2.5);
  CHECK(eval("1-2-3") == -4);
  CHECK(eval("8/2/2") == 2);
  CHECK(eval("--3") == 3);
  CHECK(eval(" 1k * 2 ") == 2000);
  CHECK(eval("1meg/1m") == doctest::Approx(1e9));
  CHECK(eval("10ns*2") == doctest::Approx(20e-9));
}

TEST_CASE("expressions: comparisons, logic and the conditional") {
  CHECK(eval("1 < 2") == 1);
  CHECK(eval("2 <= 1") == 0);
  CHECK(eval("3 >= 3") == 1);
  CHECK(eval("3 > 3") == 0);
  CHECK(eval("1 == 1") == 1);
  CHECK(eval("1 != 1") == 0);
  CHECK(eval("1 && 0") == 0);
  CHECK(eval("1 || 0") == 1);
  CHECK(eval("!0") == 1);
  CHECK(eval("!2") == 0);
  CHECK(eval("1 ? 10 : 20") == 10);
  CHECK(eval("0 ? 10 : 20") == 20);
  CHECK(eval("0 ? 1 : 0 ? 2 : 3") == 3);
  CHECK(eval("1+1 == 2 ? 5 : 6") == 5);
  // Only the chosen branch is evaluated.
  CHECK(eval("1 ? 1 : 1/0") == 1);
  CHECK(eval("if(0, 1/0, 4)") == 4);
  CHECK(eval("0 && 1/0") == 0);
}

TEST_CASE("expressions: functions and constants") {
  CHECK(eval("sqrt(16)") == 4);
  CHECK(eval("exp(0)") == 1);
  CHECK(eval("log(exp(2))") == doctest::Approx(2));
  CHECK(eval("ln(exp(3))") == doctest::Approx(3));
  CHECK(eval("log10(1000)") == doctest::Approx(3));
  CHECK(eval("pow(2, 10)") == 1024);
  // ngspice 39 (numparam) gives 8 and 2.828427 for these: pwr is |x|^y.
  CHECK(eval("pwr(-2, 3)") == 8);
  CHECK(eval("pwr(-8, 0.5)") == doctest::Approx(std::sqrt(8.0)));
  CHECK(eval("abs(-3)") == 3);
  CHECK(eval("min(3, 1, 2)") == 1);
  CHECK(eval("max(3, 7)") == 7);
  CHECK(eval("sin(0)") == 0);
  CHECK(eval("cos(0)") == 1);
  CHECK(eval("tan(0)") == 0);
  CHECK(eval("atan(1)") == doctest::Approx(std::numbers::pi / 4));
  CHECK(eval("floor(2.7)") == 2);
  CHECK(eval("ceil(2.1)") == 3);
  CHECK(eval("asin(1)") == doctest::Approx(std::numbers::pi / 2));
  CHECK(eval("acos(1)") == 0);
  CHECK(eval("tanh(0)") == 0);
  CHECK(eval("cosh(0)") == 1);
  CHECK(eval("sinh(0)") == 0);
  CHECK(eval("int(-2.7)") == -2);
  CHECK(eval("sgn(-5)") == -1);
  CHECK(eval("sgn(0)") == 0);
  CHECK(eval("pi") == doctest::Approx(std::numbers::pi));
  CHECK(eval("2*pi") == doctest::Approx(2 * std::numbers::pi));
}

TEST_CASE("expressions: parameters from nested scopes") {
  ParamScope outer;
  outer.set("a", 2);
  outer.set("pi", 3); // a parameter shadows the constant
  ParamScope inner(&outer);
  inner.set("b", 5);
  CHECK(eval("a*b", inner) == 10);
  CHECK(eval("pi", inner) == 3);
  inner.set("a", 7);
  CHECK(eval("a", inner) == 7);
  CHECK(eval("a", outer) == 2);
}

TEST_CASE("expressions: errors point at the exact column") {
  Failure f = failure("1 + 2/0");
  CHECK(f.message == "division by zero");
  CHECK(f.column == 6);

  f = failure("2 * foo");
  CHECK(f.message.find("undefined parameter 'foo'") != std::string::npos);
  CHECK(f.column == 5);

  f = failure("1 + bar(2)");
  CHECK(f.message.find("unknown function 'bar'") != std::string::npos);
  CHECK(f.column == 5);

  f = failure("sqrt(1, 2)");
  CHECK(f.message.find("takes 1 argument") != std::string::npos);
  CHECK(f.column == 1);

  f = failure("max(1)");
  CHECK(f.message.find("at least 2") != std::string::npos);

  f = failure("(1 + 2");
  CHECK(f.message.find("unbalanced parentheses") != std::string::npos);
  CHECK(f.column == 1);

  f = failure("1 + 2)");
  CHECK(f.message.find("unbalanced parentheses") != std::string::npos);
  CHECK(f.column == 6);

  f = failure("max(1, 2");
  CHECK(f.message.find("unbalanced parentheses") != std::string::npos);
  CHECK(f.column == 4);

  f = failure("sqrt(-1)");
  CHECK(f.column == 1);

  f = failure("log(0)");
  CHECK(f.column == 1);

  f = failure("10^400");
  CHECK(f.message.find("infinite") != std::string::npos);
  CHECK(f.column == 3);

  f = failure("acos(2)");
  CHECK(f.message.find("NaN") != std::string::npos);

  f = failure("1 +");
  CHECK(f.column == 4);

  f = failure("");
  CHECK(f.message == "empty expression");

  f = failure("1 ? 2");
  CHECK(f.message.find("':'") != std::string::npos);

  f = failure("1 = 2");
  CHECK(f.column == 3);

  f = failure("3 4");
  CHECK(f.column == 3);

  f = failure("1..2");
  CHECK(f.message.find("malformed number") != std::string::npos);
  CHECK(f.column == 3);
}

TEST_CASE("expressions: hostile nesting is an error, not a stack overflow") {
  const std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  CHECK(failure(deep).message.find("nested too deeply") != std::string::npos);
  const std::string minus(100000, '-');
  CHECK(failure(minus + "1").message.find("nested too deeply") != std::string::npos);
}

TEST_CASE("expressions: very long expressions are rejected") {
  std::string chain = "1";
  for (int i = 0; i < 20000; ++i) {
    chain += "+1";
  }
  CHECK(failure(chain).message.find("too long") != std::string::npos);
  std::string conditional;
  for (int i = 0; i < 5000; ++i) {
    conditional += "1 ? ";
  }
  CHECK_THROWS_AS(eval(conditional + "1"), UserError);
}
