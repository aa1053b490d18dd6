// Raw-file writer: layout byte for byte as ngspice 39 writes it (headers
// checked against files produced by `ngspice -b -r`), point-count patching,
// several plots per file, and a round trip through the raw reader.
#include "core/diagnostics.hpp"
#include "output/ngspice_date.hpp"
#include "output/raw_reader.hpp"
#include "output/raw_writer.hpp"
#include "test_output_support.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <stdexcept>

using namespace dwspice;
using dwspice::testing::binaryValues;
using dwspice::testing::dividerOpHeader;
using dwspice::testing::dividerTranHeader;
using dwspice::testing::readFile;
using dwspice::testing::ScratchDirectory;

namespace {

// What ngspice 39 wrote for the divider's operating point (date fixed).
const std::string kOpHeader = "Title: divider test\n"
                              "Date: Mon Nov 23 19:15:37  2026\n"
                              "Plotname: Operating Point\n"
                              "Flags: real\n"
                              "No. Variables: 3\n"
                              "No. Points: 1       \n"
                              "Variables:\n"
                              "\t0\tv(in)\tvoltage\n"
                              "\t1\tv(out)\tvoltage\n"
                              "\t2\ti(v1)\tcurrent\n";

std::string tranHeader(const std::string &points) {
  return "Title: divider test\n"
         "Date: Mon Nov 23 19:15:37  2026\n"
         "Plotname: Transient Analysis\n"
         "Flags: real\n"
         "No. Variables: 4\n"
         "No. Points: " +
         points +
         "\n"
         "Variables:\n"
         "\t0\ttime\ttime\n"
         "\t1\tv(in)\tvoltage\n"
         "\t2\tv(out)\tvoltage\n"
         "\t3\ti(v1)\tcurrent\n";
}

} // namespace

TEST_CASE("raw writer: binary operating point matches ngspice byte for byte") {
  ScratchDirectory dir;
  const auto path = dir.file("op.raw");
  {
    RawWriter writer(path, RawFormat::Binary);
    writer.beginPlot(dividerOpHeader());
    const std::vector<double> point{10.0, 5.0, -0.005};
    writer.addPoint(point);
    writer.endPlot();
    writer.finish();
  }
  CHECK(readFile(path) == kOpHeader + "Binary:\n" + binaryValues({10.0, 5.0, -0.005}));
}

TEST_CASE("raw writer: ASCII operating point matches ngspice byte for byte") {
  ScratchDirectory dir;
  const auto path = dir.file("op.raw");
  RawWriter writer(path, RawFormat::Ascii);
  writer.beginPlot(dividerOpHeader());
  writer.addPoint(std::vector<double>{10.0, 5.0, -0.005});
  writer.finish();
  CHECK(readFile(path) == kOpHeader + "Values:\n"
                                      "0\t\t1.000000000000000e+01\n"
                                      "\t5.000000000000000e+00\n"
                                      "\t-5.000000000000000e-03\n");
}

TEST_CASE("raw writer: point count is patched in place after streaming") {
  ScratchDirectory dir;
  const auto path = dir.file("tran.raw");
  RawWriter writer(path, RawFormat::Binary);
  writer.beginPlot(dividerTranHeader());
  std::vector<double> expectedData;
  for (int i = 0; i < 1234; ++i) {
    const std::vector<double> point{i * 1e-9, 1.0, 0.5 + i, -1e-3 * i};
    writer.addPoint(point);
    expectedData.insert(expectedData.end(), point.begin(), point.end());
  }
  writer.endPlot();
  writer.finish();
  CHECK(readFile(path) == tranHeader("1234    ") + "Binary:\n" + binaryValues(expectedData));
}

TEST_CASE("raw writer: several plots follow one another in one file") {
  ScratchDirectory dir;
  const auto path = dir.file("both.raw");
  RawWriter writer(path, RawFormat::Ascii);
  writer.beginPlot(dividerOpHeader());
  writer.addPoint(std::vector<double>{10.0, 5.0, -0.005});
  writer.endPlot();
  writer.beginPlot(dividerTranHeader());
  writer.addPoint(std::vector<double>{0.0, 10.0, 5.0, -0.005});
  writer.addPoint(std::vector<double>{1e-9, 10.0, 5.0, -0.005});
  writer.endPlot();
  writer.finish();
  const std::string expected =
      kOpHeader +
      "Values:\n0\t\t1.000000000000000e+01\n\t5.000000000000000e+00\n"
      "\t-5.000000000000000e-03\n" +
      tranHeader("2       ") +
      "Values:\n"
      "0\t\t0.000000000000000e+00\n\t1.000000000000000e+01\n\t5.000000000000000e+00\n"
      "\t-5.000000000000000e-03\n"
      "1\t\t1.000000000000000e-09\n\t1.000000000000000e+01\n\t5.000000000000000e+00\n"
      "\t-5.000000000000000e-03\n";
  CHECK(readFile(path) == expected);
}

