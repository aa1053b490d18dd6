#include "output/raw_reader.hpp"

#include "core/diagnostics.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fmt/core.h>
#include <fstream>
#include <iterator>

namespace dwspice {

namespace {

std::string toLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  const auto isBlank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && isBlank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && isBlank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::vector<std::string_view> splitWords(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < text.size() && !std::isspace(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    }
    if (pos > start) {
      words.push_back(text.substr(start, pos - start));
    }
  }
  return words;
}

// Walks through the file bytes; the header is line-oriented, the binary
// block is not, so the cursor is shared between both styles of reading.
class RawCursor {
public:
  RawCursor(std::string_view bytes, const std::string &displayName) : bytes_(bytes), name_(displayName) {}

  [[nodiscard]] bool atEnd() const { return pos_ >= bytes_.size(); }
  [[nodiscard]] std::size_t remaining() const { return bytes_.size() - pos_; }

  // The next line without its terminator (handles \n and \r\n).
  std::string_view line() {
    const std::size_t end = bytes_.find('\n', pos_);
    const std::size_t stop = end == std::string_view::npos ? bytes_.size() : end;
    std::string_view text = bytes_.substr(pos_, stop - pos_);
    pos_ = end == std::string_view::npos ? bytes_.size() : end + 1;
    ++lineNumber_;
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
    }
    return text;
  }

  void skipWhitespace() {
    while (pos_ < bytes_.size() && std::isspace(static_cast<unsigned char>(bytes_[pos_]))) {
      if (bytes_[pos_] == '\n') {
        ++lineNumber_;
      }
      ++pos_;
    }
  }

  // One whitespace-separated token (ASCII values section).
  std::string_view token() {
    skipWhitespace();
    const std::size_t start = pos_;
    while (pos_ < bytes_.size() && !std::isspace(static_cast<unsigned char>(bytes_[pos_]))) {
      ++pos_;
    }
    return bytes_.substr(start, pos_ - start);
  }

  double binaryDouble() {
    if (remaining() < sizeof(double)) {
      fail("binary data ends early (file truncated?)");
    }
    std::uint64_t bits = 0;
    std::memcpy(&bits, bytes_.data() + pos_, sizeof bits);
    pos_ += sizeof bits;
    if constexpr (std::endian::native == std::endian::big) {
      bits = byteSwap(bits); // raw files are little-endian
    }
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }

  [[noreturn]] void fail(const std::string &message) const {
    throw UserError(fmt::format("{}: line {}: {}", name_, lineNumber_, message));
  }

private:
  static std::uint64_t byteSwap(std::uint64_t value) {
    std::uint64_t out = 0;
    for (int i = 0; i < 8; ++i) {
      out = (out << 8) | ((value >> (8 * i)) & 0xffU);
    }
    return out;
  }

  std::string_view bytes_;
  std::string name_;
  std::size_t pos_ = 0;
  int lineNumber_ = 0;
};

double parseNumber(RawCursor &cursor, std::string_view text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size()) {
    // ngspice may write "nan"/"inf" in odd spellings; from_chars accepts the
    // usual ones, anything else is a malformed file.
    cursor.fail(fmt::format("expected a number, found '{}'", text));
  }
  return value;
}

long parseCount(RawCursor &cursor, std::string_view text, std::string_view what) {
  long value = -1;
  const std::string_view digits = trim(text);
  const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (result.ec != std::errc{} || result.ptr != digits.data() + digits.size() || value < 0) {
    cursor.fail(fmt::format("bad {} '{}'", what, digits));
  }
  return value;
}

void readAsciiValues(RawCursor &cursor, RawPlot &plot, long points) {
  const std::size_t variableCount = plot.variables.size();
  for (long p = 0; p < points; ++p) {
    const std::string_view index = cursor.token();
    if (index.empty()) {
      cursor.fail(fmt::format("values end after {} of {} points (file truncated?)", p, points));
    }
    if (parseCount(cursor, index, "point index") != p) {
      cursor.fail(fmt::format("point index {} out of order (expected {})", index, p));
    }
    for (std::size_t v = 0; v < variableCount; ++v) {
      const std::string_view text = cursor.token();
      if (text.empty()) {
        cursor.fail(fmt::format("values end inside point {} (file truncated?)", p));
      }
      if (plot.complex) {
        const std::size_t comma = text.find(',');
        if (comma == std::string_view::npos) {
          cursor.fail(fmt::format("complex value '{}' lacks a comma", text));
        }
        plot.real[v].push_back(parseNumber(cursor, text.substr(0, comma)));
        plot.imag[v].push_back(parseNumber(cursor, text.substr(comma + 1)));
      } else {
        plot.real[v].push_back(parseNumber(cursor, text));
      }
    }
  }
  cursor.skipWhitespace();
}

