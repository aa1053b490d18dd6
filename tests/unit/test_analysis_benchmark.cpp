// Crossbar-sized runs of the analyses: timings are reported (MESSAGE) and
// checked against generous bounds that only an algorithmic regression (a
// refactorisation per residual, a dense step) would break on a loaded
// 2-core machine. The design targets are ≪ 0.1 s for the .op and < 1 s for
// the .tran.
#include "test_analysis_devices.hpp"

#include <chrono>
#include <ctime>
#include <random>

using namespace dwspice;
using namespace dwspice::analysistest;
using testkit::group;
using testkit::value;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Processor time, which a loaded machine does not inflate as it does wall time.
double cpuSecondsSince(std::clock_t start) {
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

std::string node(const char *prefix, int i, int j) {
  return fmt::format("{}{}_{}", prefix, i, j);
}

} // namespace

TEST_CASE("benchmark: 784x128 resistive crossbar .op") {
  const int rows = 784, cols = 128;
  std::mt19937 random(7);
  std::uniform_real_distribution<double> input(0.0, 0.2);
  const double levels[] = {5e3, 10e3, 20e3, 40e3};
  CircuitSpec spec;
  for (int i = 0; i < rows; ++i) {
    spec.instances.push_back(
        part(fmt::format("yv{}", i), "tv", {fmt::format("r{}", i), "0"}, {value(input(random))}));
  }
  for (int j = 0; j < cols; ++j) {
    spec.instances.push_back(part(fmt::format("yvs{}", j), "tv", {fmt::format("c{}", j), "0"}, {value(0)}));
  }
  std::vector<double> conductance(static_cast<size_t>(rows * cols));
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const double r = levels[random() % 4];
      conductance[static_cast<size_t>(i * cols + j)] = 1 / r;
      spec.instances.push_back(part(fmt::format("yr{}_{}", i, j), "tr",
                                    {fmt::format("r{}", i), fmt::format("c{}", j)}, {value(r)}));
    }
  }
  Circuit circuit(spec);
  RecordingObserver observer;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();
  const AnalysisSummary summary = runAnalysis(circuit, opAnalysis(), observer, {});
  const double seconds = secondsSince(start);
  const double cpuSeconds = cpuSecondsSince(cpuStart);
  MESSAGE(fmt::format("784x128 crossbar .op: {:.4f} s wall, {:.4f} s cpu ({})", seconds, cpuSeconds,
                      summary.text));
  CHECK(cpuSeconds < 1.0);
  // Column currents are the dot products Σ v_i·G_ij (sense sources at 0 V).
  const auto &x = observer.points.at(0);
  for (int j : {0, 77, 127}) {
    double expected = 0;
    for (int i = 0; i < rows; ++i) {
      expected += x[static_cast<size_t>(*circuit.findNode(fmt::format("r{}", i)))] *
                  conductance[static_cast<size_t>(i * cols + j)];
    }
    const double current = x[static_cast<size_t>(*circuit.findUnknown(fmt::format("i(yvs{})", j)))];
    CHECK(current == doctest::Approx(expected).epsilon(1e-9)); // current flows into the sense source's + node
  }
}

TEST_CASE("benchmark: 64x64 crossbar with wire R and C, 10 ns pulsed .tran") {
  const int n = 64;
  std::mt19937 random(11);
  const double levels[] = {5e3, 10e3, 20e3, 40e3};
  CircuitSpec spec;
  for (int i = 0; i < n; ++i) {
    spec.instances.push_back(part(fmt::format("yv{}", i), "tv", {fmt::format("in{}", i), "0"},
                                  {group("pulse", {0, 0.2, 1e-9, 0.1e-9, 0.1e-9, 4e-9, 20e-9})}));
    spec.instances.push_back(
        part(fmt::format("yrd{}", i), "tr", {fmt::format("in{}", i), node("w", i, 0)}, {value(100)}));
  }
  for (int j = 0; j < n; ++j) {
    spec.instances.push_back(part(fmt::format("yvs{}", j), "tv", {node("b", n, j), "0"}, {value(0)}));
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (j + 1 < n) {
        spec.instances.push_back(
            part(fmt::format("yrw{}_{}", i, j), "tr", {node("w", i, j), node("w", i, j + 1)}, {value(1)}));
      }
      spec.instances.push_back(
          part(fmt::format("ycw{}_{}", i, j), "tc", {node("w", i, j), "0"}, {value(1e-15)}));
      spec.instances.push_back(part(fmt::format("yrc{}_{}", i, j), "tr", {node("w", i, j), node("b", i, j)},
                                    {value(levels[random() % 4])}));
      spec.instances.push_back(
          part(fmt::format("yrb{}_{}", i, j), "tr", {node("b", i, j), node("b", i + 1, j)}, {value(1)}));
      spec.instances.push_back(
          part(fmt::format("ycb{}_{}", i, j), "tc", {node("b", i, j), "0"}, {value(1e-15)}));
    }
  }
  Circuit circuit(spec);
  RecordingObserver observer;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();
  const AnalysisSummary summary = runAnalysis(circuit, tranAnalysis(0.1e-9, 10e-9), observer, {});
  const double seconds = secondsSince(start);
  const double cpuSeconds = cpuSecondsSince(cpuStart);
  MESSAGE(fmt::format("64x64 RC crossbar .tran ({} unknowns): {:.3f} s wall, {:.3f} s cpu ({})",
                      circuit.size(), seconds, cpuSeconds, summary.text));
  CHECK(cpuSeconds < 10.0);
  // During the pulse top the column currents settle to the resistive values
  // (wire R ≪ cell R, RC ≪ 1 ns): each is about 0.2 V · Σ_i G_ij, negative
  // into the sense source. Check a sign and magnitude bound at t = 4 ns.
  const auto &times = observer.scales;
  const auto at =
      static_cast<size_t>(std::lower_bound(times.begin(), times.end(), 4e-9 - 1e-15) - times.begin());
  REQUIRE(at < times.size());
  const double current = observer.points[at][static_cast<size_t>(*circuit.findUnknown("i(yvs0)"))];
  CHECK(current > 0.2 * n / 40e3 * 0.9);
  CHECK(current < 0.2 * n / 5e3 * 1.1);
}
