// The plain element card `<name> <node>… [<number>…]`: blank-separated words,
// no punctuation, every word after the nodes a complete number (`R1 a b 1k`,
// `C3 x 0 10f`). Generated netlists are mostly such cards (a 784x128 crossbar
// is 100k of them), so they are read in one pass over the text, without
// tokens, the card reader or argument objects.
//
// This is a shortcut, not a second grammar: it produces exactly the instance
// the general element parser (card_parsers.hpp) produces for the same card,
// and declines everything else (which then takes the general path, errors
// included). tests/unit/test_plain_card.cpp checks the two agree.
#pragma once

#include "core/device_registry.hpp"
#include "parse/logical_line.hpp"
#include "parse/syntax_tree.hpp"

namespace dwspice {

// Appends the card's instance to `body` and returns true if `line` is a plain
// card for `syntax` (fixed terminal count, no references, no model);
// otherwise leaves `body` untouched and returns false.
bool parsePlainElementCard(const LogicalLine &line, const ElementSyntax &syntax, Body &body);

} // namespace dwspice
