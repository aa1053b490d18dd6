// Splits one card into tokens. Tokens are offsets into the card's text so no
// string is copied until the parser keeps something.
//
//   Word     any run of characters other than blanks ( ) = , { } ' "
//            (`==`, `<=`, `>=`, `!=` stay inside words so bare expressions work)
//   Braced   {expr}   (nested braces allowed)
//   Quoted   'expr' or "text"
//   LParen RParen Equals Comma
#pragma once

#include "parse/logical_line.hpp"

#include <array>
#include <string_view>
#include <vector>

namespace dwspice {

// Blanks separate tokens; delimiters (blanks included) end a word. Shared
// with the plain-card reader (plain_card.hpp), which must split exactly as
// this tokenizer does.
[[nodiscard]] constexpr bool isTokenBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
inline constexpr std::array<bool, 256> kTokenDelimiter = [] {
  std::array<bool, 256> table{};
  for (const unsigned char c : {' ', '\t', '\r', '\f', '\v', '(', ')', '=', ',', '{', '}', '\'', '"'}) {
    table[c] = true;
  }
  return table;
}();
[[nodiscard]] inline bool isTokenDelimiter(char c) {
  return kTokenDelimiter[static_cast<unsigned char>(c)];
}

struct Token {
  enum class Kind { Word, Braced, Quoted, LParen, RParen, Equals, Comma };
  Kind kind = Kind::Word;
  std::size_t begin = 0;        // offset of the first character (delimiters included)
  std::size_t end = 0;          // one past the last character
  std::size_t contentBegin = 0; // Braced/Quoted: inside the delimiters; else = begin
  std::size_t contentEnd = 0;
};

// Tokenizes `line.lower` into `out` (cleared first). Throws UserError for
// unbalanced braces and unterminated quotes.
void tokenize(const LogicalLine &line, std::vector<Token> &out);

} // namespace dwspice
