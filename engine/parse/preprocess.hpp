// Text-level directives that decide which cards exist at all: `.include`,
// `.lib file section` / `.lib section … .endl`, `.control … .endc` (skipped)
// and `.end`. Cards from all files stream to a sink in netlist order.
#pragma once

#include "parse/logical_line.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace dwspice {

// Receives the cards in order. The LogicalLine is reused for the next card:
// keep what you need, not the reference.
class CardSink {
public:
  virtual ~CardSink() = default;
  virtual void card(const LogicalLine &line) = 0;
};

struct PreprocessedNetlist {
  std::string title;
  std::vector<std::shared_ptr<const SourceFile>> files; // top first
  SourceLoc lastCard;                                   // invalid if there was no card
};

// `top` is the already loaded top-level file (its first line is the title);
// relative include paths in it resolve against `baseDirectory`. Cards stream
// into `sink` as they are read.
PreprocessedNetlist preprocess(const std::shared_ptr<const SourceFile> &top,
                               const std::filesystem::path &baseDirectory, CardSink &sink);

} // namespace dwspice
