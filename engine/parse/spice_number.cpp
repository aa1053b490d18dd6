#include "parse/spice_number.hpp"

#include <boost/spirit/home/x3.hpp>

#include <cctype>
#include <cstdint>

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

// Most numbers in a netlist are short decimals ("0.143966", "10", "2.5e-3").
// Their value is exact when the digits form an integer below 2^53 and the
// power of ten is one that double holds exactly (up to 1e22): one multiply or
// divide then rounds correctly (Clinger's fast path). This reads such a
// mantissa and exponent; anything else (more digits, a larger exponent, an
// exponent without digits) returns false and goes to the general parser.
bool readShortDecimal(std::string_view text, bool allowSign, double &value, std::size_t &length) {
  constexpr int kMaxDigits = 15;
  constexpr int kMaxExactPower = 22;
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  std::size_t i = 0;
  bool negative = false;
  if (allowSign && i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  std::uint64_t digits = 0;
  int digitCount = 0;
  int power = 0;
  const auto readDigits = [&](bool afterPoint) {
    const std::size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      digits = digits * 10 + static_cast<std::uint64_t>(text[i] - '0');
      ++digitCount;
      power -= afterPoint ? 1 : 0;
    }
    return i - start;
  };
  std::size_t mantissaDigits = readDigits(false);
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissaDigits += readDigits(true);
  }
  if (mantissaDigits == 0 || digitCount > kMaxDigits) {
    return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    bool negativeExponent = false;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) {
      negativeExponent = text[j] == '-';
      ++j;
    }
    int exponent = 0;
    const std::size_t exponentStart = j;
    for (; j < text.size() && text[j] >= '0' && text[j] <= '9' && exponent <= kMaxExactPower * 2; ++j) {
      exponent = exponent * 10 + (text[j] - '0');
    }
    if (j == exponentStart || (j < text.size() && text[j] >= '0' && text[j] <= '9')) {
      return false; // no exponent digits (an error), or a long exponent
    }
    power += negativeExponent ? -exponent : exponent;
    i = j;
  }
  if (power < -kMaxExactPower || power > kMaxExactPower) {
    return false;
  }
  const double mantissa = static_cast<double>(digits);
  const double magnitude = power >= 0 ? mantissa * kPowersOfTen[power] : mantissa / kPowersOfTen[-power];
  value = negative ? -magnitude : magnitude;
  length = i;
  return true;
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
  double mantissa = 0.0;
  std::size_t pos = 0;
  if (!readShortDecimal(text, allowSign, mantissa, pos)) {
    const char *first = text.data();
    const char *const last = text.data() + text.size();
    const bool parsed = allowSign ? x3::parse(first, last, signedReal, mantissa)
                                  : x3::parse(first, last, unsignedReal, mantissa);
    if (!parsed) {
      scan.status = NumberScan::Status::Malformed;
      scan.reason = "malformed number";
      return scan;
    }
    pos = static_cast<std::size_t>(first - text.data());
  }
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
