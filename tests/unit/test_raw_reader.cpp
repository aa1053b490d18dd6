// Raw reader: files written by ngspice 39 (checked in under
// tests/ngspice/data, with the decks that made them) and hand-built bytes
// for the malformed cases.
#include "core/diagnostics.hpp"
#include "output/raw_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <doctest/doctest.h>
#include <filesystem>
#include <string>

using namespace dwspice;

namespace {

std::filesystem::path fixture(const std::string &name) {
  return std::filesystem::path(__FILE__).parent_path().parent_path() / "ngspice" / "data" / name;
}

void appendDouble(std::string &bytes, double value) {
  char raw[sizeof value];
  std::memcpy(raw, &value, sizeof value); // the test host is little-endian like the format
  bytes.append(raw, sizeof raw);
}

std::string binaryHeader(const std::string &plotName, int points) {
  return "Title: hand-built\nDate: today\nPlotname: " + plotName +
         "\nFlags: real\nNo. Variables: 2\nNo. Points: " + std::to_string(points) +
         "\nVariables:\n\t0\ttime\ttime\n\t1\tv(out)\tvoltage\nBinary:\n";
}

} // namespace

TEST_CASE("raw reader: ngspice binary file with dc, op and tran plots") {
  const auto plots = readRawFile(fixture("three_plots_binary.raw"));
  REQUIRE(plots.size() == 3);
  CHECK(plots[0].plotName == "DC transfer characteristic");
  CHECK(plots[1].plotName == "Operating Point");
  CHECK(plots[2].plotName == "Transient Analysis");

  const RawPlot &dc = plots[0];
  REQUIRE(dc.variables.size() == 4);
  CHECK(dc.variables[0].name == "v(v-sweep)");
  CHECK(dc.variables[3].name == "i(v1)");
  CHECK(dc.variables[3].type == "current");
  REQUIRE(dc.pointCount() == 3);
  const auto *sweep = dc.values("v(v-sweep)");
  const auto *vb = dc.values("V(B)"); // lookup is case-insensitive
  REQUIRE(sweep != nullptr);
  REQUIRE(vb != nullptr);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK((*sweep)[k] == doctest::Approx(0.5 * static_cast<double>(k)));
    CHECK((*vb)[k] == doctest::Approx((*sweep)[k] * 2.0 / 3.0));
  }

  const RawPlot &op = plots[1];
  REQUIRE(op.pointCount() == 1);
  CHECK(op.values("v(b)")->front() == doctest::Approx(2.0 / 3.0));
  CHECK(op.values("i(v1)")->front() == doctest::Approx(-1.0 / 3000.0));
  CHECK_FALSE(op.indexOf("v(nowhere)").has_value());
  CHECK(op.values("v(nowhere)") == nullptr);

  const RawPlot &tran = plots[2];
  CHECK(tran.pointCount() == 72);
  CHECK_FALSE(tran.complex);
  const auto &time = *tran.values("time");
  CHECK(time.front() == 0.0);
  CHECK(time.back() == doctest::Approx(5e-6));
  CHECK(std::is_sorted(time.begin(), time.end()));
}

TEST_CASE("raw reader: ngspice ASCII and binary files of the same run hold the same numbers") {
  const auto binary = readRawFile(fixture("three_plots_binary.raw"));
  const auto ascii = readRawFile(fixture("three_plots_ascii.raw"));
  REQUIRE(binary.size() == ascii.size());
  for (std::size_t p = 0; p < binary.size(); ++p) {
    CHECK(binary[p].plotName == ascii[p].plotName);
    REQUIRE(binary[p].variables.size() == ascii[p].variables.size());
    REQUIRE(binary[p].pointCount() == ascii[p].pointCount());
    for (std::size_t v = 0; v < binary[p].variables.size(); ++v) {
      CHECK(binary[p].variables[v].name == ascii[p].variables[v].name);
      for (std::size_t k = 0; k < binary[p].pointCount(); ++k) {
        // ASCII carries 16 significant digits.
        CHECK(ascii[p].real[v][k] == doctest::Approx(binary[p].real[v][k]).epsilon(1e-14));
      }
    }
  }
}

