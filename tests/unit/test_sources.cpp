// Unit tests of the independent sources V and I and their waveforms. The
// expected values are worked out by hand from ngspice's definitions (see
// models/sources/waveform.hpp).
#include "sources/waveform.hpp"
#include "test_passive_support.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace dwspice;
using namespace dwspice::testkit;
using dwspice::models::makeWaveform;
using dwspice::models::PwlOptions;
using dwspice::models::TranTimes;
using dwspice::models::WaveformArg;

namespace {

std::vector<WaveformArg> argsOf(std::initializer_list<double> values) {
  std::vector<WaveformArg> args;
  for (double v : values) {
    args.push_back({v, {}});
  }
  return args;
}

const TranTimes kTran{0.1e-6, 10e-6}; // .tran 0.1u 10u

std::vector<double> cornersOf(const models::Waveform &waveform, double tstop) {
  std::vector<double> times;
  waveform.breakpoints(tstop, times);
  return times;
}

void checkTimes(const std::vector<double> &actual, const std::vector<double> &expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    CHECK(actual[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  }
}

LoadContext transientAt(double time) {
  LoadContext ctx;
  ctx.mode = AnalysisMode::Transient;
  ctx.time = time;
  return ctx;
}

template <typename Body> UserError userErrorOf(Body &&body) {
  try {
    body();
  } catch (const UserError &error) {
    return error;
  }
  FAIL("expected a UserError");
  return UserError("unreachable");
}

} // namespace

TEST_CASE("PULSE values follow ngspice (delay, ramps, width, period, count)") {
  const auto pulse = makeWaveform("pulse", argsOf({0, 1, 1e-6, 0.2e-6, 0.3e-6, 1e-6, 3e-6}), {}, kTran);
  CHECK(pulse->value(0.0) == 0.0);
  CHECK(pulse->value(0.5e-6) == 0.0);                   // before td
  CHECK(pulse->value(1.1e-6) == doctest::Approx(0.5));  // half-way up the rise
  CHECK(pulse->value(1.2e-6) == doctest::Approx(1.0));  // top
  CHECK(pulse->value(2.0e-6) == doctest::Approx(1.0));  // top
  CHECK(pulse->value(2.35e-6) == doctest::Approx(0.5)); // half-way down the fall
  CHECK(pulse->value(3.0e-6) == doctest::Approx(0.0));  // low again
  CHECK(pulse->value(4.1e-6) == doctest::Approx(0.5));  // second period's rise
  CHECK(pulse->value(7.1e-6) == doctest::Approx(0.5));  // third period's rise
  checkTimes(cornersOf(*pulse, 10e-6), {1e-6, 1.2e-6, 2.2e-6, 2.5e-6, 4e-6, 4.2e-6, 5.2e-6, 5.5e-6, 7e-6,
                                        7.2e-6, 8.2e-6, 8.5e-6, 10e-6});

  const auto twoPulses =
      makeWaveform("pulse", argsOf({0, 1, 1e-6, 0.2e-6, 0.3e-6, 1e-6, 3e-6, 2}), {}, kTran);
  CHECK(twoPulses->value(4.1e-6) == doctest::Approx(0.5));
  CHECK(twoPulses->value(7.1e-6) == 0.0); // after np = 2 periods
  checkTimes(cornersOf(*twoPulses, 10e-6), {1e-6, 1.2e-6, 2.2e-6, 2.5e-6, 4e-6, 4.2e-6, 5.2e-6, 5.5e-6});
}

TEST_CASE("PULSE defaults: tr, tf = tstep and pw, per = tstop, also when written as 0") {
  for (const auto &args : {argsOf({0, 1}), argsOf({0, 1, 0, 0, 0, 0, 0})}) {
    const auto pulse = makeWaveform("pulse", args, {}, kTran);
    CHECK(pulse->value(0.05e-6) == doctest::Approx(0.5)); // tr = 0.1 µs
    CHECK(pulse->value(5e-6) == doctest::Approx(1.0));    // pw = 10 µs
    checkTimes(cornersOf(*pulse, 10e-6), {0.1e-6, 10e-6});
  }
}

TEST_CASE("SIN values: delay, damping, phase in degrees; frequency defaults to 1/tstop") {
  const auto sine = makeWaveform("sin", argsOf({0.5, 2, 1e6, 1e-6, 1e5, 90}), {}, kTran);
  CHECK(sine->value(0.5e-6) == doctest::Approx(2.5));  // before td: vo + va·sin(phase)
  CHECK(sine->value(1.25e-6) == doctest::Approx(0.5)); // sin(π/2 + π/2) = 0
  CHECK(sine->value(1.125e-6) == doctest::Approx(0.5 + 2 * std::sqrt(0.5) * std::exp(-0.0125)));
  checkTimes(cornersOf(*sine, 10e-6), {1e-6});

  const auto plain = makeWaveform("sin", argsOf({0, 1}), {}, kTran);
  CHECK(plain->value(2.5e-6) == doctest::Approx(1.0)); // freq = 100 kHz: quarter period
  CHECK(plain->value(5e-6) == doctest::Approx(0.0).epsilon(1e-9));
  CHECK(cornersOf(*plain, 10e-6).empty());
}

TEST_CASE("EXP values and ngspice's defaults (td1 = tstep, td2 = td1 + tstep, tau = tstep)") {
  const auto exp = makeWaveform("exp", argsOf({0, 1, 1e-6, 0.5e-6, 3e-6, 1e-6}), {}, kTran);
  CHECK(exp->value(0.5e-6) == 0.0);
  CHECK(exp->value(2e-6) == doctest::Approx(1 - std::exp(-2.0)));
  CHECK(exp->value(4e-6) == doctest::Approx((1 - std::exp(-6.0)) - (1 - std::exp(-1.0))));
  checkTimes(cornersOf(*exp, 10e-6), {1e-6, 3e-6});

  const auto defaults = makeWaveform("exp", argsOf({0, 1}), {}, kTran);
  CHECK(defaults->value(0.1e-6) == 0.0);                                 // td1 = 0.1 µs
  CHECK(defaults->value(0.2e-6) == doctest::Approx(1 - std::exp(-1.0))); // one tau later
  CHECK(defaults->value(0.3e-6) == doctest::Approx((1 - std::exp(-2.0)) - (1 - std::exp(-1.0))));
  checkTimes(cornersOf(*defaults, 10e-6), {0.1e-6, 0.2e-6});
}

TEST_CASE("PWL interpolates, holds its end values, repeats from r= and delays by td=") {
  const auto plain = makeWaveform("pwl", argsOf({1e-6, 0, 2e-6, 1, 4e-6, -1}), {}, kTran);
  CHECK(plain->value(0.0) == 0.0);
  CHECK(plain->value(1.5e-6) == doctest::Approx(0.5));
  CHECK(plain->value(3e-6) == doctest::Approx(0.0).epsilon(1e-9));
  CHECK(plain->value(9e-6) == -1.0);
  checkTimes(cornersOf(*plain, 3e-6), {1e-6, 2e-6});

  PwlOptions options;
  options.repeatFrom = 1e-6;
  options.delay = 0.5e-6;
  const auto repeating = makeWaveform("pwl", argsOf({0, 0, 1e-6, 1, 2e-6, 0.5}), {}, kTran, options);
  CHECK(repeating->value(0.3e-6) == 0.0);
  CHECK(repeating->value(1.0e-6) == doctest::Approx(0.5));
  CHECK(repeating->value(2.0e-6) == doctest::Approx(0.75));
  CHECK(repeating->value(2.4e-6) == doctest::Approx(0.55)); // (2.5 µs itself is a jump)
  CHECK(repeating->value(3.0e-6) == doctest::Approx(0.75)); // second pass over 1 µs..2 µs
  checkTimes(cornersOf(*repeating, 5e-6), {0.5e-6, 1.5e-6, 2.5e-6, 3.5e-6, 4.5e-6});
}

TEST_CASE("waveform argument errors point at the offending value") {
  const auto file = fakeFile("v1 a 0 pwl 0 0 2u 1 1u 0");
  auto locatedArgs = [&](std::initializer_list<double> values) {
    std::vector<WaveformArg> args;
    int column = 12;
    for (double v : values) {
      args.push_back({v, SourceLoc{file.get(), 1, column}});
      column += 3;
    }
    return args;
  };
  const UserError nonIncreasing = userErrorOf([&] {
    makeWaveform("pwl", locatedArgs({0, 0, 2e-6, 1, 1e-6, 0}), {}, kTran);
  });
  CHECK(nonIncreasing.location().column == 12 + 4 * 3);                             // the third time point
  CHECK_THROWS_AS(makeWaveform("pwl", argsOf({0, 0, 0, 1}), {}, kTran), UserError); // equal times
  CHECK_THROWS_AS(makeWaveform("pwl", argsOf({0, 0, 1e-6}), {}, kTran), UserError); // odd count
  PwlOptions notAPoint;
  notAPoint.repeatFrom = 0.5e-6;
  CHECK_THROWS_AS(makeWaveform("pwl", argsOf({0, 0, 1e-6, 1}), {}, kTran, notAPoint), UserError);
  PwlOptions lastPoint;
  lastPoint.repeatFrom = 1e-6;
  CHECK_THROWS_AS(makeWaveform("pwl", argsOf({0, 0, 1e-6, 1}), {}, kTran, lastPoint), UserError);
  const UserError negativeRise = userErrorOf([&] {
    makeWaveform("pulse", locatedArgs({0, 1, 0, -1e-9}), {}, kTran);
  });
  CHECK(negativeRise.location().column == 12 + 3 * 3);
  CHECK_THROWS_AS(makeWaveform("pulse", argsOf({0}), {}, kTran), UserError);
  CHECK_THROWS_AS(makeWaveform("pulse", argsOf({0, 1, 2, 3, 4, 5, 6, 7, 8}), {}, kTran), UserError);
  CHECK_THROWS_AS(makeWaveform("sin", argsOf({0, 1, 1, 1, 1, 1, 1}), {}, kTran), UserError);
  CHECK_THROWS_AS(makeWaveform("exp", argsOf({0}), {}, kTran), UserError);
  CHECK_THROWS_AS(makeWaveform("sin", argsOf({0, NAN}), {}, kTran), UserError);
}

TEST_CASE("PULSE with a period far below tstop caps its corner list instead of exhausting memory") {
  const auto pulse = makeWaveform("pulse", argsOf({0, 1, 0, 1e-12, 1e-12, 1e-12, 4e-12}), {}, kTran);
  const auto corners = cornersOf(*pulse, 1.0);
  CHECK(corners.size() == models::kMaxBreakpointsPerSource);
}

TEST_CASE("voltage source: branch current i(v1), stamps and Jacobian") {
  DeviceBench bench(2);
  Device &v = bench.add(instance("v1", {"p", "n"}, {value(1.5)}), {1, 2});
  bench.setup();
  REQUIRE(bench.size() == 3);
  CHECK(dynamic_cast<BranchCurrentOwner &>(v).branchIndex() == 3);
  CHECK(v.isLinear());
  const auto result = bench.evaluate({0.0, 2.0, 0.25, -1e-3});
  CHECK(result.f[1] == doctest::Approx(-1e-3)); // branch current leaves + into the source
  CHECK(result.f[2] == doctest::Approx(1e-3));
  CHECK(result.f[3] == doctest::Approx(1.75)); // v+ − v−
  CHECK(result.b[3] == doctest::Approx(1.5));
  CHECK(result.G[3][1] == 1.0);
  CHECK(result.G[3][2] == -1.0);
  CHECK(result.G[1][3] == 1.0);
  CHECK(result.G[2][3] == -1.0);
  bench.checkJacobian({0.0, 2.0, 0.25, -1e-3});
  // Driving a load: i(v1) < 0 and the source delivers power.
  CHECK(v.deliveredPower(std::vector<double>{0.0, 2.0, 0.25, -1e-3}) == doctest::Approx(1.75e-3));
  std::vector<std::pair<int, int>> edges;
  v.idealVoltageEdges(edges);
  REQUIRE(edges.size() == 1);
  CHECK(edges[0] == std::pair<int, int>{1, 2});
}

TEST_CASE("voltage source card forms: bare value, DC keyword, functions with and without parentheses") {
  const std::vector<double> x{0.0, 0.0, 0.0};
  auto excitation = [&](std::vector<CardArg> args, const LoadContext &ctx) {
    DeviceBench bench(1);
    bench.add(instance("v1", {"p", "0"}, std::move(args)), {1, 0});
    bench.setup();
    return bench.evaluate(x, ctx).b[2];
  };
  const LoadContext op;
  CHECK(excitation({value(2.0)}, op) == 2.0);
  CHECK(excitation({word("dc"), value(3.0)}, op) == 3.0);
  CHECK(excitation({group("dc", {3.0})}, op) == 3.0);
  CHECK(excitation({word("dc"), value(3.0), word("ac"), value(1.0), value(90.0)}, op) == 3.0);
  CHECK(excitation({value(3.0), group("ac", {1.0})}, op) == 3.0);

  const std::vector<double> pulse{0, 1, 1e-6, 0.2e-6, 0.3e-6, 1e-6, 3e-6};
  std::vector<CardArg> wordForm{word("pulse")};
  for (double v : pulse) {
    wordForm.push_back(value(v));
  }
  for (const auto &args : {std::vector<CardArg>{group("pulse", pulse)}, wordForm}) {
    CHECK(excitation(args, transientAt(1.1e-6)) == doctest::Approx(0.5));
    CHECK(excitation(args, transientAt(2.0e-6)) == doctest::Approx(1.0));
  }
  // DC given: .op uses it, .tran uses the waveform.
  std::vector<CardArg> both{word("dc"), value(5.0), group("pulse", pulse)};
  CHECK(excitation(both, op) == 5.0);
  CHECK(excitation(both, transientAt(2.0e-6)) == doctest::Approx(1.0));
  // … but the operating point that starts a .tran uses the waveform at t = 0 (ngspice MODETRANOP).
  LoadContext tranStart;
  tranStart.transientStart = true;
  CHECK(excitation(both, tranStart) == 0.0);
  CHECK(excitation({word("dc"), value(5.0)}, tranStart) == 5.0);
  // No DC: the operating point uses the waveform at t = 0.
  CHECK(excitation({group("sin", {0.5, 2.0, 1e6, 0.0, 0.0, 90.0})}, op) == doctest::Approx(2.5));
  // DC only: transient is constant.
  CHECK(excitation({value(4.0)}, transientAt(1e-3)) == 4.0);
  // Source stepping scales the excitation.
  LoadContext stepped;
  stepped.sourceFactor = 0.25;
  CHECK(excitation({value(4.0)}, stepped) == 1.0);
  // PWL with r= and td= after the parentheses.
  CHECK(excitation({group("pwl", {0, 0, 1e-6, 1, 2e-6, 0.5}), assign("r", 1e-6), assign("td", 0.5e-6)},
                   transientAt(3.0e-6)) == doctest::Approx(0.75));
}

TEST_CASE("voltage source: breakpoints, .dc sweeping and errors") {
  DeviceBench bench(1);
  Device &v = bench.add(instance("v1", {"p", "0"}, {group("pwl", {0, 0, 1e-6, 1, 3e-6, 1})}), {1, 0});
  bench.setup();
  std::vector<double> times;
  v.breakpoints(2e-6, times);
  checkTimes(times, {1e-6});

  auto &sweepable = dynamic_cast<SweepableSource &>(v);
  CHECK(sweepable.dcValue() == 0.0);
  sweepable.setDcValue(0.7);
  LoadContext sweep;
  sweep.mode = AnalysisMode::DcSweep;
  CHECK(bench.evaluate({0.0, 0.0, 0.0}, sweep).b[2] == doctest::Approx(0.7));

  const auto file = fakeFile("v1 p 0 dc 1 dc 2 foo=3");
  auto build = [&](std::vector<CardArg> args) {
    DeviceBench errorBench(1);
    errorBench.add(instance("v1", {"p", "0"}, std::move(args)), {1, 0});
  };
  CHECK(userErrorOf([&] {
          build({word("dc"), value(1.0), at(word("dc"), file, 13), value(2.0)});
        })
            .location()
            .column == 13);
  CHECK(userErrorOf([&] { build({value(1.0), at(assign("foo", 3.0), file, 18)}); }).location().column == 18);
  CHECK(userErrorOf([&] { build({value(1.0), at(assign("r", 0.0), file, 18)}); }).location().column == 18);
  CHECK(userErrorOf([&] {
          build({at(group("sffm", {0, 1, 1e3}), file, 8)});
        })
            .message()
            .find("not supported") != std::string::npos);
  CHECK_THROWS_AS(build({group("pulse", {0, 1}), group("sin", {0, 1})}), UserError);
  CHECK_THROWS_AS(build({group("pulse", {0, 1}), value(3.0)}), UserError);
  CHECK_THROWS_AS(build({word("dc")}), UserError);
  CHECK_THROWS_AS(build({word("bogus")}), UserError);
  // Non-increasing PWL time written without parentheses: the error names that value.
  CHECK(userErrorOf([&] {
          build({word("pwl"), value(0), value(0), at(value(0), file, 16), value(1)});
        })
            .location()
            .column == 16);
}

TEST_CASE("current source: positive current flows from n+ through the source to n−") {
  DeviceBench bench(2);
  Device &i = bench.add(instance("i1", {"p", "n"}, {word("dc"), value(2e-3)}), {1, 2});
  bench.setup();
  CHECK(bench.size() == 2); // no extra unknowns
  const auto result = bench.evaluate({0.0, 0.0, 0.0});
  CHECK(result.b[1] == doctest::Approx(-2e-3));
  CHECK(result.b[2] == doctest::Approx(2e-3));
  bench.checkJacobian({0.0, 1.0, 2.0});
  // It delivers (v− − v+)·I: pushing 2 mA into n at 1 V above p gives 2 mW.
  CHECK(i.deliveredPower(std::vector<double>{0.0, 0.0, 1.0}) == doctest::Approx(2e-3));

  DeviceBench pulsed(1);
  pulsed.add(instance("i2", {"0", "n"}, {group("exp", {0, 1e-3, 1e-6, 1e-6, 5e-6, 1e-6})}), {0, 1});
  pulsed.setup();
  CHECK(pulsed.evaluate({0.0, 0.0}, transientAt(2e-6)).b[1] == doctest::Approx(1e-3 * (1 - std::exp(-1.0))));
}

TEST_CASE("sources through the assembled circuit: ngspice sign conventions") {
  SUBCASE("V driving a resistor has a negative branch current and delivers power") {
    const DcResult dc = solveDc(circuitOf({
        instance("v1", {"in", "0"}, {value(1.0)}),
        instance("r1", {"in", "0"}, {value(1e3)}),
    }));
    CHECK(dc.at("in") == doctest::Approx(1.0));
    CHECK(dc.at("i(v1)") == doctest::Approx(-1e-3));
    CHECK(dc.circuit->findDevice("v1")->deliveredPower(dc.x) == doctest::Approx(1e-3));
  }
  SUBCASE("I from ground into a node raises it") {
    DcResult dc = solveDc(circuitOf({
        instance("i1", {"0", "out"}, {value(1e-3)}),
        instance("r1", {"out", "0"}, {value(1e3)}),
    }));
    CHECK(dc.at("out") == doctest::Approx(1.0));
    CHECK(dc.circuit->findDevice("i1")->deliveredPower(dc.x) == doctest::Approx(1e-3));
  }
}
