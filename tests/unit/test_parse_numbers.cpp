// SPICE number literals: engineering suffixes, trailing units, malformed forms.
#include "parse/spice_number.hpp"
#include "test_parse_support.hpp"

#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::frontend_test;

namespace {

double number(std::string_view token) {
  const NumberScan scan = scanNumberToken(token);
  REQUIRE_MESSAGE(scan.status == NumberScan::Status::Ok, "token: " << token);
  return scan.value;
}

} // namespace

TEST_CASE("numbers: engineering suffixes") {
  CHECK(number("1") == 1.0);
  CHECK(number("1f") == doctest::Approx(1e-15));
  CHECK(number("2p") == doctest::Approx(2e-12));
  CHECK(number("3n") == doctest::Approx(3e-9));
  CHECK(number("4u") == doctest::Approx(4e-6));
  CHECK(number("5m") == doctest::Approx(5e-3));
  CHECK(number("6k") == doctest::Approx(6e3));
  CHECK(number("7meg") == doctest::Approx(7e6));
  CHECK(number("8g") == doctest::Approx(8e9));
  CHECK(number("9t") == doctest::Approx(9e12));
  CHECK(number("1mil") == doctest::Approx(25.4e-6));
  CHECK(number("1MEG") == doctest::Approx(1e6));
  CHECK(number("1Meg") == doctest::Approx(1e6));
  CHECK(number("1M") == doctest::Approx(1e-3)); // SPICE: M is milli, not mega
}

TEST_CASE("numbers: decimal forms and exponents") {
  CHECK(number(".5") == 0.5);
  CHECK(number("5.") == 5.0);
  CHECK(number("1e-3") == doctest::Approx(1e-3));
  CHECK(number("1E3") == doctest::Approx(1e3));
  CHECK(number("2.5e+2k") == doctest::Approx(250e3));
  CHECK(number("-1.5") == -1.5);
  CHECK(number("+2") == 2.0);
}

TEST_CASE("numbers: trailing letters are ignored as in SPICE") {
  CHECK(number("10ns") == doctest::Approx(10e-9));
  CHECK(number("1kohm") == doctest::Approx(1e3));
  CHECK(number("3V") == 3.0);
  CHECK(number("3volts") == 3.0);
  CHECK(number("1megohm") == doctest::Approx(1e6));
  CHECK(number("2ma") == doctest::Approx(2e-3));
}

TEST_CASE("numbers: malformed tokens") {
  CHECK(scanNumberToken("1..2").status == NumberScan::Status::Malformed);
  CHECK(scanNumberToken("1..2").errorAt == 2);
  CHECK(scanNumberToken("1e").status == NumberScan::Status::Malformed);
  CHECK(scanNumberToken("1e+").status == NumberScan::Status::Malformed);
  CHECK(scanNumberToken("1.2.3").status == NumberScan::Status::Malformed);
  CHECK(scanNumberToken("1k5").status == NumberScan::Status::Malformed);
  CHECK(scanNumberToken("abc").status == NumberScan::Status::NotANumber);
  CHECK(scanNumberToken("nan").status == NumberScan::Status::NotANumber);
  CHECK(scanNumberToken("inf").status == NumberScan::Status::NotANumber);
  CHECK(scanNumberToken(".").status == NumberScan::Status::NotANumber);
}

TEST_CASE("numbers: malformed values in a netlist point at the column") {
  const CapturedError dots = errorOf("t\nr1 a 0 1..2\n.end\n");
  CHECK(dots.line == 2);
  CHECK(dots.column == 10);
  CHECK(dots.message.find("malformed number") != std::string::npos);
  const CapturedError exponent = errorOf("t\nr1 a 0 1e\n.end\n");
  CHECK(exponent.line == 2);
  CHECK(exponent.column == 9);
  CHECK(exponent.message.find("exponent") != std::string::npos);
}

TEST_CASE("numbers: short decimals are exact, long ones take the general path") {
  // Correctly rounded, as the compiler's own literals are.
  CHECK(number("0.1") == 0.1);
  CHECK(number("0.143966") == 0.143966);
  CHECK(number("123456789012345") == 123456789012345.0);
  CHECK(number("-2.5e-22") == -2.5e-22);
  CHECK(number("7e22") == 7e22);
  // Beyond 15 digits or 1e22: the general parser.
  CHECK(number("0.1234567890123456789") == doctest::Approx(0.1234567890123456789).epsilon(1e-15));
  CHECK(number("1.5e300") == doctest::Approx(1.5e300));
  CHECK(number("2e-30") == doctest::Approx(2e-30));
  CHECK(number("1e040") == doctest::Approx(1e40));
  CHECK(number("0000000000000000001") == 1.0);
}
