#include "parse/logical_line.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace dwspice {

namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

bool isUpper(char c) {
  return c >= 'A' && c <= 'Z';
}

// What a card line holds that needs more than a view into the file: capitals
// (the card needs a lower-case copy) and characters that may start an inline
// comment. Most lines hold neither, and this runs over every character of
// every card, so whole 16-byte blocks are tested at once (GCC/Clang vector
// extension) and only the last few characters one by one. (Copying the tail
// into a zeroed block instead stalls on store forwarding.)
struct LineTraits {
  bool hasUpper = false;
  bool mayHaveComment = false;
};

using Bytes16 = unsigned char __attribute__((vector_size(16)));

// Per character: bit 0 = capital, bit 1 = may start an inline comment.
constexpr unsigned char kUpperBit = 1;
constexpr unsigned char kCommentBit = 2;
constexpr std::array<unsigned char, 256> kTraitBits = [] {
  std::array<unsigned char, 256> table{};
  for (unsigned char c = 'A'; c <= 'Z'; ++c) {
    table[c] = kUpperBit;
  }
  for (const unsigned char c : {';', '$', '\'', '"'}) {
    table[c] = kCommentBit;
  }
  return table;
}();

LineTraits traitsOf(std::string_view line) {
  Bytes16 upper{};
  Bytes16 comment{};
  std::size_t i = 0;
  for (; i + sizeof(Bytes16) <= line.size(); i += sizeof(Bytes16)) {
    Bytes16 c;
    std::memcpy(&c, line.data() + i, sizeof(Bytes16));
    upper |= static_cast<Bytes16>((c - 'A') < 26);
    comment |= static_cast<Bytes16>((c == ';') | (c == '$') | (c == '\'') | (c == '"'));
  }
  unsigned char bits = 0;
  for (std::size_t k = 0; k < sizeof(Bytes16); ++k) {
    bits |= static_cast<unsigned char>((upper[k] & kUpperBit) | (comment[k] & kCommentBit));
  }
  for (; i < line.size(); ++i) {
    bits |= kTraitBits[static_cast<unsigned char>(line[i])];
  }
  return {(bits & kUpperBit) != 0, (bits & kCommentBit) != 0};
}

std::string_view trimTrailingBlanks(std::string_view line) {
  while (!line.empty() && isBlank(line.back())) {
    line.remove_suffix(1);
  }
  return line;
}

void lowerInPlace(std::string &text) {
  for (char &c : text) {
    c = isUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

// The part of a physical line before its inline comment, without trailing
// blanks. `;` starts a comment anywhere outside quotes; `$` does (as in
// ngspice) when it stands alone after a blank.
std::string_view stripInlineComment(std::string_view line) {
  bool inQuote = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if ((kTraitBits[static_cast<unsigned char>(c)] & kCommentBit) == 0) {
      continue;
    }
    if (c == '\'' || c == '"') {
      inQuote = !inQuote;
    } else if (!inQuote && (c == ';' || (c == '$' && (i == 0 || isBlank(line[i - 1])) &&
                                         (i + 1 == line.size() || isBlank(line[i + 1]))))) {
      line = line.substr(0, i);
      break;
    }
  }
  return trimTrailingBlanks(line);
}

} // namespace

std::string asciiLower(std::string_view text) {
  std::string out(text);
  lowerInPlace(out);
  return out;
}

LogicalLine::LogicalLine(const LogicalLine &other)
    : file(other.file), pieces(other.pieces), ownedText_(other.ownedText_), ownedLower_(other.ownedLower_) {
  rebindFrom(other);
}

LogicalLine::LogicalLine(LogicalLine &&other) noexcept
    : file(std::move(other.file)), pieces(std::move(other.pieces)), ownedText_(std::move(other.ownedText_)),
      ownedLower_(std::move(other.ownedLower_)) {
  rebindFrom(other);
}

LogicalLine &LogicalLine::operator=(const LogicalLine &other) {
  if (this != &other) {
    file = other.file;
    pieces = other.pieces;
    ownedText_ = other.ownedText_;
    ownedLower_ = other.ownedLower_;
    rebindFrom(other);
  }
  return *this;
}

LogicalLine &LogicalLine::operator=(LogicalLine &&other) noexcept {
  if (this != &other) {
    file = std::move(other.file);
    pieces = std::move(other.pieces);
    ownedText_ = std::move(other.ownedText_);
    ownedLower_ = std::move(other.ownedLower_);
    rebindFrom(other);
  }
  return *this;
}

void LogicalLine::rebindFrom(const LogicalLine &other) {
  textOwned_ = other.textOwned_;
  lowerOwned_ = other.lowerOwned_;
  text_ = textOwned_ ? std::string_view(ownedText_) : other.text_;
  lower_ = lowerOwned_ ? std::string_view(ownedLower_) : text_;
}

void LogicalLine::setOwned() {
  textOwned_ = true;
  lowerOwned_ = true;
  text_ = ownedText_;
  lower_ = ownedLower_;
}

SourceLoc LogicalLine::locAcrossPieces(std::size_t offset) const {
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
  card.pieces.clear();
  const std::size_t first = index_;
  const std::string_view physical = source.line(first).substr(contentStart);
  const LineTraits traits = traitsOf(physical);
  const std::string_view content =
      traits.mayHaveComment ? stripInlineComment(physical) : trimTrailingBlanks(physical);
  card.pieces.push_back({0, static_cast<int>(first) + 1, static_cast<int>(contentStart) + 1});
  // The card ends before the next card line; the + lines up to there (and
  // any comment lines between them) belong to it.
  std::size_t continuations = 0;
  for (++index_; index_ < lineCount; ++index_) {
    std::size_t restStart = 0;
    const LineKind kind = classify(source.line(index_), restStart);
    if (kind == LineKind::Card) {
      break;
    }
    continuations += kind == LineKind::Continuation ? 1 : 0;
  }
  if (continuations == 0) {
    card.setFromSource(content, traits.hasUpper);
    return true;
  }
  // Continuation lines (comment and blank lines may sit between them): the
  // card's text is assembled in its own buffers.
  card.ownedText_.assign(content);
  for (std::size_t k = first + 1; k < index_; ++k) {
    std::size_t restStart = 0;
    if (classify(source.line(k), restStart) != LineKind::Continuation) {
      continue;
    }
    const std::string_view rest = stripInlineComment(source.line(k).substr(restStart));
    card.ownedText_ += ' ';
    card.pieces.push_back({card.ownedText_.size(), static_cast<int>(k) + 1, static_cast<int>(restStart) + 1});
    card.ownedText_.append(rest);
  }
  card.ownedLower_.assign(card.ownedText_);
  lowerInPlace(card.ownedLower_);
  card.setOwned();
  return true;
}

void LogicalLine::setFromSource(std::string_view content, bool hasUpper) {
  text_ = content;
  textOwned_ = false;
  if (!hasUpper) {
    lower_ = content;
    lowerOwned_ = false;
    return;
  }
  ownedLower_.assign(content);
  lowerInPlace(ownedLower_);
  lower_ = ownedLower_;
  lowerOwned_ = true;
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
