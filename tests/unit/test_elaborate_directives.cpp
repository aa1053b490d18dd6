// Elaboration of dot cards: analyses, options, .temp, .ic/.nodeset,
// .print/.save, and the directives dwspice skips with a warning.
#include "test_parse_support.hpp"

#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::frontend_test;

namespace {
constexpr const char *kCircuit = "t\nv1 in 0 1\nvb b 0 0\nr1 in out 1k\nr2 out 0 1k\ni1 0 out 1m\n";

std::string deck(const std::string &cards) {
  return std::string(kCircuit) + cards;
}
} // namespace

TEST_CASE("directives: analyses in netlist order") {
  const CircuitSpec spec = load(deck(".param tstop=10n\n"
                                     ".op\n"
                                     ".dc v1 0 5 0.5 vb 0 1 0.25\n"
                                     ".tran 1n {tstop} 1n 0.1n uic\n"
                                     ".dc i1 1m 0 -0.1m\n"));
  REQUIRE(spec.analyses.size() == 4);
  CHECK(std::holds_alternative<OpAnalysisSpec>(spec.analyses[0].kind));
  const auto &dc = std::get<DcAnalysisSpec>(spec.analyses[1].kind);
  CHECK(dc.outer.source == "v1");
  CHECK(dc.outer.stop == 5);
  CHECK(dc.outer.step == 0.5);
  REQUIRE(dc.second.has_value());
  CHECK(dc.second->source == "vb");
  CHECK(dc.second->step == 0.25);
  const auto &tran = std::get<TranAnalysisSpec>(spec.analyses[2].kind);
  CHECK(tran.tstep == doctest::Approx(1e-9));
  CHECK(tran.tstop == doctest::Approx(10e-9));
  CHECK(tran.tstart == doctest::Approx(1e-9));
  CHECK(tran.tmax == doctest::Approx(0.1e-9));
  CHECK(tran.uic);
  const auto &down = std::get<DcAnalysisSpec>(spec.analyses[3].kind);
  CHECK(down.outer.step == doctest::Approx(-0.1e-3));
  CHECK(spec.analyses[2].loc.line == 10);
}

TEST_CASE("directives: .dc sweeps a subcircuit's source by its flattened name") {
  const CircuitSpec spec = load("t\n.subckt s a\nvx a 0 1\n.ends\nx1 n s\nr1 n 0 1\n.dc v.x1.vx 0 1 0.1\n");
  CHECK(std::get<DcAnalysisSpec>(spec.analyses.at(0).kind).outer.source == "v.x1.vx");
}

TEST_CASE("directives: invalid analysis arguments") {
  CapturedError e = errorOf(deck(".dc v1 0 1 0\n"));
  CHECK(e.message.find("step must not be zero") != std::string::npos);
  CHECK(e.column == 12);
  e = errorOf(deck(".dc v1 0 1 5e-8\n")); // 2e7 points: the frontend's and the analysis' limit
  CHECK(e.message.find("more than 1e+07 points") != std::string::npos);
  CHECK(e.column == 12);
  e = errorOf(deck(".dc v1 0 1 -0.1\n"));
  CHECK(e.message.find("goes away from the stop") != std::string::npos);
  e = errorOf(deck(".dc r1 0 1 0.1\n"));
  CHECK(e.message.find("only a V or I source") != std::string::npos);
  e = errorOf(deck(".dc vnone 0 1 0.1\n"));
  CHECK(e.message.find("not defined") != std::string::npos);
  e = errorOf(deck(".dc v1 0 1\n"));
  CHECK(e.message.find("expects") != std::string::npos);
  e = errorOf(deck(".tran 0 1u\n"));
  CHECK(e.message.find("tstep must be positive") != std::string::npos);
  e = errorOf(deck(".tran -1n 1u\n"));
  CHECK(e.message.find("tstep must be positive") != std::string::npos);
  e = errorOf(deck(".tran 1n 1u 2u\n"));
  CHECK(e.message.find("must be after tstart") != std::string::npos);
  e = errorOf(deck(".tran 1n\n"));
  CHECK(e.message.find("expects") != std::string::npos);
  e = errorOf(deck(".tran 1n 1u 0 -1n\n"));
  CHECK(e.message.find("tmax") != std::string::npos);
  e = errorOf(deck(".tran 1n 1u 0 1n 5\n"));
  CHECK(e.message.find("expects") != std::string::npos);
  e = errorOf(deck(".tran 1n 1u foo\n"));
  CHECK(e.message.find("expected a number") != std::string::npos);
  e = errorOf(deck(".op 1\n"));
  CHECK(e.message.find("no arguments") != std::string::npos);
}