void readBinaryValues(RawCursor &cursor, RawPlot &plot, long points) {
  const std::size_t variableCount = plot.variables.size();
  const std::size_t doublesPerValue = plot.complex ? 2 : 1;
  const auto needed = static_cast<std::size_t>(points) * variableCount * doublesPerValue * sizeof(double);
  if (cursor.remaining() < needed) {
    cursor.fail(fmt::format("binary data holds {} bytes, {} points of {} variables need {} (file truncated?)",
                            cursor.remaining(), points, variableCount, needed));
  }
  for (long p = 0; p < points; ++p) {
    for (std::size_t v = 0; v < variableCount; ++v) {
      plot.real[v].push_back(cursor.binaryDouble());
      if (plot.complex) {
        plot.imag[v].push_back(cursor.binaryDouble());
      }
    }
  }
}

// Reads one plot starting at its "Title:" line (or whatever header line comes first).
RawPlot readPlot(RawCursor &cursor) {
  RawPlot plot;
  long variables = -1;
  long points = -1;
  bool sawPlotName = false;
  while (true) {
    if (cursor.atEnd()) {
      cursor.fail("header ends before 'Binary:' or 'Values:'");
    }
    const std::string_view text = cursor.line();
    if (trim(text).empty()) {
      continue;
    }
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) {
      cursor.fail(fmt::format("unexpected header line '{}'", text));
    }
    const std::string key = toLower(trim(text.substr(0, colon)));
    const std::string_view value = trim(text.substr(colon + 1));
    if (key == "title") {
      plot.title = value;
    } else if (key == "date") {
      plot.date = value;
    } else if (key == "plotname") {
      plot.plotName = value;
      sawPlotName = true;
    } else if (key == "flags") {
      plot.flags = value;
      const std::string flags = toLower(value);
      plot.complex = flags.find("complex") != std::string::npos;
    } else if (key == "no. variables") {
      variables = parseCount(cursor, value, "variable count");
    } else if (key == "no. points") {
      points = parseCount(cursor, value, "point count");
    } else if (key == "variables") {
      if (variables < 0) {
        cursor.fail("'Variables:' before 'No. Variables:'");
      }
      // ngspice writes the first variable on the "Variables:" line itself
      // in some versions; accept both forms.
      std::string_view first = value;
      for (long v = 0; v < variables; ++v) {
        const std::string_view entry = (v == 0 && !first.empty()) ? first : cursor.line();
        const auto words = splitWords(entry);
        if (words.size() < 3) {
          cursor.fail(fmt::format("variable line '{}' needs index, name and type", entry));
        }
        if (parseCount(cursor, words[0], "variable index") != v) {
          cursor.fail(fmt::format("variable index {} out of order (expected {})", words[0], v));
        }
        plot.variables.push_back(RawVariable{std::string(words[1]), std::string(words[2])});
      }
    } else if (key == "binary" || key == "values") {
      if (!sawPlotName || variables < 0 || points < 0) {
        cursor.fail("header lacks Plotname, No. Variables or No. Points");
      }
      if (static_cast<long>(plot.variables.size()) != variables) {
        cursor.fail(
            fmt::format("header declares {} variables but lists {}", variables, plot.variables.size()));
      }
      plot.real.assign(plot.variables.size(), {});
      if (plot.complex) {
        plot.imag.assign(plot.variables.size(), {});
      }
      for (auto &column : plot.real) {
        column.reserve(static_cast<std::size_t>(points));
      }
      if (key == "binary") {
        readBinaryValues(cursor, plot, points);
      } else {
        readAsciiValues(cursor, plot, points);
      }
      return plot;
    }
    // Other header lines ngspice may write (Command:, Option:, Dimensions:)
    // carry nothing the readers need.
  }
}

} // namespace

std::optional<std::size_t> RawPlot::indexOf(std::string_view name) const {
  const std::string wanted = toLower(name);
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (toLower(variables[i].name) == wanted) {
      return i;
    }
  }
  return std::nullopt;
}

const std::vector<double> *RawPlot::values(std::string_view name) const {
  const auto index = indexOf(name);
  return index ? &real[*index] : nullptr;
}

std::vector<RawPlot> parseRawFile(std::string_view bytes, const std::string &displayName) {
  RawCursor cursor(bytes, displayName);
  std::vector<RawPlot> plots;
  cursor.skipWhitespace();
  while (!cursor.atEnd()) {
    plots.push_back(readPlot(cursor));
    cursor.skipWhitespace();
  }
  if (plots.empty()) {
    throw UserError(fmt::format("{}: no plots in raw file", displayName));
  }
  return plots;
}

std::vector<RawPlot> readRawFile(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw UserError(fmt::format("cannot open raw file '{}'", file.string()));
  }
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) {
    throw UserError(fmt::format("cannot read raw file '{}'", file.string()));
  }
  return parseRawFile(bytes, file.string());
}

} // namespace dwspice
