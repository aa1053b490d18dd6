// Elaboration: parameters, subcircuit flattening with ngspice names, model
// scoping, and the semantic errors.
#include "test_parse_support.hpp"

#include "instance_nodes.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

using namespace dwspice;
using namespace dwspice::frontend_test;

TEST_CASE("elaborate: .param with expressions, several per line, bare and quoted") {
  const CircuitSpec spec = load("t\n"
                                ".param a=1k b={a*2} c='a+b'\n"
                                ".param d = max(a, b) / 2, e=c - 1\n"
                                "r1 1 0 {d}\n"
                                "r2 1 0 {e}\n"
                                "r3 1 0 {f}\n"
                                ".param f=sqrt(16)\n");
  CHECK(findInstance(spec, "r1")->args[0].value == 1000);
  CHECK(findInstance(spec, "r2")->args[0].value == 2999);
  // Top-level .param cards apply to the whole deck, wherever they are written.
  CHECK(findInstance(spec, "r3")->args[0].value == 4);
}

TEST_CASE("elaborate: subcircuits flatten with ngspice names") {
  const CircuitSpec spec = load("t\n"
                                ".subckt inner p q\n"
                                "r3 p mid 1\n"
                                "r4 mid q 2\n"
                                ".ends inner\n"
                                ".subckt outer a b\n"
                                "x2 a m inner\n"
                                "r5 m b 3\n"
                                "c1 m 0 1p\n"
                                ".ends\n"
                                "x1 in out outer\n"
                                "v1 in 0 1\n"
                                "r9 out gnd 1k\n");
  REQUIRE(spec.instances.size() == 6);
  const InstanceSpec *r3 = findInstance(spec, "r.x1.x2.r3");
  REQUIRE(r3 != nullptr);
  CHECK(r3->letter == 'r');
  CHECK(testkit::nodesOf(*r3) == std::vector<std::string>{"in", "x1.x2.mid"});
  const InstanceSpec *r4 = findInstance(spec, "r.x1.x2.r4");
  REQUIRE(r4 != nullptr);
  CHECK(testkit::nodesOf(*r4) == std::vector<std::string>{"x1.x2.mid", "x1.m"});
  const InstanceSpec *r5 = findInstance(spec, "r.x1.r5");
  REQUIRE(r5 != nullptr);
  CHECK(testkit::nodesOf(*r5) == std::vector<std::string>{"x1.m", "out"});
  const InstanceSpec *c1 = findInstance(spec, "c.x1.c1");
  REQUIRE(c1 != nullptr);
  CHECK(testkit::nodesOf(*c1) == std::vector<std::string>{"x1.m", "0"});
  CHECK(testkit::nodesOf(*findInstance(spec, "r9")) == std::vector<std::string>{"out", "0"});
  // The element keeps the location of its card inside the definition.
  CHECK(r3->loc.line == 3);
}

TEST_CASE("elaborate: references resolve in the instance's scope") {
  const CircuitSpec spec = load("t\n"
                                ".subckt mirror in out\n"
                                "vsense in mid 0\n"
                                "r1 mid 0 1k\n"
                                "f1 out 0 vsense 2\n"
                                "l1 out 0 1u\n"
                                "l2 mid 0 1u\n"
                                "k1 l1 l2 0.9\n"
                                ".ends\n"
                                "x1 a b mirror\n"
                                "v1 a 0 1\n");
  const InstanceSpec *f1 = findInstance(spec, "f.x1.f1");
  REQUIRE(f1 != nullptr);
  CHECK(f1->references == std::vector<std::string>{"v.x1.vsense"});
  const InstanceSpec *k1 = findInstance(spec, "k.x1.k1");
  REQUIRE(k1 != nullptr);
  CHECK(k1->references == std::vector<std::string>{"l.x1.l1", "l.x1.l2"});
  CHECK(findInstance(spec, "v.x1.vsense") != nullptr);
}

