#include "parse/card_reader.hpp"
#include "parse/spice_number.hpp"

#include <fmt/core.h>

namespace dwspice {

std::string_view CardReader::text(std::size_t i) const {
  const Token &t = tokens_[i];
  return line_.lower().substr(t.contentBegin, t.contentEnd - t.contentBegin);
}

std::string_view CardReader::originalText(std::size_t i) const {
  const Token &t = tokens_[i];
  return line_.text().substr(t.contentBegin, t.contentEnd - t.contentBegin);
}

Word CardReader::word(std::size_t i) const {
  return Word{std::string(text(i)), loc(i)};
}

Word CardReader::expectWord(std::size_t i, std::string_view what) const {
  if (i >= tokens_.size()) {
    throw UserError(endLoc(), fmt::format("missing {}", what));
  }
  if (!is(i, Token::Kind::Word)) {
    throw UserError(loc(i), fmt::format("expected {} here", what));
  }
  return word(i);
}

std::size_t CardReader::matchingParen(std::size_t open) const {
  int depth = 0;
  for (std::size_t j = open; j < tokens_.size(); ++j) {
    if (tokens_[j].kind == Token::Kind::LParen) {
      ++depth;
    } else if (tokens_[j].kind == Token::Kind::RParen && --depth == 0) {
      return j;
    }
  }
  throw UserError(loc(open), "unbalanced parentheses: '(' is never closed");
}

ValueSyntax CardReader::valueFromRange(std::size_t begin, std::size_t end) const {
  const std::string_view text = line_.lower().substr(begin, end - begin);
  ValueSyntax value;
  value.loc = line_.locAt(begin);
  // Plain numbers are by far the most common value: no expression tree for them.
  const NumberScan scan = scanNumber(text, true);
  if (scan.status == NumberScan::Status::Ok && scan.length == text.size()) {
    value.number = scan.value;
    return value;
  }
  const LogicalLine &line = line_;
  value.expr = parseExpression(
      text, [&line, begin](std::size_t offset) { return line.locAt(begin + offset); }, functions_);
  return value;
}

ValueSyntax CardReader::value(std::size_t &i) const {
  if (i >= tokens_.size()) {
    throw UserError(endLoc(), "missing value");
  }
  const Token &t = tokens_[i];
  switch (t.kind) {
  case Token::Kind::Braced:
  case Token::Kind::Quoted:
    ++i;
    if (t.contentBegin == t.contentEnd) {
      throw UserError(line_.locAt(t.begin), "empty expression");
    }
    return valueFromRange(t.contentBegin, t.contentEnd);
  case Token::Kind::Word:
    if (is(i + 1, Token::Kind::LParen)) { // bare function call: max(a,b)
      const std::size_t close = matchingParen(i + 1);
      const std::size_t begin = t.begin;
      i = close + 1;
      return valueFromRange(begin, tokens_[close].end);
    }
    ++i;
    return valueFromRange(t.begin, t.end);
  case Token::Kind::LParen: {
    const std::size_t close = matchingParen(i);
    const std::size_t begin = t.begin;
    i = close + 1;
    return valueFromRange(begin, tokens_[close].end);
  }
  default:
    unexpected(i);
  }
}

ArgSyntax CardReader::argument(std::size_t &i) const {
  ArgSyntax arg;
  arg.loc = loc(i);
  if (isAssign(i)) {
    arg.kind = CardArg::Kind::Assign;
    arg.name = text(i);
    i += 2;
    if (i >= tokens_.size() || is(i, Token::Kind::Comma) || is(i, Token::Kind::RParen)) {
      throw UserError(i >= tokens_.size() ? endLoc() : loc(i),
                      fmt::format("missing value after '{}='", arg.name));
    }
    arg.value = value(i);
    return arg;
  }
  if (is(i, Token::Kind::Word) && is(i + 1, Token::Kind::LParen)) {
    arg.kind = CardArg::Kind::Group;
    arg.name = text(i);
    const std::size_t close = matchingParen(i + 1);
    std::size_t j = i + 2;
    while (j < close) {
      if (is(j, Token::Kind::Comma)) {
        ++j;
        continue;
      }
      arg.items.push_back(value(j));
    }
    i = close + 1;
    return arg;
  }
  if (is(i, Token::Kind::Word)) {
    if (looksNumeric(text(i), true)) {
      arg.kind = CardArg::Kind::Value;
      arg.value = value(i);
      return arg;
    }
    arg.kind = CardArg::Kind::Word;
    arg.name = text(i);
    ++i;
    return arg;
  }
  if (is(i, Token::Kind::Braced) || is(i, Token::Kind::Quoted)) {
    arg.kind = CardArg::Kind::Value;
    arg.value = value(i);
    return arg;
  }
  unexpected(i);
}

void CardReader::unexpected(std::size_t i) const {
  if (i >= tokens_.size()) {
    throw UserError(endLoc(), "card ends unexpectedly");
  }
  switch (tokens_[i].kind) {
  case Token::Kind::RParen:
    throw UserError(loc(i), "unbalanced parentheses: ')' has no matching '('");
  case Token::Kind::LParen:
    throw UserError(loc(i), "unexpected '('");
  case Token::Kind::Equals:
    throw UserError(loc(i), "unexpected '=' (expected name=value)");
  case Token::Kind::Comma:
    throw UserError(loc(i), "unexpected ','");
  default:
    throw UserError(loc(i), fmt::format("unexpected '{}'", text(i)));
  }
}

} // namespace dwspice
