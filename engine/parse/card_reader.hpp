// Reading the tokens of one card: the helpers the element and directive
// parsers share (values, arguments, parenthesised groups). Internal to the
// parse layer.
#pragma once

#include "parse/syntax_tree.hpp"
#include "parse/tokenizer.hpp"

#include <string_view>
#include <vector>

namespace dwspice {

class CardReader {
public:
  // `functions`: the `.func` definitions expressions on this card may call.
  CardReader(const LogicalLine &line, const std::vector<Token> &tokens,
             const FunctionTable *functions = nullptr)
      : line_(line), tokens_(tokens), functions_(functions) {}

  [[nodiscard]] const FunctionTable *functions() const { return functions_; }

  [[nodiscard]] const LogicalLine &line() const { return line_; }
  [[nodiscard]] std::size_t size() const { return tokens_.size(); }
  [[nodiscard]] const Token &at(std::size_t i) const { return tokens_[i]; }
  [[nodiscard]] bool is(std::size_t i, Token::Kind kind) const {
    return i < tokens_.size() && tokens_[i].kind == kind;
  }
  // Word followed by `=`.
  [[nodiscard]] bool isAssign(std::size_t i) const {
    return is(i, Token::Kind::Word) && is(i + 1, Token::Kind::Equals);
  }
  // Content of a token (lower-case; without braces or quotes).
  [[nodiscard]] std::string_view text(std::size_t i) const;
  // The same in the original case (file names, titles).
  [[nodiscard]] std::string_view originalText(std::size_t i) const;
  [[nodiscard]] SourceLoc loc(std::size_t i) const { return line_.locAt(tokens_[i].begin); }
  [[nodiscard]] SourceLoc endLoc() const { return line_.locAt(line_.text().size()); }
  [[nodiscard]] Word word(std::size_t i) const;
  // Word token or an error naming `what` (e.g. "a node name").
  [[nodiscard]] Word expectWord(std::size_t i, std::string_view what) const;

  // Index of the `)` matching the `(` at `open`; error at `open` if none.
  [[nodiscard]] std::size_t matchingParen(std::size_t open) const;

  // A value item starting at token i: a number or bare expression word (with
  // a following `(…)` as a function call), `{expr}`, `'expr'`, or `(expr)`.
  // Advances i past it.
  ValueSyntax value(std::size_t &i) const;
  // A value from text[begin, end) of the card.
  [[nodiscard]] ValueSyntax valueFromRange(std::size_t begin, std::size_t end) const;

  // One element/analysis argument at i (Value, Word, Group or Assign);
  // advances i past it. Commas between arguments are skipped by the caller.
  ArgSyntax argument(std::size_t &i) const;

  [[noreturn]] void unexpected(std::size_t i) const;

private:
  const LogicalLine &line_;
  const std::vector<Token> &tokens_;
  const FunctionTable *functions_;
};

} // namespace dwspice