TEST_CASE("elaborate: subcircuit parameters, defaults, overrides and nesting") {
  const CircuitSpec spec = load("t\n"
                                ".param scale=10\n"
                                ".subckt leaf p q params: r=1 twice={2*r}\n"
                                "r1 p q {twice*scale}\n"
                                ".ends\n"
                                ".subckt branch p q w=5\n"
                                ".param local={w+1}\n"
                                "x1 p q leaf r={local}\n"
                                "x2 p q leaf\n"
                                "r2 p q {w}\n"
                                ".ends\n"
                                "xa 1 0 branch w=7\n"
                                "xb 1 0 branch\n"
                                "v1 1 0 1\n");
  CHECK(findInstance(spec, "r.xa.x1.r1")->args[0].value == 2 * 8 * 10);
  CHECK(findInstance(spec, "r.xa.x2.r1")->args[0].value == 2 * 1 * 10);
  CHECK(findInstance(spec, "r.xa.r2")->args[0].value == 7);
  CHECK(findInstance(spec, "r.xb.x1.r1")->args[0].value == 2 * 6 * 10);
  CHECK(findInstance(spec, "r.xb.r2")->args[0].value == 5);
}

TEST_CASE("elaborate: parameters of an instance are visible to nested instances") {
  const CircuitSpec spec = load("t\n"
                                ".subckt leaf p q\n"
                                "r1 p q {gain}\n"
                                ".ends\n"
                                ".subckt top p q gain=3\n"
                                "x1 p q leaf\n"
                                ".ends\n"
                                "x9 1 0 top gain=4\n"
                                "v1 1 0 1\n");
  CHECK(findInstance(spec, "r.x9.x1.r1")->args[0].value == 4);
}

TEST_CASE("elaborate: nested definitions, local models and .global") {
  const CircuitSpec spec = load("t\n"
                                ".global vdd\n"
                                ".model dtop d is=1e-14\n"
                                ".subckt cell a\n"
                                ".subckt load p\n"
                                "d1 p vdd dloc\n"
                                "d2 p 0 dtop\n"
                                ".ends load\n"
                                ".model dloc d(is={isat})\n"
                                ".param isat=2e-15\n"
                                "x1 a load\n"
                                ".ends cell\n"
                                "xc1 n1 cell\n"
                                "xc2 n2 cell\n"
                                "vdd vdd 0 1\n"
                                "r1 n1 n2 1\n");
  const InstanceSpec *d1 = findInstance(spec, "d.xc1.x1.d1");
  REQUIRE(d1 != nullptr);
  CHECK(testkit::nodesOf(*d1) == std::vector<std::string>{"n1", "vdd"});
  REQUIRE(d1->model != nullptr);
  CHECK(d1->model->name == "xc1.dloc");
  CHECK(d1->model->params.at("is") == doctest::Approx(2e-15));
  CHECK(findInstance(spec, "d.xc2.x1.d1")->model->name == "xc2.dloc");
  CHECK(findInstance(spec, "d.xc1.x1.d2")->model->name == "dtop");
  // A nested definition is not visible from the top level.
  const CapturedError e = errorOf("t\n.subckt a p\n.subckt b q\nr1 q 0 1\n.ends\n.ends\nx1 1 b\n");
  CHECK(e.message.find("undefined subcircuit 'b'") != std::string::npos);
  CHECK(e.line == 7);
  CHECK(e.column == 6);
}

