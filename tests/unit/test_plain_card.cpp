// The plain-card shortcut (parse/plain_card.hpp) must give exactly the
// instance the general element parser gives, and decline every card that is
// not plain. Each card below goes through both paths directly.
#include "core/device_registry.hpp"
#include "parse/card_parsers.hpp"
#include "parse/logical_line.hpp"
#include "parse/plain_card.hpp"
#include "parse/source_text.hpp"
#include "parse/tokenizer.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace dwspice;

namespace {

LogicalLine cardOf(const std::string &text) {
  std::vector<LogicalLine> lines = splitLogicalLines(makeSourceFile("t.cir", text + "\n"), false);
  REQUIRE(lines.size() == 1);
  return lines.front();
}

ElementSyntax syntaxOf(const LogicalLine &line) {
  const std::string_view text = line.lower();
  const char letter = text[text.find_first_not_of(" \t")];
  const std::optional<ElementSyntax> syntax = DeviceRegistry::instance().syntax(letter);
  REQUIRE(syntax.has_value());
  return *syntax;
}

Body generalParse(const LogicalLine &line, const ElementSyntax &syntax) {
  std::vector<Token> tokens;
  tokenize(line, tokens);
  const CardReader card(line, tokens);
  Body body;
  parseElementCard(card, syntax, body);
  return body;
}

void checkSameLoc(const SourceLoc &a, const SourceLoc &b) {
  CHECK(a.line == b.line);
  CHECK(a.column == b.column);
}

} // namespace

TEST_CASE("plain cards: the shortcut gives the general parser's instance") {
  for (const std::string text :
       {"r1 a b 1k", "R12 IN 0 10.5MEG", "  rx2_86 r2 c86 10774.4", "c3 x 0 10f", "l1 n1\t n2 1e-9",
        "r5 a b -2.5", "r6 a b 3kohm", "r7 a b", "r8 a b 1 2 3", "c9 p q .5p", "i1 a 0 1m", "e1 o 0 i 0 2"}) {
    CAPTURE(text);
    const LogicalLine line = cardOf(text);
    const ElementSyntax syntax = syntaxOf(line);
    Body plain;
    REQUIRE(parsePlainElementCard(line, syntax, plain));
    const Body general = generalParse(line, syntax);
    REQUIRE(plain.elements.size() == 1);
    REQUIRE(general.elements.size() == 1);
    CHECK(plain.extras.empty());
    CHECK(general.extras.empty());
    const InstanceSpec &a = plain.elements.front();
    const InstanceSpec &b = general.elements.front();
    CHECK(a.name == b.name);
    CHECK(a.letter == b.letter);
    checkSameLoc(a.loc, b.loc);
    CHECK(std::vector<std::string>(a.nodes.begin(), a.nodes.end()) ==
          std::vector<std::string>(b.nodes.begin(), b.nodes.end()));
    CHECK(a.references == b.references);
    CHECK(a.model == b.model);
    REQUIRE(a.args.size() == b.args.size());
    for (std::size_t k = 0; k < a.args.size(); ++k) {
      CHECK(a.args[k].kind == b.args[k].kind);
      CHECK(a.args[k].name == b.args[k].name);
      CHECK(a.args[k].value == b.args[k].value); // bit-identical: the same number reader
      CHECK(a.args[k].values == b.args[k].values);
      checkSameLoc(a.args[k].loc, b.args[k].loc);
    }
  }
}

TEST_CASE("plain cards: everything else is left to the general parser") {
  for (const std::string text : {"v1 a 0 dc 1",                   // keyword argument
                                 "r1 a b rval",                   // expression word
                                 "r1 a b {2*rb}",                 // braces
                                 "r1 a b 'x+1'",                  // quotes
                                 "r1 a b r=1k",                   // name=value
                                 "v1 a 0 pulse(0 1 1n 1n 1n 5n)", // group
                                 "r1 a b 1k, 2",                  // comma
                                 "r1 a",                      // too few nodes (the general parser reports it)
                                 "r1 a b 1e",                 // malformed number (ditto)
                                 "r1 a b 1..2",               // ditto
                                 "d1 a 0 dmod",               // model-based element
                                 "f1 a 0 vsense 2",           // references
                                 "r1 a b 1 2 3 4 5 6 7 8"}) { // longer than the shortcut reads
    CAPTURE(text);
    const LogicalLine line = cardOf(text);
    const ElementSyntax syntax = syntaxOf(line);
    Body body;
    CHECK_FALSE(parsePlainElementCard(line, syntax, body));
    CHECK(body.elements.empty());
  }
}
