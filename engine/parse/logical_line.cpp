#include "parse/logical_line.hpp"

#include <algorithm>
#include <array>

namespace dwspice {

namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Characters that can start or affect an inline comment. Most lines hold
// none of them, so a table lookup per character decides almost everything.
constexpr std::array<bool, 256> kCommentRelevant = [] {
  std::array<bool, 256> table{};
  for (const unsigned char c : {';', '$', '\'', '"'}) {
    table[c] = true;
  }
  return table;
}();

// The part of a physical line before its inline comment, without trailing
// blanks. `;` starts a comment anywhere outside quotes; `$` does (as in
// ngspice) when it stands alone after a blank.
std::string_view stripInlineComment(std::string_view line) {
  bool inQuote = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (!kCommentRelevant[static_cast<unsigned char>(c)]) {
      continue;
    }
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
  if (pieces.size() == 1) { // a card on one physical line: the common case, no search
    return SourceLoc{file.get(), pieces.front().line, pieces.front().column + static_cast<int>(offset)};
  }
  const auto after = std::upper_bound(pieces.begin(), pieces.end(), offset,
                                      [](std::size_t o, const Piece &p) { return o < p.offset; });
  const Piece &piece = after == pieces.begin() ? pieces.front() : *std::prev(after);
  const std::size_t within = offset >= piece.offset ? offset - piece.offset : 0;
  return SourceLoc{file.get(), piece.line, piece.column + static_cast<int>(within)};
}

LogicalLineReader::LogicalLineReader(std::shared_ptr<const SourceFile> file, bool skipTitle)
    : file_(std::move(file)), index_(skipTitle ? 1 : 0) {}

namespace {

enum class LineKind { Skip, Card, Continuation };

// Classifies a physical line; `contentStart` is where its text begins (after
// the `+` and blanks for a continuation).
LineKind classify(std::string_view physical, std::size_t &contentStart) {
  std::size_t first = 0;
  while (first < physical.size() && isBlank(physical[first])) {
    ++first;
  }
  if (first == physical.size() || physical[first] == '*') {
    return LineKind::Skip; // blank or comment line (may sit between a card and its `+` lines)
  }
  if (physical[first] == '+') {
    contentStart = first + 1;
    while (contentStart < physical.size() && isBlank(physical[contentStart])) {
      ++contentStart;
    }
    return LineKind::Continuation;
  }
  contentStart = first;
  // What stripInlineComment(physical.substr(first)) would leave is empty
  // exactly when the first character starts a comment: `;`, or a `$`
  // standing alone. (Anything else, a quote included, survives.) Deciding
  // that here spares a second scan of every card line.
  const char lead = physical[first];
  const bool loneDollar = lead == '$' && (first + 1 == physical.size() || isBlank(physical[first + 1]));
  return lead == ';' || loneDollar ? LineKind::Skip : LineKind::Card;
}

void appendLower(std::string &lower, std::string_view text) {
  const std::size_t start = lower.size();
  lower.append(text);
  for (std::size_t i = start; i < lower.size(); ++i) {
    if (lower[i] >= 'A' && lower[i] <= 'Z') {
      lower[i] = static_cast<char>(lower[i] - 'A' + 'a');
    }
  }
}

} // namespace

bool LogicalLineReader::next(LogicalLine &card) {
  const SourceFile &source = *file_;
  const std::size_t lineCount = source.lineCount();
  std::size_t contentStart = 0;
  for (; index_ < lineCount; ++index_) {
    const LineKind kind = classify(source.line(index_), contentStart);
    if (kind == LineKind::Continuation) {
      throw UserError(SourceLoc{file_.get(), static_cast<int>(index_) + 1, static_cast<int>(contentStart)},
                      "continuation line '+' without a card to continue");
    }
    if (kind == LineKind::Card) {
      break;
    }
  }
  if (index_ >= lineCount) {
    return false;
  }
  if (card.file != file_) {
    card.file = file_;
  }
  card.text.clear();
  card.lower.clear();
  card.pieces.clear();
  const std::string_view content = stripInlineComment(source.line(index_).substr(contentStart));
  card.text.append(content);
  appendLower(card.lower, content);
  card.pieces.push_back({0, static_cast<int>(index_) + 1, static_cast<int>(contentStart) + 1});
  // Continuation lines (comment and blank lines may sit between them).
  for (++index_; index_ < lineCount; ++index_) {
    const LineKind kind = classify(source.line(index_), contentStart);
    if (kind == LineKind::Card) {
      break;
    }
    if (kind == LineKind::Skip) {
      continue;
    }
    const std::string_view rest = stripInlineComment(source.line(index_).substr(contentStart));
    card.text += ' ';
    card.lower += ' ';
    card.pieces.push_back(
        {card.text.size(), static_cast<int>(index_) + 1, static_cast<int>(contentStart) + 1});
    card.text.append(rest);
    appendLower(card.lower, rest);
  }
  return true;
}

std::vector<LogicalLine> splitLogicalLines(const std::shared_ptr<const SourceFile> &file, bool skipTitle) {
  std::vector<LogicalLine> cards;
  LogicalLineReader reader(file, skipTitle);
  LogicalLine card;
  while (reader.next(card)) {
    cards.push_back(card);
  }
  return cards;
}

} // namespace dwspice
