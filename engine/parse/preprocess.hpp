// Text-level directives that decide which cards exist at all: `.include`,
// `.lib file section` / `.lib section … .endl`, `.control … .endc` (skipped)
// and `.end`. The result is one flat list of cards from all files, in order.
#pragma once

#include "parse/logical_line.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace dwspice {

struct PreprocessedNetlist {
  std::string title;
  std::vector<LogicalLine> cards;
  std::vector<std::shared_ptr<const SourceFile>> files; // top first
};

// `top` is the already loaded top-level file (its first line is the title);
// relative include paths in it resolve against `baseDirectory`.
PreprocessedNetlist preprocess(const std::shared_ptr<const SourceFile> &top,
                               const std::filesystem::path &baseDirectory);

} // namespace dwspice
