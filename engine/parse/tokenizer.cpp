#include "parse/tokenizer.hpp"

namespace dwspice {

namespace {

// An `=` that belongs to a comparison operator rather than to `name=value`.
bool isComparisonEquals(std::string_view text, std::size_t i) {
  const bool before =
      i > 0 && (text[i - 1] == '=' || text[i - 1] == '<' || text[i - 1] == '>' || text[i - 1] == '!');
  const bool after = i + 1 < text.size() && text[i + 1] == '=';
  return before || after;
}

} // namespace

void tokenize(const LogicalLine &line, std::vector<Token> &out) {
  out.clear();
  const std::string_view text = line.lower();
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (isTokenBlank(c)) {
      ++i;
      continue;
    }
    Token token;
    token.begin = i;
    switch (c) {
    case '(':
    case ')':
    case ',':
      token.kind = c == '(' ? Token::Kind::LParen : (c == ')' ? Token::Kind::RParen : Token::Kind::Comma);
      token.end = ++i;
      break;
    case '{': {
      int depth = 0;
      std::size_t j = i;
      for (; j < text.size(); ++j) {
        if (text[j] == '{') {
          ++depth;
        } else if (text[j] == '}' && --depth == 0) {
          break;
        }
      }
      if (j == text.size()) {
        throw UserError(line.locAt(i), "unbalanced braces: '{' is never closed");
      }
      token.kind = Token::Kind::Braced;
      token.contentBegin = i + 1;
      token.contentEnd = j;
      token.end = i = j + 1;
      break;
    }
    case '}':
      throw UserError(line.locAt(i), "unbalanced braces: '}' has no matching '{'");
    case '\'':
    case '"': {
      const std::size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos) {
        throw UserError(line.locAt(i), c == '\'' ? "unterminated quote: \' is never closed"
                                                 : "unterminated quote: \" is never closed");
      }
      token.kind = Token::Kind::Quoted;
      token.contentBegin = i + 1;
      token.contentEnd = close;
      token.end = i = close + 1;
      break;
    }
    default: {
      if (c == '=' && !isComparisonEquals(text, i)) {
        token.kind = Token::Kind::Equals;
        token.end = ++i;
        break;
      }
      // The inner loop is the hot one (every character of every card);
      // the rare `=` of a comparison continues the word.
      std::size_t j = i;
      for (;;) {
        while (j < text.size() && !isTokenDelimiter(text[j])) {
          ++j;
        }
        if (j < text.size() && text[j] == '=' && isComparisonEquals(text, j)) {
          ++j;
          continue;
        }
        break;
      }
      token.kind = Token::Kind::Word;
      token.end = i = j;
      break;
    }
    }
    if (token.kind != Token::Kind::Braced && token.kind != Token::Kind::Quoted) {
      token.contentBegin = token.begin;
      token.contentEnd = token.end;
    }
    out.push_back(token);
  }
}

} // namespace dwspice
