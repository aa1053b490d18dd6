#include "text_source.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <fmt/std.h>

namespace dwspice::mnist {

std::shared_ptr<const SourceFile> loadTextFile(const std::filesystem::path &file, std::string_view whatItIs) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw UserError(fmt::format("cannot open {} file '{}'", whatItIs, file.string()));
  }
  auto source = std::make_shared<SourceFile>();
  source->path = file.string();
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    source->addLine(line);
  }
  if (in.bad()) {
    throw UserError(fmt::format("error reading {} file '{}'", whatItIs, file.string()));
  }
  return keepSourceFile(std::move(source));
}

SourceLoc locationOf(const std::shared_ptr<const SourceFile> &file, std::size_t lineIndex,
                     std::size_t column) {
  return SourceLoc{file.get(), static_cast<int>(lineIndex + 1), static_cast<int>(column)};
}

std::string_view stripComment(std::string_view line) {
  if (const auto hash = line.find('#'); hash != std::string_view::npos) {
    line = line.substr(0, hash);
  }
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = line.find_last_not_of(" \t");
  return line.substr(first, last - first + 1);
}

bool parseDouble(std::string_view token, double &value) {
  if (token.empty()) {
    return false;
  }
  // from_chars rejects a leading '+', which is a valid way to write a number.
  if (token.front() == '+') {
    token.remove_prefix(1);
  }
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  return error == std::errc() && end == token.data() + token.size() && std::isfinite(value);
}

} // namespace dwspice::mnist