TEST_CASE("raw writer: files read back through the raw reader") {
  ScratchDirectory dir;
  for (const RawFormat format : {RawFormat::Binary, RawFormat::Ascii}) {
    const auto path = dir.file(format == RawFormat::Binary ? "rt.bin.raw" : "rt.ascii.raw");
    RawWriter writer(path, format);
    writer.beginPlot(dividerOpHeader());
    writer.addPoint(std::vector<double>{10.0, 5.0, -0.005});
    writer.endPlot();
    writer.beginPlot(dividerTranHeader());
    for (int i = 0; i < 20; ++i) {
      writer.addPoint(std::vector<double>{i * 1e-10, 0.1 * i, 0.05 * i, -5e-5 * i});
    }
    writer.finish();

    const std::vector<RawPlot> plots = readRawFile(path);
    REQUIRE(plots.size() == 2);
    CHECK(plots[0].plotName == "Operating Point");
    CHECK(plots[0].title == "divider test");
    CHECK(plots[0].pointCount() == 1);
    REQUIRE(plots[0].values("v(out)") != nullptr);
    CHECK(plots[0].values("v(out)")->at(0) == 5.0);
    CHECK(plots[1].plotName == "Transient Analysis");
    REQUIRE(plots[1].pointCount() == 20);
    REQUIRE(plots[1].variables.size() == 4);
    CHECK(plots[1].variables[0].type == "time");
    CHECK(plots[1].variables[3].type == "current");
    // %.15e keeps 16 significant digits; binary is exact.
    CHECK(plots[1].values("i(v1)")->at(19) == doctest::Approx(-5e-5 * 19).epsilon(1e-15));
    CHECK(plots[1].values("time")->at(7) == doctest::Approx(7e-10).epsilon(1e-15));
  }
}

TEST_CASE("raw writer: a plot left open by a failed analysis is still consistent") {
  ScratchDirectory dir;
  const auto path = dir.file("partial.raw");
  {
    RawWriter writer(path, RawFormat::Binary);
    writer.beginPlot(dividerTranHeader());
    writer.addPoint(std::vector<double>{0.0, 1.0, 0.5, -1e-3});
    writer.addPoint(std::vector<double>{1e-9, 1.0, 0.5, -1e-3});
    writer.addPoint(std::vector<double>{2e-9, 1.0, 0.5, -1e-3});
    // No endPlot(), no finish(): the destructor must patch the count.
  }
  const std::string bytes = readFile(path);
  CHECK(bytes.find("No. Points: 3       \n") != std::string::npos);
  CHECK(readRawFile(path).at(0).pointCount() == 3);
}

TEST_CASE("raw writer: errors are reported, not swallowed") {
  ScratchDirectory dir;
  CHECK_THROWS_AS(RawWriter(dir.file("no/such/dir/x.raw"), RawFormat::Binary), UserError);
  RawWriter writer(dir.file("x.raw"), RawFormat::Binary);
  CHECK_THROWS_AS(writer.addPoint(std::vector<double>{1.0}), std::logic_error); // no plot yet
  writer.beginPlot(dividerOpHeader());
  CHECK_THROWS_AS(writer.addPoint(std::vector<double>{1.0, 2.0}), std::logic_error); // wrong width
}

TEST_CASE("raw writer: SPICE_ASCIIRAWFILE selects ASCII as in ngspice") {
  const char *saved = std::getenv("SPICE_ASCIIRAWFILE");
  const std::string savedValue = saved != nullptr ? saved : "";
  unsetenv("SPICE_ASCIIRAWFILE");
  CHECK_FALSE(asciiRawRequestedByEnvironment());
  setenv("SPICE_ASCIIRAWFILE", "1", 1);
  CHECK(asciiRawRequestedByEnvironment());
  setenv("SPICE_ASCIIRAWFILE", "0", 1);
  CHECK_FALSE(asciiRawRequestedByEnvironment());
  if (saved != nullptr) {
    setenv("SPICE_ASCIIRAWFILE", savedValue.c_str(), 1);
  } else {
    unsetenv("SPICE_ASCIIRAWFILE");
  }
}

TEST_CASE("ngspice date: asctime layout with two blanks before the year") {
  const char *saved = std::getenv("TZ");
  const std::string savedValue = saved != nullptr ? saved : "";
  setenv("TZ", "UTC", 1);
  tzset();
  CHECK(ngspiceDate(0) == "Thu Jan  1 00:00:00  1970");
  CHECK(ngspiceDate(1795461337) == "Mon Nov 23 19:15:37  2026");
  if (saved != nullptr) {
    setenv("TZ", savedValue.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST_CASE("raw writer: a full disk is a user error, not a silently short file") {
  if (!std::filesystem::exists("/dev/full")) {
    MESSAGE("no /dev/full on this system; write-failure path not exercised");
    return;
  }
  RawWriter writer("/dev/full", RawFormat::Binary);
  writer.beginPlot(dividerTranHeader());
  // Enough data to overflow the stdio buffer, so that writing itself fails
  // (or, at the latest, the final flush in finish()).
  const std::vector<double> point{0.0, 1.0, 0.5, -1e-3};
  CHECK_THROWS_AS(
      [&] {
        for (int i = 0; i < 100'000; ++i) {
          writer.addPoint(point);
        }
        writer.finish();
      }(),
      UserError);
}
