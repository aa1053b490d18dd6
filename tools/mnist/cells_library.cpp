#include "cells_library.hpp"
#include "parse/logical_line.hpp" // asciiLower

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>

#include <fmt/core.h>

#include "core/diagnostics.hpp"
#include "text_source.hpp"

namespace dwspice::mnist {

namespace {

// One SPICE logical line: a card with its '+' continuations joined, and the
// physical line it starts on (for diagnostics).
struct LogicalLine {
  std::size_t firstLine = 0;
  std::vector<std::string> tokens; // lower case; '(' ')' ',' '=' treated as blanks around words
};

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '(' || c == ')' || c == ',') {
      if (!current.empty()) {
        tokens.push_back(asciiLower(current));
        current.clear();
      }
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) {
    tokens.push_back(asciiLower(current));
  }
  return tokens;
}

std::string_view withoutInlineComment(std::string_view line) {
  // ngspice's inline comment markers: ';' anywhere, '$' after a blank.
  if (const auto semicolon = line.find(';'); semicolon != std::string_view::npos) {
    line = line.substr(0, semicolon);
  }
  if (const auto dollar = line.find(" $"); dollar != std::string_view::npos) {
    line = line.substr(0, dollar);
  }
  return line;
}

std::vector<LogicalLine> logicalLines(const SourceFile &source) {
  std::vector<LogicalLine> lines;
  for (std::size_t index = 0; index < source.lineCount(); ++index) {
    std::string_view line = source.line(index);
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '*') {
      continue;
    }
    line = withoutInlineComment(line.substr(first));
    if (line.front() == '+' && !lines.empty()) {
      auto more = tokenize(line.substr(1));
      lines.back().tokens.insert(lines.back().tokens.end(), more.begin(), more.end());
      continue;
    }
    lines.push_back(LogicalLine{index, tokenize(line)});
  }
  return lines;
}

} // namespace

CellsLibrary readCellsLibrary(const std::filesystem::path &file) {
  const auto source = loadTextFile(file, "cells");
  CellsLibrary library;
  library.path = source->path;
  library.text = source->text;
  std::vector<SubcircuitInterface> found;
  found.reserve(64);
  std::vector<std::optional<std::size_t>> openIndex;
  for (const auto &line : logicalLines(*source)) {
    if (line.tokens.empty()) {
      continue;
    }
    const std::string &card = line.tokens.front();
    const SourceLoc where = locationOf(source, line.firstLine);
    if (card == ".end") {
      throw UserError(where, "cells.inc must not contain '.end' (it is inlined into the classifier netlist)");
    }
    if (card == ".include" || card == ".inc" || card == ".lib") {
      throw UserError(where, "cells.inc must be self-contained: the generator inlines it, so an include's "
                             "relative path would no longer resolve");
    }
    if (card == ".model" && line.tokens.size() > 1 &&
        (line.tokens[1] == "syn1" || line.tokens[1] == "syn2")) {
      throw UserError(where, fmt::format("model '{}' is written by the generator (it depends on the notch "
                                         "count); remove it from cells.inc",
                                         line.tokens[1]));
    }
    if (card == ".subckt") {
      if (line.tokens.size() < 2) {
        throw UserError(where, ".subckt needs a name");
      }
      SubcircuitInterface cell;
      cell.name = line.tokens[1];
      for (std::size_t k = 2; k < line.tokens.size(); ++k) {
        const auto &token = line.tokens[k];
        if (token == "params:" || token.find('=') != std::string::npos) {
          break;
        }
        cell.ports.push_back(token);
      }
      // Only top-level definitions are visible to the generated X cards.
      openIndex.push_back(openIndex.empty() ? std::optional<std::size_t>(found.size()) : std::nullopt);
      if (openIndex.back()) {
        found.push_back(std::move(cell));
      }
      continue;
    }
    if (card == ".ends") {
      if (openIndex.empty()) {
        throw UserError(where, "'.ends' without '.subckt'");
      }
      openIndex.pop_back();
      continue;
    }
    if (openIndex.size() == 1 && card.front() != '.') {
      found[*openIndex.front()].elements.push_back(card);
    }
  }
  if (!openIndex.empty()) {
    throw UserError(fmt::format("{}: a .subckt is not closed by .ends", library.path));
  }
  const auto take = [&](std::string_view name, std::size_t ports, std::string_view portList) {
    const auto it =
        std::find_if(found.begin(), found.end(), [&](const auto &cell) { return cell.name == name; });
    if (it == found.end()) {
      throw UserError(fmt::format("{}: no top-level '.subckt {} {}'", library.path, name, portList));
    }
    if (it->ports.size() != ports) {
      throw UserError(fmt::format("{}: subcircuit '{}' has {} ports, the generator connects {} ({})",
                                  library.path, name, it->ports.size(), ports, portList));
    }
    return *it;
  };
  library.hiddenCell = take("hidden_cell", 6, "col outp outn vdd vss rden");
  library.outputCell = take("output_cell", 4, "col vdd vss rdout");
  const auto &outputElements = library.outputCell.elements;
  if (std::find(outputElements.begin(), outputElements.end(), "vout") == outputElements.end()) {
    throw UserError(fmt::format("{}: output_cell has no 0-V ammeter 'vout' (the readout is i(v.xo<k>.vout))",
                                library.path));
  }
  return library;
}

} // namespace dwspice::mnist
