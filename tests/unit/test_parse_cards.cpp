// Reading cards: title, comments, continuations, element splitting driven by
// the device registry, and the errors of malformed cards.
#include "parse/card_parser.hpp"
#include "parse/logical_line.hpp"
#include "parse/source_text.hpp"
#include "test_parse_support.hpp"

#include "instance_nodes.hpp"

#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::frontend_test;

TEST_CASE("cards: title, comments, continuation lines, case") {
  const CircuitSpec spec = load("R1 looks like a card but is the title\n"
                                "* a comment line\n"
                                "R1 IN 0 1K ; inline comment\n"
                                "\n"
                                "V1 in 0\n"
                                "* comment between a card and its continuation\n"
                                "+ DC 5 $ ngspice-style comment\n"
                                ".END\n"
                                "r2 after end 1\n");
  CHECK(spec.title == "R1 looks like a card but is the title");
  REQUIRE(spec.instances.size() == 2);
  const InstanceSpec &r1 = spec.instances[0];
  CHECK(r1.name == "r1");
  CHECK(r1.letter == 'r');
  CHECK(testkit::nodesOf(r1) == std::vector<std::string>{"in", "0"});
  REQUIRE(r1.args.size() == 1);
  CHECK(r1.args[0].kind == CardArg::Kind::Value);
  CHECK(r1.args[0].value == 1000.0);
  CHECK(r1.loc.line == 3);
  CHECK(r1.loc.column == 1);
  CHECK(r1.args[0].loc.column == 9);
  const InstanceSpec &v1 = spec.instances[1];
  REQUIRE(v1.args.size() == 2);
  CHECK(v1.args[0].kind == CardArg::Kind::Word);
  CHECK(v1.args[0].name == "dc");
  CHECK(v1.args[1].value == 5.0);
  // The value on the continuation line keeps its own physical location.
  CHECK(v1.args[1].loc.line == 7);
  CHECK(v1.args[1].loc.column == 6);
}

TEST_CASE("cards: locations map through continuation lines") {
  const auto file = makeSourceFile("c.cir", "title\nr1 a\n+ b\n   + 10\n");
  const std::vector<LogicalLine> cards = splitLogicalLines(file, true);
  REQUIRE(cards.size() == 1);
  CHECK(cards[0].text() == "r1 a b 10");
  CHECK(cards[0].locAt(0).line == 2);
  CHECK(cards[0].locAt(5).line == 3);
  CHECK(cards[0].locAt(5).column == 3);
  CHECK(cards[0].locAt(7).line == 4);
  CHECK(cards[0].locAt(7).column == 6);
}

TEST_CASE("cards: copies keep their own text (views into the file or owned buffers)") {
  // Card 1 is a view into the file; card 2 has capitals (an owned lower-case
  // copy); card 3 has a continuation (owned text); card 4 has a comment.
  const auto file = makeSourceFile("c.cir", "title\nr1 a b 10\nR2 A b 20\nr3 a\n+ c 30\nr4 a d 40 ; note\n");
  std::vector<LogicalLine> cards = splitLogicalLines(file, true);
  REQUIRE(cards.size() == 4);
  const std::vector<LogicalLine> copies = cards; // copy constructor
  cards.clear();
  CHECK(copies[0].text() == "r1 a b 10");
  CHECK(copies[1].text() == "R2 A b 20");
  CHECK(copies[1].lower() == "r2 a b 20");
  CHECK(copies[2].text() == "r3 a c 30");
  CHECK(copies[2].lower() == "r3 a c 30");
  CHECK(copies[3].text() == "r4 a d 40");
  LogicalLine assigned;
  assigned = copies[1]; // copy assignment
  LogicalLine moved(std::move(assigned));
  CHECK(moved.lower() == "r2 a b 20");
  CHECK(moved.text() == "R2 A b 20");
}

