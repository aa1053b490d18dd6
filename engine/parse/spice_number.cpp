#include "parse/spice_number.hpp"

#include <boost/spirit/home/x3.hpp>

#include <cctype>

namespace dwspice {

namespace {

namespace x3 = boost::spirit::x3;

// Plain decimal numbers only: `nan`/`inf` are not SPICE literals (and would
// turn identifiers such as `info` into numbers).
template <typename Base> struct DecimalOnly : Base {
  template <typename Iterator, typename Attribute>
  static bool parse_nan(Iterator &, Iterator const &, Attribute &) {
    return false;
  }
  template <typename Iterator, typename Attribute>
  static bool parse_inf(Iterator &, Iterator const &, Attribute &) {
    return false;
  }
};

const x3::real_parser<double, DecimalOnly<x3::real_policies<double>>> signedReal{};
const x3::real_parser<double, DecimalOnly<x3::ureal_policies<double>>> unsignedReal{};

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
bool isLetter(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}
bool isDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

bool startsWithCi(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(text[i]) != prefix[i]) {
      return false;
    }
  }
  return true;
}

// Multiplier of the engineering suffix at the start of `rest` and its length.
std::pair<double, std::size_t> suffixAt(std::string_view rest) {
  // Longest first: `meg` and `mil` before `m`.
  if (startsWithCi(rest, "meg")) {
    return {1e6, 3};
  }
  if (startsWithCi(rest, "mil")) {
    return {25.4e-6, 3};
  }
  if (rest.empty()) {
    return {1.0, 0};
  }
  switch (lower(rest.front())) {
  case 'f':
    return {1e-15, 1};
  case 'p':
    return {1e-12, 1};
  case 'n':
    return {1e-9, 1};
  case 'u':
    return {1e-6, 1};
  case 'm':
    return {1e-3, 1};
  case 'k':
    return {1e3, 1};
  case 'g':
    return {1e9, 1};
  case 't':
    return {1e12, 1};
  default:
    return {1.0, 0};
  }
}

} // namespace

bool looksNumeric(std::string_view text, bool allowSign) {
  std::size_t i = 0;
  if (allowSign && i < text.size() && (text[i] == '+' || text[i] == '-')) {
    ++i;
  }
  if (i < text.size() && isDigit(text[i])) {
    return true;
  }
  return i + 1 < text.size() && text[i] == '.' && isDigit(text[i + 1]);
}

NumberScan scanNumber(std::string_view text, bool allowSign) {
  NumberScan scan;
  if (!looksNumeric(text, allowSign)) {
    return scan;
  }
  const char *first = text.data();
  const char *const last = text.data() + text.size();
  double mantissa = 0.0;
  const bool parsed = allowSign ? x3::parse(first, last, signedReal, mantissa)
                                : x3::parse(first, last, unsignedReal, mantissa);
  if (!parsed) {
    scan.status = NumberScan::Status::Malformed;
    scan.reason = "malformed number";
    return scan;
  }
  std::size_t pos = static_cast<std::size_t>(first - text.data());
  // X3 backs off an exponent without digits (`1e`, `1e+`): SPICE has no `e`
  // suffix, so that is a broken number, not trailing letters.
  if (pos < text.size() && lower(text[pos]) == 'e') {
    scan.status = NumberScan::Status::Malformed;
    scan.errorAt = pos;
    scan.reason = "malformed number: exponent without digits";
    return scan;
  }
  const auto [multiplier, suffixLength] = suffixAt(text.substr(pos));
  pos += suffixLength;
  while (pos < text.size() && isLetter(text[pos])) {
    ++pos; // units and other trailing letters are ignored (`10ns`, `1kohm`)
  }
  scan.status = NumberScan::Status::Ok;
  scan.value = mantissa * multiplier;
  scan.length = pos;
  return scan;
}

NumberScan scanNumberToken(std::string_view token) {
  NumberScan scan = scanNumber(token, true);
  if (scan.status == NumberScan::Status::Ok && scan.length != token.size()) {
    scan.status = NumberScan::Status::Malformed;
    scan.errorAt = scan.length;
    scan.reason =
        token[scan.length] == '.' ? "malformed number: more than one decimal point" : "malformed number";
  }
  return scan;
}

} // namespace dwspice
