// The command-line parser on its own (no simulation): every form an option
// can take and every way a command line can be wrong.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "cli_options.hpp"

#include <doctest/doctest.h>
#include <vector>

using namespace dwspice::cli;

namespace {
CliOptions parse(std::vector<std::string_view> args) {
  return parseCommandLine(args);
}
} // namespace

TEST_CASE("cli options: ngspice's batch form") {
  const CliOptions o = parse({"-b", "-r", "out.raw", "-o", "run.log", "deck.cir"});
  CHECK(o.action == CliAction::Run);
  CHECK(o.batch);
  CHECK(o.netlist == "deck.cir");
  REQUIRE(o.rawFile);
  CHECK(*o.rawFile == "out.raw");
  REQUIRE(o.logFile);
  CHECK(*o.logFile == "run.log");
  CHECK_FALSE(o.csvFile);
  CHECK_FALSE(o.asciiRaw);
}

TEST_CASE("cli options: attached and --name=value forms") {
  const CliOptions o = parse({"deck.cir", "-rout.raw", "--csv=w.csv", "--output", "l.txt", "--ascii"});
  CHECK(*o.rawFile == "out.raw");
  CHECK(*o.csvFile == "w.csv");
  CHECK(*o.logFile == "l.txt");
  CHECK(o.asciiRaw);
  CHECK_FALSE(o.batch);
  CHECK(parse({"--rawfile=a.raw", "x.cir"}).rawFile.value() == "a.raw");
}

TEST_CASE("cli options: -- ends the options") {
  const CliOptions o = parse({"-b", "--", "-weird-name.cir"});
  CHECK(o.netlist == "-weird-name.cir");
}

TEST_CASE("cli options: help, version and device list need no netlist") {
  CHECK(parse({"--help"}).action == CliAction::Help);
  CHECK(parse({"-h"}).action == CliAction::Help);
  CHECK(parse({"--version"}).action == CliAction::Version);
  CHECK(parse({"-v"}).action == CliAction::Version);
  CHECK(parse({"--devices"}).action == CliAction::ListDevices);
}

TEST_CASE("cli options: malformed command lines are usage errors") {
  CHECK_THROWS_AS(parse({}), UsageError);
  CHECK_THROWS_AS(parse({"-b"}), UsageError);                   // no netlist
  CHECK_THROWS_AS(parse({"-b", "a.cir", "b.cir"}), UsageError); // two netlists
  CHECK_THROWS_AS(parse({"-q", "a.cir"}), UsageError);          // unknown short
  CHECK_THROWS_AS(parse({"--quiet", "a.cir"}), UsageError);     // unknown long
  CHECK_THROWS_AS(parse({"a.cir", "-r"}), UsageError);          // value missing
  CHECK_THROWS_AS(parse({"a.cir", "--csv="}), UsageError);      // empty value
  CHECK_THROWS_AS(parse({"--ascii=yes", "a.cir"}), UsageError); // flag with a value
  CHECK_THROWS_AS(parse({"-bx", "a.cir"}), UsageError);         // flag with attached junk
  try {
    (void)parse({"--frobnicate", "a.cir"});
    FAIL("expected a usage error");
  } catch (const UsageError &e) {
    CHECK(std::string(e.what()) == "unknown option '--frobnicate'");
  }
}

TEST_CASE("cli options: the help text lists every option") {
  const std::string help = usageText();
  for (const char *option : {"-b, --batch", "-r, --rawfile FILE", "-o, --output FILE", "--csv FILE",
                             "--ascii", "--devices", "-h, --help", "-v, --version", "Exit status"}) {
    CHECK_MESSAGE(help.find(option) != std::string::npos, option);
  }
}

TEST_CASE("cli options: data-set batch options") {
  const CliOptions o =
      parse({"-b", "net.cir", "--report", "r.json", "--images", "100", "--save=7", "--threads", "2"});
  REQUIRE(o.reportFile);
  CHECK(*o.reportFile == "r.json");
  CHECK(o.images.value() == 100);
  CHECK(o.saveImage.value() == 7);
  CHECK(o.threads.value() == 2);
  CHECK(parse({"net.cir", "--save", "0"}).saveImage.value() == 0); // one image, no report
  const CliOptions plain = parse({"net.cir"});
  CHECK_FALSE(plain.reportFile);
  CHECK_FALSE(plain.images);
  CHECK_FALSE(plain.saveImage);
  CHECK_FALSE(plain.threads);
}

TEST_CASE("cli options: data-set batch options, wrong forms") {
  CHECK_THROWS_AS(parse({"net.cir", "--report", "r.json", "--images", "0"}), UsageError);
  CHECK_THROWS_AS(parse({"net.cir", "--report", "r.json", "--images", "-3"}), UsageError);
  CHECK_THROWS_AS(parse({"net.cir", "--report", "r.json", "--images", "12x"}), UsageError);
  CHECK_THROWS_AS(parse({"net.cir", "--report", "r.json", "--threads", "0"}), UsageError);
  CHECK_THROWS_AS(parse({"net.cir", "--save", "-1"}), UsageError);
  CHECK_THROWS_AS(parse({"net.cir", "--save", ""}), UsageError);
  CHECK_THROWS_AS(parse({"net.cir", "--images", "5"}), UsageError);  // needs --report
  CHECK_THROWS_AS(parse({"net.cir", "--threads", "2"}), UsageError); // needs --report
  CHECK_THROWS_AS(parse({"net.cir", "--report", "r.json", "--csv", "w.csv"}), UsageError);
  CHECK_THROWS_AS(parse({"net.cir", "--report="}), UsageError);
}