TEST_CASE("elaborate: errors") {
  CapturedError e = errorOf("t\nd1 a 0 nomodel\n");
  CHECK(e.message.find("undefined model 'nomodel'") != std::string::npos);
  CHECK(e.column == 8);

  e = errorOf("t\nx1 a b nosub\n");
  CHECK(e.message.find("undefined subcircuit 'nosub'") != std::string::npos);

  e = errorOf("t\nr1 a 0 {undefinedparam*2}\n");
  CHECK(e.message.find("undefined parameter 'undefinedparam'") != std::string::npos);
  CHECK(e.column == 9);

  e = errorOf("t\n.param a=1/0\nr1 a 0 1\n");
  CHECK(e.message == "division by zero");
  CHECK(e.line == 2);
  CHECK(e.column == 11);

  e = errorOf("t\n.param a=sqrt(0-4)\nr1 a 0 1\n");
  CHECK(e.line == 2);

  e = errorOf("t\n.param a=acos(3)\nr1 a 0 1\n");
  CHECK(e.message.find("NaN") != std::string::npos);

  e = errorOf("t\n.param a={b+1}\n.param b=2\nr1 a 0 {a}\n");
  CHECK(e.message.find("undefined parameter 'b'") != std::string::npos);

  e = errorOf("t\n.subckt a p\nx1 p b\n.ends\n.subckt b p\nx1 p a\n.ends\nxtop 1 a\n");
  CHECK(e.message.find("recursive subcircuit") != std::string::npos);
  CHECK(e.message.find("xtop (a) -> x1 (b) -> x1 (a)") != std::string::npos);

  e = errorOf("t\n.subckt s p q\nr1 p q 1\n.ends\nx1 1 2 3 s\n");
  CHECK(e.message.find("has 2 ports") != std::string::npos);
  CHECK(e.line == 5);

  e = errorOf("t\nr1 a 0 1\nR1 b 0 2\n");
  CHECK(e.message.find("duplicate element name 'r1'") != std::string::npos);
  CHECK(e.line == 3);

  // Duplicates only appear after flattening: x1's r1 vs a top-level r.x1.r1.
  e = errorOf("t\n.subckt s p\nr1 p 0 1\n.ends\nx1 a s\nr.x1.r1 a 0 1\n");
  CHECK(e.message.find("duplicate element name 'r.x1.r1'") != std::string::npos);

  e = errorOf("t\n.subckt s p\n.ends\n.subckt s q\n.ends\nr1 a 0 1\n");
  CHECK(e.message.find("subcircuit 's' is defined twice") != std::string::npos);
  CHECK(e.line == 4);

  e = errorOf("t\n.model m1 d\n.model m1 d is=1\nr1 a 0 1\n");
  CHECK(e.message.find("model 'm1' is defined twice") != std::string::npos);
  CHECK(e.line == 3);

  e = errorOf("t\n.model m1 bjt\nr1 a 0 1\n");
  CHECK(e.message.find("unknown model type 'bjt'") != std::string::npos);

  e = errorOf("t\n.model mm nmos\nd1 a 0 mm\n");
  CHECK(e.message.find("which a D element cannot use") != std::string::npos);

  e = errorOf("t\n.subckt s p\nr1 p 0 1\n");
  CHECK(e.message.find("has no matching '.ends'") != std::string::npos);
  CHECK(e.line == 2);

  e = errorOf("t\nr1 a 0 1\n.ends\n");
  CHECK(e.message.find("'.ends' without '.subckt'") != std::string::npos);

  e = errorOf("t\n.subckt s p\n.ends t\n");
  CHECK(e.message.find("closes '.subckt s'") != std::string::npos);

  e = errorOf("t\n.subckt s p w=1\nr1 p 0 {w}\n.ends\nx1 a s q=2\n");
  CHECK(e.message.find("has no parameter 'q'") != std::string::npos);

  e = errorOf("t\n.subckt s p\n.tran 1n 1u\n.ends\n");
  CHECK(e.message.find("not allowed inside") != std::string::npos);
}

TEST_CASE("elaborate: exponential expansion is stopped, not run for ever") {
  std::string netlist = "t\n.subckt l0 a\nr1 a 0 1\n.ends\n";
  for (int level = 1; level <= 30; ++level) {
    netlist += fmt::format(".subckt l{} a\n", level);
    for (int copy = 0; copy < 4; ++copy) {
      netlist += fmt::format("x{} a l{}\n", copy, level - 1);
    }
    netlist += ".ends\n";
  }
  netlist += "xtop n l30\n";
  const CapturedError e = errorOf(netlist);
  CHECK(e.message.find("too many elements") != std::string::npos);
}

