// Physical lines to cards ("logical lines"): comment lines and blank lines are
// dropped, inline comments (`;`, ` $ `) removed, `+` continuation lines
// appended. Each card remembers where every piece of its text came from, so
// any offset maps back to a physical file:line:col.
#pragma once

#include "core/diagnostics.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice {

class LogicalLine {
public:
  LogicalLine() = default;
  // Copies and moves re-point the views at the new object's own buffers.
  LogicalLine(const LogicalLine &other);
  LogicalLine(LogicalLine &&other) noexcept;
  LogicalLine &operator=(const LogicalLine &other);
  LogicalLine &operator=(LogicalLine &&other) noexcept;
  ~LogicalLine() = default;

  // As written (include paths and titles keep their case).
  [[nodiscard]] std::string_view text() const { return text_; }
  // ASCII lower-case; the same offsets as text().
  [[nodiscard]] std::string_view lower() const { return lower_; }

  // Inline for a card on one physical line, the common case (a big netlist
  // asks this twice per card); continued cards search their pieces.
  [[nodiscard]] SourceLoc locAt(std::size_t offset) const {
    if (pieces.size() == 1) {
      return SourceLoc{file.get(), pieces.front().line, pieces.front().column + static_cast<int>(offset)};
    }
    return locAcrossPieces(offset);
  }
  [[nodiscard]] SourceLoc start() const { return locAt(0); }

  std::shared_ptr<const SourceFile> file;

  // text[offset…] comes from physical `line`, starting at `column`.
  struct Piece {
    std::size_t offset = 0;
    int line = 0;
    int column = 0;
  };
  std::vector<Piece> pieces; // ascending offsets; never empty

private:
  friend class LogicalLineReader;
  [[nodiscard]] SourceLoc locAcrossPieces(std::size_t offset) const;
  // A card on one physical line without capitals is a view into the source
  // file itself: no copy at all (the case of nearly every line of a big
  // generated netlist). Otherwise the card's text lives in the buffers here.
  void setFromSource(std::string_view content, bool hasUpper);
  void setOwned(); // text_/lower_ view ownedText_/ownedLower_
  void rebindFrom(const LogicalLine &other);

  std::string_view text_;
  std::string_view lower_;
  std::string ownedText_;
  std::string ownedLower_;
  bool textOwned_ = false;  // text_ views ownedText_ (else the source file)
  bool lowerOwned_ = false; // lower_ views ownedLower_ (else it equals text_)
};

// Reads the cards of one file one at a time into a reused LogicalLine, so a
// 100k-line netlist costs no allocation per card. With `skipTitle`, physical
// line 1 is the title and not a card.
class LogicalLineReader {
public:
  LogicalLineReader(std::shared_ptr<const SourceFile> file, bool skipTitle);

  // Fills `card` with the next card; false at the end of the file. Throws
  // UserError for a `+` line that continues nothing.
  bool next(LogicalLine &card);

private:
  std::shared_ptr<const SourceFile> file_;
  std::size_t index_ = 0; // next physical line to look at
};

// All cards of one file (convenience for tests and small files).
std::vector<LogicalLine> splitLogicalLines(const std::shared_ptr<const SourceFile> &file, bool skipTitle);

// ASCII lower-case (netlists are case-insensitive; UTF-8 bytes are left alone).
std::string asciiLower(std::string_view text);

} // namespace dwspice