TEST_CASE("directives: .options, .temp and extra options") {
  const int warningsBefore = warningCount();
  const CircuitSpec spec = load(deck(".options reltol=1e-4 abstol=1p vntol=1u chgtol=1f gmin=1e-13\n"
                                     "+ itl1=200 itl2=20 itl4=30 tnom=25 method=gear klu seed=42\n"
                                     ".option temp=50\n"
                                     ".opt myflag custom=3\n"
                                     ".temp 85\n"));
  CHECK(spec.options.reltol == doctest::Approx(1e-4));
  CHECK(spec.options.abstol == doctest::Approx(1e-12));
  CHECK(spec.options.vntol == doctest::Approx(1e-6));
  CHECK(spec.options.chgtol == doctest::Approx(1e-15));
  CHECK(spec.options.gmin == doctest::Approx(1e-13));
  CHECK(spec.options.itl1 == 200);
  CHECK(spec.options.itl2 == 20);
  CHECK(spec.options.itl4 == 30);
  CHECK(spec.options.tnom == 25);
  CHECK(spec.options.temp == 85); // .temp after .options temp=
  CHECK(spec.options.extra.at("seed") == 42);
  CHECK(spec.options.extra.at("klu") == 1);
  CHECK(spec.options.extra.at("custom") == 3);
  CHECK(spec.options.extra.at("myflag") == 1);
  CHECK(spec.options.extra.count("method") == 0);
  // Warnings for the two unknown options only (seed, klu, method are harmless).
  CHECK(warningCount() - warningsBefore == 2);

  CapturedError e = errorOf(deck(".options reltol=0\n"));
  CHECK(e.message.find("must be positive") != std::string::npos);
  e = errorOf(deck(".options itl1=2.5\n"));
  CHECK(e.message.find("whole number") != std::string::npos);
  e = errorOf(deck(".options gmin\n"));
  CHECK(e.message.find("needs a numeric value") != std::string::npos);
  e = errorOf(deck(".temp -300\n"));
  CHECK(e.message.find("absolute zero") != std::string::npos);
}

TEST_CASE("directives: .ic, .nodeset, .print and .save are normalised") {
  const CircuitSpec spec = load(deck(".ic v(OUT)=0.5 v(in)={1/2}\n"
                                     ".nodeset v(out)=0.4\n"
                                     ".print tran v(1) V(in,OUT) i(V1) out v(gnd)\n"
                                     ".save all\n"
                                     ".save v(out) i(vb)\n"));
  REQUIRE(spec.initialConditions.size() == 2);
  CHECK(spec.initialConditions[0].node == "out");
  CHECK(spec.initialConditions[0].value == 0.5);
  CHECK(spec.initialConditions[1].value == 0.5);
  REQUIRE(spec.nodesets.size() == 1);
  CHECK(spec.nodesets[0].value == 0.4);
  REQUIRE(spec.prints.size() == 1);
  CHECK(spec.prints[0].analysis == "tran");
  CHECK(spec.prints[0].outputs == std::vector<std::string>{"v(1)", "v(in,out)", "i(v1)", "v(out)", "v(0)"});
  REQUIRE(spec.saves.size() == 2);
  CHECK(spec.saves[0].outputs == std::vector<std::string>{"all"});
  CHECK(spec.saves[1].outputs == std::vector<std::string>{"v(out)", "i(vb)"});

  // Device-state names ("n1#q") cannot be nodes: kept bare, not read as v(n1#q).
  const CircuitSpec states = load(deck(".save n1#q out\n"));
  REQUIRE(states.saves.size() == 1);
  CHECK(states.saves[0].outputs == std::vector<std::string>{"n1#q", "v(out)"});

  CapturedError e = errorOf(deck(".print v(1)\n"));
  CHECK(e.message.find("needs an analysis") != std::string::npos);
  e = errorOf(deck(".print tran vdb(1)\n"));
  CHECK(e.message.find("unsupported output") != std::string::npos);
  e = errorOf(deck(".ic out=1\n"));
  CHECK(e.message.find("v(node)=value") != std::string::npos);
}

TEST_CASE("directives: .ic inside a subcircuit uses hierarchical node names") {
  const CircuitSpec spec =
      load("t\n.subckt s a\nc1 a mid 1p\nr1 mid 0 1\n.ic v(mid)=0.3\n.ends\nx1 n s\nr9 n 0 1\n");
  REQUIRE(spec.initialConditions.size() == 1);
  CHECK(spec.initialConditions[0].node == "x1.mid");
}

TEST_CASE("directives: unsupported directives warn and are skipped") {
  const int before = warningCount();
  const CircuitSpec spec = load(deck(".plot tran v(1)\n"
                                     ".width out=80\n"
                                     ".ac dec 10 1 1meg\n"
                                     ".four 1k v(out)\n"
                                     ".noise v(out) v1 dec 10 1 1k\n"
                                     ".tf v(out) v1\n"
                                     ".meas tran x max v(out)\n"
                                     ".measure tran y min v(out)\n"
                                     ".step param r 1 2 1\n"
                                     ".sens v(out)\n"
                                     ".pz 1 0 2 0 vol pz\n"
                                     ".disto dec 10 1k 100meg\n"
                                     ".print ac v(out)\n"
                                     ".control\n"
                                     "run\n"
                                     "plot v(out)\n"
                                     ".endc\n"
                                     ".op\n"));
  CHECK(warningCount() - before == 14);
  CHECK(spec.analyses.size() == 1);
  CHECK(spec.prints.empty());

  const CapturedError e = errorOf(deck(".control\nrun\n"));
  CHECK(e.message.find("without '.endc'") != std::string::npos);
}
