// Physical lines to cards ("logical lines"): comment lines and blank lines are
// dropped, inline comments (`;`, ` $ `) removed, `+` continuation lines
// appended. Each card remembers where every piece of its text came from, so
// any offset maps back to a physical file:line:col.
#pragma once

#include "core/diagnostics.hpp"

#include <memory>
#include <string>
#include <vector>

namespace dwspice {

struct LogicalLine {
  std::shared_ptr<const SourceFile> file;
  std::string text;  // as written (include paths and titles keep their case)
  std::string lower; // ASCII lower-case copy; same offsets as `text`

  // text[offset…] comes from physical `line`, starting at `column`.
  struct Piece {
    std::size_t offset = 0;
    int line = 0;
    int column = 0;
  };
  std::vector<Piece> pieces; // ascending offsets; never empty

  [[nodiscard]] SourceLoc locAt(std::size_t offset) const;
  [[nodiscard]] SourceLoc start() const { return locAt(0); }
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
