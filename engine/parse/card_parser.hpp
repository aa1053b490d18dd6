// Cards to syntax tree: element cards are split with the registry's
// ElementSyntax table, directives are read into their syntax, and
// `.subckt … .ends` blocks nest.
#pragma once

#include "parse/preprocess.hpp"
#include "parse/syntax_tree.hpp"

namespace dwspice {

// Reads and parses every card of `top` (and the files it includes). Throws
// UserError at the first malformed card.
Deck parseDeck(const std::shared_ptr<const SourceFile> &top, const std::filesystem::path &baseDirectory);

// The whole front half: text to syntax tree.
Deck parseNetlistText(std::string_view text, const std::string &displayName,
                      const std::filesystem::path &baseDirectory);
Deck parseNetlistFile(const std::filesystem::path &file);

} // namespace dwspice