TEST_CASE("elaborate: .func user functions") {
  const CircuitSpec spec = load("t\n"
                                ".param k=10\n"
                                ".func half(x) = x/2\n"
                                ".func scaled(a, b) {half(a) * b + k}\n"
                                ".func one() 1\n"
                                "r1 1 0 {scaled(4, 3)}\n"
                                "r2 1 0 {half(half(8)) + one()}\n");
  CHECK(findInstance(spec, "r1")->args[0].value == 16);
  CHECK(findInstance(spec, "r2")->args[0].value == 3);

  CapturedError e = errorOf("t\n.func f(x) = x\nr1 1 0 {f(1, 2)}\n");
  CHECK(e.message.find("takes 1 argument") != std::string::npos);
  CHECK(e.column == 9);
  // A function cannot call itself: it is not defined yet inside its body.
  e = errorOf("t\n.func f(x) = f(x)\nr1 1 0 {f(1)}\n");
  CHECK(e.message.find("unknown function 'f'") != std::string::npos);
  e = errorOf("t\n.func f(x) = x\n.func f(y) = y\nr1 1 0 1\n");
  CHECK(e.message.find("defined twice") != std::string::npos);
  e = errorOf("t\n.func f(x) = x/0\nr1 1 0 {f(1)}\n");
  CHECK(e.message == "division by zero");
  CHECK(e.line == 2);
  // Functions that double their work at every level would never finish.
  std::string doubling = "t\n.func f0(x) = x+1\n";
  for (int level = 1; level <= 40; ++level) {
    doubling += fmt::format(".func f{}(x) = f{}(x) + f{}(x)\n", level, level - 1, level - 1);
  }
  doubling += "r1 1 0 {f40(1)}\n";
  e = errorOf(doubling);
  CHECK(e.message.find("too many function calls") != std::string::npos);
}

TEST_CASE("elaborate: a top level without subcircuit instances flattens like one with them") {
  // Without X cards the parsed cards become the instance list in place;
  // with one they are moved one by one. Both must give the same instances.
  const std::string cards = ".param rv=2k\n"
                            ".model dm d(is=1e-14)\n"
                            "r1 a gnd {rv*2}\n"
                            "d1 a 0 dm\n"
                            "v1 a 0 dc 0 pulse(0 {rv/1k} 1n 1n 1n 5n 10n)\n";
  const CircuitSpec flat = load("t\n" + cards);
  const CircuitSpec mixed = load("t\n.subckt one p\nrs p 0 1\n.ends\n" + cards + "x1 a one\n");
  for (const char *name : {"r1", "d1", "v1"}) {
    CAPTURE(name);
    const InstanceSpec *a = findInstance(flat, name);
    const InstanceSpec *b = findInstance(mixed, name);
    REQUIRE(a != nullptr);
    REQUIRE(b != nullptr);
    CHECK(a->nodes == b->nodes);
    CHECK((a->model == nullptr) == (b->model == nullptr));
    REQUIRE(a->args.size() == b->args.size());
    for (std::size_t k = 0; k < a->args.size(); ++k) {
      CHECK(a->args[k].value == b->args[k].value);
      CHECK(a->args[k].values == b->args[k].values);
    }
  }
  CHECK(testkit::nodesOf(*findInstance(flat, "r1")) == std::vector<std::string>{"a", "0"});
  CHECK(findInstance(flat, "r1")->args[0].value == 4000.0);
  CHECK(findInstance(flat, "v1")->args[2].values[1] == 2.0);
  CHECK(findInstance(flat, "d1")->model->name == "dm");
  const CapturedError duplicate = errorOf("t\nr1 a 0 1\nr2 a 0 1\nR1 b 0 1\n");
  CHECK(duplicate.line == 4);
  CHECK(duplicate.message.find("first at") != std::string::npos);
}
