#include "parse/logical_line.hpp"

#include <algorithm>

namespace dwspice {

namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// The part of a physical line before its inline comment, without trailing
// blanks. `;` starts a comment anywhere outside quotes; `$` does (as in
// ngspice) when it stands alone after a blank.
std::string_view stripInlineComment(std::string_view line) {
  bool inQuote = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'' || c == '"') {
      inQuote = !inQuote;
    } else if (!inQuote && c == ';') {
      line = line.substr(0, i);
      break;
    } else if (!inQuote && c == '$' && (i == 0 || isBlank(line[i - 1])) &&
               (i + 1 == line.size() || isBlank(line[i + 1]))) {
      line = line.substr(0, i);
      break;
    }
  }
  while (!line.empty() && isBlank(line.back())) {
    line.remove_suffix(1);
  }
  return line;
}

} // namespace

std::string asciiLower(std::string_view text) {
  std::string out(text);
  for (char &c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

SourceLoc LogicalLine::locAt(std::size_t offset) const {
  const auto after = std::upper_bound(pieces.begin(), pieces.end(), offset,
                                      [](std::size_t o, const Piece &p) { return o < p.offset; });
  const Piece &piece = after == pieces.begin() ? pieces.front() : *std::prev(after);
  const std::size_t within = offset >= piece.offset ? offset - piece.offset : 0;
  return SourceLoc{file, piece.line, piece.column + static_cast<int>(within)};
}

std::vector<LogicalLine> splitLogicalLines(const std::shared_ptr<const SourceFile> &file, bool skipTitle) {
  std::vector<LogicalLine> cards;
  cards.reserve(file->lines.size());
  for (std::size_t index = skipTitle ? 1 : 0; index < file->lines.size(); ++index) {
    const std::string_view physical = file->lines[index];
    const int lineNumber = static_cast<int>(index) + 1;
    std::size_t first = 0;
    while (first < physical.size() && isBlank(physical[first])) {
      ++first;
    }
    if (first == physical.size() || physical[first] == '*') {
      continue; // blank or comment line (may sit between a card and its `+` lines)
    }
    if (physical[first] == '+') {
      const std::string_view rest = stripInlineComment(physical.substr(first + 1));
      if (cards.empty()) {
        throw UserError(SourceLoc{file, lineNumber, static_cast<int>(first) + 1},
                        "continuation line '+' without a card to continue");
      }
      LogicalLine &card = cards.back();
      card.text += ' ';
      card.pieces.push_back({card.text.size(), lineNumber, static_cast<int>(first) + 2});
      card.text += rest;
      continue;
    }
    const std::string_view content = stripInlineComment(physical.substr(first));
    if (content.empty()) {
      continue; // the whole line was an inline comment
    }
    LogicalLine card;
    card.file = file;
    card.text = content;
    card.pieces.push_back({0, lineNumber, static_cast<int>(first) + 1});
    cards.push_back(std::move(card));
  }
  for (LogicalLine &card : cards) {
    card.lower = asciiLower(card.text);
  }
  return cards;
}

} // namespace dwspice
