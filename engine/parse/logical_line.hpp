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

// Cards of one file. With `skipTitle`, physical line 1 is the title and not a
// card. Throws UserError for a `+` line that continues nothing.
std::vector<LogicalLine> splitLogicalLines(const std::shared_ptr<const SourceFile> &file, bool skipTitle);

// ASCII lower-case (netlists are case-insensitive; UTF-8 bytes are left alone).
std::string asciiLower(std::string_view text);

} // namespace dwspice
