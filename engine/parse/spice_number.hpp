// SPICE numeric literals: `1k`, `2.5meg`, `10ns`, `.5`, `5.`, `1e-3`, `3mil`.
//
// The mantissa and exponent are read with Boost.Spirit X3 (short decimals,
// the common case, by an exact fast path first); the engineering
// suffix (f p n u m k meg g t mil) follows, and any letters after it are
// ignored as SPICE does (`1kohm` = 1000, `3V` = 3).
#pragma once

#include <cstddef>
#include <string_view>

namespace dwspice {

struct NumberScan {
  enum class Status {
    NotANumber, // does not start like a number
    Ok,
    Malformed, // starts like a number but is broken (`1e`, `1..2` as a whole token)
  };
  Status status = Status::NotANumber;
  double value = 0.0;
  std::size_t length = 0;  // characters consumed (mantissa, exponent, suffix, trailing letters)
  std::size_t errorAt = 0; // offset of the offending character when Malformed
  const char *reason = ""; // why it is malformed
};

// Reads a number at the start of `text` (expected lower-case or mixed case;
// suffixes are matched case-insensitively). A leading sign is accepted when
// `allowSign` is set. Stops after trailing letters; the caller decides
// whether what follows is acceptable.
NumberScan scanNumber(std::string_view text, bool allowSign);

// True if `text` starts like a number: a digit, or `.` followed by a digit,
// optionally after a sign when `allowSign`.
bool looksNumeric(std::string_view text, bool allowSign);

// Reads a whole token as a number: everything must be consumed.
NumberScan scanNumberToken(std::string_view token);

} // namespace dwspice
