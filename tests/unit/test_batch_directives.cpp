// The batch directives .dataset, .bind pixel and .readout argmax: what they
// elaborate to, and a file:line:col error for every misuse.
#include "test_parse_support.hpp"

#include "instance_nodes.hpp"

#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::frontend_test;

namespace {
// Line 1 title; sources and sense resistors on lines 2..8.
constexpr const char *kCircuit = "t\n"
                                 "vp0 a 0 dc 1\n"
                                 "vn0 b 0 dc -1\n"
                                 "ib 0 c 1m\n"
                                 "r1 a s 1k\n"
                                 "r2 b s 1k\n"
                                 "r3 c 0 1k\n"
                                 "vs s 0 0\n";

std::string deck(const std::string &cards) {
  return std::string(kCircuit) + cards;
}

void checkError(const std::string &cards, const std::string &fragment, int line, int column) {
  CAPTURE(cards);
  const CapturedError e = errorOf(deck(cards));
  CHECK_MESSAGE(e.message.find(fragment) != std::string::npos, e.message);
  CHECK(e.line == line);
  CHECK(e.column == column);
  CHECK(e.rendered.starts_with("t.cir:"));
}
} // namespace

TEST_CASE("batch directives: a complete set elaborates") {
  const CircuitSpec spec = load(deck(".param last=783\n"
                                     ".dataset fashion train\n"
                                     ".bind pixel 12 vp0 vn0\n"
                                     ".bind pixel {last} ib\n"
                                     ".tran 1n 10n\n"
                                     ".readout argmax i(vs) v(s) v(a,b) at=5n\n"));
  REQUIRE(spec.dataset);
  CHECK(spec.dataset->name == "fashion");
  CHECK(spec.dataset->split == "train");
  CHECK(spec.dataset->loc.line == 10);
  REQUIRE(spec.pixelBindings.size() == 2);
  CHECK(spec.pixelBindings[0].pixel == 12);
  CHECK(spec.pixelBindings[0].sources == std::vector<std::string>{"vp0", "vn0"});
  CHECK(spec.pixelBindings[1].pixel == 783);
  CHECK(spec.pixelBindings[1].sources == std::vector<std::string>{"ib"});
  REQUIRE(spec.readout);
  CHECK(spec.readout->vectors == std::vector<std::string>{"i(vs)", "v(s)", "v(a,b)"});
  CHECK(spec.readout->vectorLocs[1].column == 23);
  CHECK(spec.readout->time == doctest::Approx(5e-9));
  // The readout time is made a transient breakpoint by a zero source
  // between ground and ground.
  const InstanceSpec *marker = findInstance(spec, kReadoutMarkerName);
  REQUIRE(marker != nullptr);
  CHECK(testkit::nodesOf(*marker) == std::vector<std::string>{"0", "0"});
}

TEST_CASE("batch directives: defaults and a netlist without them") {
  const CircuitSpec plain = load(deck(".tran 1n 10n\n"));
  CHECK_FALSE(plain.dataset);
  CHECK(plain.pixelBindings.empty());
  CHECK_FALSE(plain.readout);
  CHECK(findInstance(plain, kReadoutMarkerName) == nullptr);
  const CircuitSpec spec = load(deck(".dataset mnist\n.tran 1n 10n\n.readout argmax i(vs) at=10n\n"));
  CHECK(spec.dataset->split == "test");
  CHECK(spec.readout->time == doctest::Approx(10e-9)); // tstop itself is allowed
}

TEST_CASE("batch directives: a subcircuit's sources and vectors by hierarchical name") {
  const CircuitSpec spec = load("t\n.subckt cell in out\nvx in 0 1\nvo mid out 0\nr1 in mid 1k\n.ends\n"
                                "x1 p q cell\nrq q 0 1\n.dataset mnist\n.bind pixel 0 v.x1.vx\n.tran 1n 2n\n"
                                ".readout argmax i(v.x1.vo) v(x1.mid) at=1n\n");
  CHECK(spec.pixelBindings.at(0).sources.at(0) == "v.x1.vx");
  CHECK(spec.readout->vectors.at(0) == "i(v.x1.vo)");
}

