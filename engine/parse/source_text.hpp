// Loading netlist text: bytes to a validated SourceFile (lines without
// terminators). Binary input (NUL bytes, invalid UTF-8) is rejected here so
// nothing later has to cope with it.
#pragma once

#include "core/diagnostics.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace dwspice {

// Splits `bytes` into lines (LF or CRLF; a UTF-8 byte-order mark is dropped).
// Throws UserError "not a text netlist" at the first NUL byte or invalid
// UTF-8 sequence.
std::shared_ptr<const SourceFile> makeSourceFile(std::string displayPath, std::string bytes);

// Reads a file from disk. A file that cannot be opened is reported at
// `requestedAt` (the .include line; empty for the top-level file).
std::shared_ptr<const SourceFile> readSourceFile(const std::filesystem::path &path,
                                                 const SourceLoc &requestedAt);

} // namespace dwspice