TEST_CASE("raw reader: complex plots (ngspice .ac), binary and ASCII") {
  for (const char *name : {"ac_complex_binary.raw", "ac_complex_ascii.raw"}) {
    CAPTURE(name);
    const auto plots = readRawFile(fixture(name));
    REQUIRE(plots.size() == 1);
    const RawPlot &ac = plots[0];
    CHECK(ac.complex);
    CHECK(ac.plotName == "AC Analysis");
    CHECK(ac.variables[0].type == "frequency"); // "grid=3" after the type is ignored
    REQUIRE(ac.pointCount() == 4);
    REQUIRE(ac.imag.size() == ac.variables.size());
    const auto vb = *ac.indexOf("v(b)");
    for (std::size_t k = 0; k < 4; ++k) {
      // RC low-pass: H = 1 / (1 + j w R C)
      const double wrc = 2 * M_PI * ac.real[0][k] * 1e3 * 1e-9;
      const double denominator = 1 + wrc * wrc;
      CHECK(ac.real[vb][k] == doctest::Approx(1 / denominator).epsilon(1e-9));
      CHECK(ac.imag[vb][k] == doctest::Approx(-wrc / denominator).epsilon(1e-9));
    }
  }
}

TEST_CASE("raw reader: hand-built binary file round-trips exactly") {
  std::string bytes = binaryHeader("Transient Analysis", 3);
  const double values[3][2] = {{0.0, 1.5}, {1e-9, -2.25}, {2e-9, 1e-300}};
  for (const auto &point : values) {
    appendDouble(bytes, point[0]);
    appendDouble(bytes, point[1]);
  }
  const auto plots = parseRawFile(bytes, "hand-built");
  REQUIRE(plots.size() == 1);
  REQUIRE(plots[0].pointCount() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(plots[0].real[0][k] == values[k][0]);
    CHECK(plots[0].real[1][k] == values[k][1]);
  }
}

TEST_CASE("raw reader: malformed and truncated files are errors, never short waveforms") {
  SUBCASE("binary data shorter than the header promises") {
    std::string bytes = binaryHeader("Transient Analysis", 3);
    for (int k = 0; k < 5; ++k) { // 5 of the 6 doubles
      appendDouble(bytes, 1.0);
    }
    CHECK_THROWS_AS(parseRawFile(bytes, "short"), UserError);
  }
  SUBCASE("ASCII values stop early") {
    const std::string text = "Title: t\nDate: d\nPlotname: Operating Point\nFlags: real\nNo. Variables: 2\n"
                             "No. Points: 2\nVariables:\n\t0\tv(a)\tvoltage\n\t1\tv(b)\tvoltage\nValues:\n"
                             "0\t1.0\n\t2.0\n1\t3.0\n";
    CHECK_THROWS_AS(parseRawFile(text, "short"), UserError);
  }
  SUBCASE("a value that is not a number") {
    const std::string text = "Title: t\nDate: d\nPlotname: Operating Point\nFlags: real\nNo. Variables: 1\n"
                             "No. Points: 1\nVariables:\n\t0\tv(a)\tvoltage\nValues:\n0\t1.0x\n";
    CHECK_THROWS_AS(parseRawFile(text, "bad number"), UserError);
  }
  SUBCASE("fewer variable lines than declared") {
    const std::string text = "Title: t\nPlotname: Operating Point\nFlags: real\nNo. Variables: 2\n"
                             "No. Points: 1\nVariables:\n\t0\tv(a)\tvoltage\nValues:\n0\t1.0\n\t2.0\n";
    CHECK_THROWS_AS(parseRawFile(text, "bad variables"), UserError);
  }
  SUBCASE("header without a point count") {
    const std::string text = "Title: t\nPlotname: Operating Point\nFlags: real\nNo. Variables: 1\n"
                             "Variables:\n\t0\tv(a)\tvoltage\nValues:\n0\t1.0\n";
    CHECK_THROWS_AS(parseRawFile(text, "no points"), UserError);
  }
  SUBCASE("empty file") {
    CHECK_THROWS_AS(parseRawFile("", "empty"), UserError);
  }
  SUBCASE("missing file") {
    CHECK_THROWS_AS(readRawFile(fixture("does_not_exist.raw")), UserError);
  }
}
