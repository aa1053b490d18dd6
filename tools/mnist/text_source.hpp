// Line-oriented reading of the generator's small input files (design.conf,
// the weights file, cells.inc) with diagnostics that point at the line, as
// the netlist frontend does: `file:line:col: error: …`.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/diagnostics.hpp"

namespace dwspice::mnist {

// Loads a whole text file into a SourceFile (lines without terminators).
// Throws UserError naming the file when it cannot be read.
std::shared_ptr<const SourceFile> loadTextFile(const std::filesystem::path &file, std::string_view whatItIs);

// Location of column `column` (1-based) on line `lineIndex` (0-based).
SourceLoc locationOf(const std::shared_ptr<const SourceFile> &file, std::size_t lineIndex,
                     std::size_t column = 1);

// The part of a line before a '#' comment, without surrounding blanks.
std::string_view stripComment(std::string_view line);

// Parses a whole token as a finite double; false if it is not one.
bool parseDouble(std::string_view token, double &value);

} // namespace dwspice::mnist
