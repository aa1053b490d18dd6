// The agreement metric of the ngspice comparison suite, shared by the
// compare_raw program and the crossbar benchmark.
//
// For a reference vector n (ngspice) and a candidate vector d (dwspice) on
// the reference's points:
//     e_k = |d_k - n_k| / (reltol * |n_k| + abstol)
// with reltol = 2e-3 and abstol = 1e-3 * (max n - min n). A vector that does
// not vary (or varies by less than the floor below) uses
// abstol = 1e-3 * max(max|n|, floor), floor = 1 uV for voltages, 1 nA for
// currents. The vector agrees when RMS(e) < 1 and max(e) <= 20.
// These numbers are the suite's contract; they are constants on purpose.
#pragma once

#include "output/raw_reader.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice::compare {

inline constexpr double kRelTol = 2e-3;
inline constexpr double kAbsTolFraction = 1e-3;
inline constexpr double kVoltageFloor = 1e-6; // V
inline constexpr double kCurrentFloor = 1e-9; // A
inline constexpr double kRmsLimit = 1.0;      // RMS(e) must be below this
inline constexpr double kMaxLimit = 20.0;     // max(e) must not exceed this

struct VectorResult {
  std::string name;
  bool required = true; // v(node) and i(vsource) are required; other currents are informative
  bool missing = false; // absent from the candidate
  double rms = 0;
  double max = 0;
  std::size_t maxPoint = 0;  // index into the reference's points
  double maxScale = 0;       // scale value (time / sweep value) at the worst point
  double referenceAtMax = 0; // n at the worst point
  double candidateAtMax = 0; // d (interpolated) at the worst point
  double absTol = 0;         // the abstol used
  [[nodiscard]] bool pass() const { return !missing && rms < kRmsLimit && max <= kMaxLimit; }
};

struct PlotResult {
  std::string plotName;
  std::size_t referencePlot = 0; // index in the reference file
  std::size_t candidatePlot = 0; // index in the candidate file (valid when matched)
  bool matched = false;
  std::size_t referencePoints = 0;
  std::size_t candidatePoints = 0;
  std::vector<VectorResult> vectors;
  std::vector<std::string> problems; // plot-level failures (missing plot, sweep mismatch, …)
  [[nodiscard]] bool pass() const;
};

struct CompareResult {
  std::vector<PlotResult> plots;
  [[nodiscard]] bool pass() const;
};

// Whether a vector takes part in the comparison: top-level node voltages
// v(x) and branch currents i(x). Hierarchical names ("x1.n2") and internal
// nodes ("d1#internal") are skipped because the two simulators need not
// name them alike.
bool isComparedVector(std::string_view name);

// Selects a subset of the compared vectors (e.g. the benchmark's column
// currents); receives the lower-case name. Empty means all.
using VectorFilter = std::function<bool(const std::string &lowerName)>;

// Compares every plot of the reference with the candidate plot of the same
// plot name and the same occurrence (the 2nd "Transient Analysis" with the
// 2nd one), so analysis order within a file does not matter. Transient
// plots are compared on the reference's time points (candidate linearly
// interpolated); DC sweeps and operating points point by point.
CompareResult compareRawPlots(const std::vector<RawPlot> &reference, const std::vector<RawPlot> &candidate,
                              const VectorFilter &filter = {});

// The metric on one vector, exposed for tests. `candidateOnReference` must
// already be on the reference's points.
VectorResult scoreVector(const std::string &name, const std::vector<double> &referenceScale,
                         const std::vector<double> &reference,
                         const std::vector<double> &candidateOnReference);

// Linear interpolation of (xs, ys) at x; xs ascending (repeated values
// allowed, the later one wins on the right of a jump). Clamps outside.
double interpolateLinear(const std::vector<double> &xs, const std::vector<double> &ys, double x);

// A per-vector table and a PASS/FAIL line.
std::string formatReport(const CompareResult &result, std::string_view referenceLabel,
                         std::string_view candidateLabel);

} // namespace dwspice::compare
