#include "parse/source_text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>

namespace dwspice {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if invalid.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned int minimum = 0;
  unsigned int codepoint = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, minimum = 0x80, codepoint = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, minimum = 0x800, codepoint = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, minimum = 0x10000, codepoint = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    codepoint = (codepoint << 6) | (byte(i + k) & 0x3Fu);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid text.
  if (codepoint < minimum || codepoint > 0x10FFFF || (codepoint >= 0xD800 && codepoint <= 0xDFFF)) {
    return 0;
  }
  return length;
}

[[noreturn]] void rejectBinary(const std::string &displayPath, int line, int column, std::string_view what) {
  // The offending line is not echoed (it is not printable text): the file
  // carries no lines.
  auto file = std::make_shared<SourceFile>();
  file->path = displayPath;
  const std::shared_ptr<const SourceFile> kept = keepSourceFile(std::move(file));
  throw UserError(SourceLoc{kept.get(), line, column}, fmt::format("not a text netlist ({})", what));
}

// Whether eight bytes are all printable-range ASCII (no NUL, no byte >= 0x80):
// netlists are almost entirely that, so validation runs a word at a time and
// only looks at single bytes where something else appears.
bool plainAscii8(const char *bytes) {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  const bool anyHigh = (word & kHighBits) != 0;
  const bool anyZero = ((word - kOnes) & ~word & kHighBits) != 0;
  return !anyHigh && !anyZero;
}

// Checks the whole text for NUL bytes and invalid UTF-8 (a multi-byte
// sequence never contains '\n', so this equals checking line by line); the
// error names the line and column of the first bad byte.
void validateText(std::string_view text, const std::string &displayPath) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (i + 8 <= text.size() && plainAscii8(text.data() + i)) {
      i += 8;
      continue;
    }
    const char *what = nullptr;
    std::size_t length = 1;
    if (text[i] == '\0') {
      what = "NUL byte";
    } else {
      length = utf8SequenceLength(text, i);
      what = length == 0 ? "invalid UTF-8" : nullptr;
    }
    if (what != nullptr) {
      const std::string_view before = text.substr(0, i);
      const std::size_t lastNewline = before.rfind('\n');
      const std::size_t lineStart = lastNewline == std::string_view::npos ? 0 : lastNewline + 1;
      const auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
      rejectBinary(displayPath, line, static_cast<int>(i - lineStart) + 1, what);
    }
    i += length;
  }
}

} // namespace

std::shared_ptr<const SourceFile> makeSourceFile(std::string displayPath, std::string bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.erase(0, 3);
  }
  validateText(bytes, displayPath);
  auto file = std::make_shared<SourceFile>();
  file->path = std::move(displayPath);
  if (bytes.find('\r') == std::string::npos) {
    // LF only, the usual case: the bytes are the text (with a final '\n').
    if (!bytes.empty() && bytes.back() != '\n') {
      bytes.push_back('\n');
    }
    file->text = std::move(bytes);
    const std::string_view text = file->text;
    for (std::size_t start = 0; start < text.size(); start = text.find('\n', start) + 1) {
      file->lineStarts.push_back(start);
    }
    return keepSourceFile(std::move(file));
  }
  const std::string_view all = bytes;
  file->text.reserve(all.size() + 1);
  for (std::size_t lineStart = 0; lineStart < all.size();) {
    const std::size_t newline = all.find('\n', lineStart);
    const std::size_t next = newline == std::string_view::npos ? all.size() : newline + 1;
    std::size_t end = newline == std::string_view::npos ? all.size() : newline;
    if (end > lineStart && all[end - 1] == '\r') {
      --end;
    }
    file->addLine(all.substr(lineStart, end - lineStart));
    lineStart = next;
  }
  return keepSourceFile(std::move(file));
}

std::shared_ptr<const SourceFile> readSourceFile(const std::filesystem::path &path,
                                                 const SourceLoc &requestedAt) {
  // Devices, FIFOs and directories could block or never end (`/dev/zero`).
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    const std::string message = fmt::format("'{}' is not a regular file", path.string());
    if (!requestedAt.valid()) {
      throw UserError(message);
    }
    throw UserError(requestedAt, message);
  }
  // RAII handle; fopen/fread keep large netlists fast to read.
  const std::unique_ptr<std::FILE, int (*)(std::FILE *)> handle(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!handle) {
    const std::string message = fmt::format("cannot open file '{}'", path.string());
    if (!requestedAt.valid()) {
      throw UserError(message); // the top-level file: no line to point at
    }
    throw UserError(requestedAt, message);
  }
  // One read into a buffer of the file's size (a pipe-like file that does
  // not report one is read in chunks).
  std::string bytes;
  if (std::fseek(handle.get(), 0, SEEK_END) == 0) {
    const long size = std::ftell(handle.get());
    std::rewind(handle.get());
    if (size > 0) {
      bytes.resize(static_cast<std::size_t>(size));
      bytes.resize(std::fread(bytes.data(), 1, bytes.size(), handle.get()));
    }
  }
  char buffer[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, handle.get())) > 0) {
    bytes.append(buffer, got);
  }
  if (std::ferror(handle.get()) != 0) {
    throw UserError(requestedAt, fmt::format("cannot read file '{}'", path.string()));
  }
  return makeSourceFile(path.string(), std::move(bytes));
}

} // namespace dwspice