TEST_CASE("cards: argument kinds") {
  const CircuitSpec spec = load("t\n"
                                ".param vhi=2\n"
                                "v1 a 0 dc 0 pulse(0 {vhi} 1n, 1n 1n 5n 10n)\n"
                                "v2 b 0 sin 0 1 1meg\n"
                                "v3 c 0 pwl(0 0 1n 'vhi*2' 2n -1)\n"
                                "r1 a b r={vhi*1k} m=2\n"
                                "r2 b c 1k tc1=0.001\n"
                                "c1 c 0 1p ic=0.5\n");
  const InstanceSpec *v1 = findInstance(spec, "v1");
  REQUIRE(v1 != nullptr);
  REQUIRE(v1->args.size() == 3);
  CHECK(v1->args[2].kind == CardArg::Kind::Group);
  CHECK(v1->args[2].name == "pulse");
  CHECK(v1->args[2].values == std::vector<double>{0, 2, 1e-9, 1e-9, 1e-9, 5e-9, 10e-9});
  const InstanceSpec *v2 = findInstance(spec, "v2");
  REQUIRE(v2->args.size() == 4);
  CHECK(v2->args[0].kind == CardArg::Kind::Word);
  CHECK(v2->args[0].name == "sin");
  CHECK(v2->args[3].value == doctest::Approx(1e6));
  const InstanceSpec *v3 = findInstance(spec, "v3");
  CHECK(v3->args[0].values == std::vector<double>{0, 0, 1e-9, 4, 2e-9, -1});
  const InstanceSpec *r1 = findInstance(spec, "r1");
  REQUIRE(r1->args.size() == 2);
  CHECK(r1->args[0].kind == CardArg::Kind::Assign);
  CHECK(r1->args[0].name == "r");
  CHECK(r1->args[0].value == 2000);
  CHECK(r1->args[1].name == "m");
  const InstanceSpec *c1 = findInstance(spec, "c1");
  CHECK(c1->args[1].kind == CardArg::Kind::Assign);
  CHECK(c1->args[1].name == "ic");
  CHECK(c1->args[1].value == 0.5);
}

TEST_CASE("cards: split comes from the registry (references, models, variable terminals)") {
  const CircuitSpec spec = load("t\n"
                                "v1 1 0 1\n"
                                "vs 1 2 0\n"
                                "r1 2 0 1k\n"
                                "f1 3 0 vs 2\n"
                                "r3 3 0 1k\n"
                                "l1 4 0 1u\n"
                                "l2 5 0 1u\n"
                                "k1 l1 l2 0.5\n"
                                "r4 4 0 1\n"
                                "r5 5 0 1\n"
                                "d1 2 gnd dmod area=2\n"
                                ".model dmod d(is=1e-14 n=1.5)\n"
                                "m1 6 2 0 0 nch w=1u l=1u\n"
                                ".model nch nmos level=1 vto=0.7\n"
                                "r6 6 0 1k\n"
                                "n1 7 0 mj\n"
                                ".model mj mtj\n"
                                "r7 7 0 1k\n");
  const InstanceSpec *f1 = findInstance(spec, "f1");
  REQUIRE(f1 != nullptr);
  CHECK(testkit::nodesOf(*f1) == std::vector<std::string>{"3", "0"});
  CHECK(f1->references == std::vector<std::string>{"vs"});
  CHECK(f1->args.size() == 1);
  const InstanceSpec *k1 = findInstance(spec, "k1");
  CHECK(k1->nodes.empty());
  CHECK(k1->references == std::vector<std::string>{"l1", "l2"});
  const InstanceSpec *d1 = findInstance(spec, "d1");
  CHECK(testkit::nodesOf(*d1) == std::vector<std::string>{"2", "0"});
  REQUIRE(d1->model != nullptr);
  CHECK(d1->model->name == "dmod");
  CHECK(d1->model->type == "d");
  CHECK(d1->model->params.at("is") == doctest::Approx(1e-14));
  CHECK(d1->model->params.at("n") == 1.5);
  CHECK(d1->model->paramLocs.at("n").line == 13);
  const InstanceSpec *m1 = findInstance(spec, "m1");
  CHECK(m1->nodes.size() == 4);
  REQUIRE(m1->model != nullptr);
  CHECK(m1->model->type == "nmos");
  CHECK(m1->model->params.at("level") == 1);
  CHECK(m1->args.size() == 2);
  const InstanceSpec *n1 = findInstance(spec, "n1");
  CHECK(testkit::nodesOf(*n1) == std::vector<std::string>{"7", "0"});
  REQUIRE(n1->model != nullptr);
  CHECK(n1->model->type == "mtj");
}