TEST_CASE("batch directives: .dataset errors") {
  checkError(".dataset cifar\n", "unknown data set 'cifar'", 9, 10);
  checkError(".dataset mnist validation\n", "unknown split 'validation'", 9, 16);
  checkError(".dataset mnist\n.dataset fashion\n", "second '.dataset'", 10, 1);
  checkError(".dataset\n", "data set name", 9, 9);
  checkError(".dataset mnist test extra\n", "", 9, 21);
  checkError(".subckt s a\n.dataset mnist\n.ends\n", "", 10, 1);
}

TEST_CASE("batch directives: .bind errors") {
  checkError(".bind pixel 1 vp0\n", "'.bind' without '.dataset'", 9, 1);
  checkError(".dataset mnist\n.bind pixel 784 vp0\n", "0..783", 10, 13);
  checkError(".dataset mnist\n.bind pixel -1 vp0\n", "0..783", 10, 13);
  checkError(".dataset mnist\n.bind pixel 1.5 vp0\n", "whole number", 10, 13);
  checkError(".dataset mnist\n.bind pixel 3 vnone\n", "'vnone', which is not defined", 10, 15);
  checkError(".dataset mnist\n.bind pixel 3 r1\n", "independent V or I source", 10, 15);
  checkError(".dataset mnist\n.bind pixel 3 vp0\n.bind pixel 4 vn0 vp0\n", "bound twice", 11, 19);
  checkError(".dataset mnist\n.bind pixel 3 vp0 vp0\n", "bound twice", 10, 19);
  checkError(".dataset mnist\n.bind pixel 3\n", "names no source", 10, 14);
  checkError(".dataset mnist\n.bind pixel\n", "needs a pixel index and at least one source", 10, 12);
  checkError(".dataset mnist\n.bind label 3 vp0\n", "only '.bind pixel'", 10, 7);
}

TEST_CASE("batch directives: .readout errors") {
  const std::string tran = ".tran 1n 10n\n"; // line 9
  checkError(tran + ".readout argmax i(vs)\n", "needs the readout time: at=", 10, 1);
  checkError(tran + ".readout argmax i(vs) at=0\n", "outside (0, tstop", 10, 26);
  checkError(tran + ".readout argmax i(vs) at=11n\n", "outside (0, tstop", 10, 26);
  checkError(tran + ".readout argmax i(vs) at=1n at=2n\n", "'at=' given twice", 10, 29);
  checkError(tran + ".readout argmax i(vs) when=1n\n", "unknown '.readout' parameter 'when'", 10, 23);
  checkError(tran + ".readout max i(vs) at=1n\n", "only 'argmax'", 10, 10);
  checkError(tran + ".readout argmax at=1n\n", "lists no vectors", 10, 1);
  checkError(tran + ".readout argmax all at=1n\n", "not 'all'", 10, 17);
  checkError(tran + ".readout argmax i(vnone) at=1n\n", "no element 'vnone'", 10, 17);
  checkError(tran + ".readout argmax v(nowhere) at=1n\n", "no node 'nowhere'", 10, 17);
  checkError(tran + ".readout argmax v(s,elsewhere) at=1n\n", "no node 'elsewhere'", 10, 17);
  checkError(tran + ".readout argmax i(vs) i(vs) at=1n\n", "lists i(vs) twice", 10, 23);
  checkError(tran + ".readout argmax i(vs) at=1n\n.readout argmax v(s) at=1n\n", "second '.readout'", 11, 1);
  checkError(".readout argmax i(vs) at=1n\n", "without '.tran'", 9, 1);
  checkError(".op\n.readout argmax i(vs) at=1n\n", "without '.tran'", 10, 1);
  checkError(tran + ".tran 1n 20n\n.readout argmax i(vs) at=1n\n", "exactly one '.tran'", 10, 1);
}