TEST_CASE("cards: N devices take the model name from the last plain word") {
  const CircuitSpec spec = load("t\n"
                                ".model syn dwsynapse\n"
                                "n1 a b c d syn state=2\n"
                                "r1 a 0 1\n");
  const InstanceSpec *n1 = findInstance(spec, "n1");
  REQUIRE(n1 != nullptr);
  CHECK(testkit::nodesOf(*n1) == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(n1->model->type == "dwsynapse");
  REQUIRE(n1->args.size() == 1);
  CHECK(n1->args[0].name == "state");
  // The node count must fit the model's device.
  const CapturedError e = errorOf("t\n.model syn dwsynapse\nn1 a b syn\n");
  CHECK(e.message.find("needs 4 nodes") != std::string::npos);
  CHECK(e.line == 3);
}

TEST_CASE("cards: errors") {
  CapturedError e = errorOf("t\nq1 a b c qmod\n");
  CHECK(e.message.find("unknown element letter") != std::string::npos);
  CHECK(e.line == 2);
  CHECK(e.column == 1);

  e = errorOf("t\n.frobnicate 1\n");
  CHECK(e.message.find("unknown directive '.frobnicate'") != std::string::npos);

  e = errorOf("t\nr1 a\n");
  CHECK(e.message.find("expects 2 nodes") != std::string::npos);
  CHECK(e.line == 2);

  e = errorOf("t\nf1 a b\n");
  CHECK(e.message.find("1 reference") != std::string::npos);

  e = errorOf("t\nd1 a 0\n");
  CHECK(e.message.find("model name") != std::string::npos);

  e = errorOf("t\nr1 a 0 {1+2\n");
  CHECK(e.message.find("unbalanced braces") != std::string::npos);
  CHECK(e.column == 8);

  e = errorOf("t\nr1 a 0 1}\n");
  CHECK(e.message.find("unbalanced braces") != std::string::npos);

  e = errorOf("t\nr1 a 0 {(1+2}\n");
  CHECK(e.message.find("unbalanced parentheses") != std::string::npos);
  CHECK(e.column == 9);

  e = errorOf("t\nv1 a 0 pulse(0 1\n");
  CHECK(e.message.find("unbalanced parentheses") != std::string::npos);
  CHECK(e.column == 13);

  e = errorOf("t\nr1 a 0 'a+\n");
  CHECK(e.message.find("unterminated quote") != std::string::npos);

  e = errorOf("t\n+ r1 a 0 1\n");
  CHECK(e.message.find("continuation") != std::string::npos);

  e = errorOf("t\n1r a 0 1\n");
  CHECK(e.message.find("neither an element nor a directive") != std::string::npos);

  e = errorOf("t\nr1 a 0 w=\n");
  CHECK(e.message.find("missing value") != std::string::npos);

  e = errorOf("t\nr1 a 0 1 )\n");
  CHECK(e.message.find("unbalanced parentheses") != std::string::npos);
}

TEST_CASE("cards: empty and binary input") {
  CapturedError e = errorOf("");
  CHECK(e.message.find("no elements") != std::string::npos);
  e = errorOf("title only\n* nothing else\n.end\n");
  CHECK(e.message.find("no elements") != std::string::npos);
  e = errorOf(std::string_view("t\nr1 a 0 1\n\0\x01\x02", 14));
  CHECK(e.message.find("not a text netlist") != std::string::npos);
  CHECK(e.line == 3);
  e = errorOf("t\nr1 a 0 1 \xff\xfe\n");
  CHECK(e.message.find("not a text netlist") != std::string::npos);
  CHECK(e.line == 2);
  CHECK(e.column == 10);
  // Valid UTF-8 (a comment in another script) is fine.
  CHECK_NOTHROW(load("t\n* résumé 電阻\nr1 a 0 1\n"));
  // CRLF line ends and a byte-order mark are accepted.
  const CircuitSpec crlf = load("\xEF\xBB\xBFtitle\r\nr1 a 0 1k\r\n.end\r\n");
  CHECK(crlf.title == "title");
  CHECK(crlf.instances.at(0).args.at(0).value == 1000);
}

TEST_CASE("cards: .title replaces the first line; .end ends reading") {
  const CircuitSpec spec = load("first line\n.title The Real Title\nr1 a 0 1\n.end\nthis is not read\n");
  CHECK(spec.title == "The Real Title");
  CHECK(spec.instances.size() == 1);
}

TEST_CASE("cards: comment characters inside quotes are text") {
  // Were `;` a comment here, the quote would be unterminated instead.
  const CapturedError e = errorOf("t\nr1 a 0 '1;2'\n");
  CHECK(e.message.find("unexpected ';'") != std::string::npos);
  CHECK(e.column == 10);
}

TEST_CASE("cards: a parenthesised value right after the nodes is not read as a group named by the node") {
  // Before: `0(` started a group and the card silently lost a node. Values in
  // parentheses are not SPICE syntax (braces are); the error points at '('.
  const std::string text = "paren value\nR3 a 0 (2*rb)\nV1 a 0 1\n";
  CHECK_THROWS_WITH(load(text), doctest::Contains("t.cir:2:8: error: unexpected '('"));
  const CircuitSpec spec = load("braced value\n.param rb=2k\nR3 a 0 {2*rb}\nV1 a 0 1\n");
  CHECK(testkit::nodesOf(spec.instances[0]) == std::vector<std::string>{"a", "0"});
  CHECK(spec.instances[0].args[0].value == 4000.0);
}
