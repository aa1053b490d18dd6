#include "waveform_compare.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <map>

namespace dwspice::compare {

namespace {

std::string toLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool isCurrentName(std::string_view lowerName) {
  return lowerName.starts_with("i(");
}

// Only voltage-source currents are required by the suite; currents of other
// branch elements (E, H, L) are compared when the candidate writes them.
bool isRequiredVector(std::string_view lowerName) {
  return lowerName.starts_with("v(") || lowerName.starts_with("i(v");
}

enum class PlotShape { Single, Sweep, Time };

PlotShape shapeOf(const RawPlot &plot) {
  const std::string name = toLower(plot.plotName);
  if (name.find("transient") != std::string::npos) {
    return PlotShape::Time;
  }
  if (name.find("operating point") != std::string::npos) {
    return PlotShape::Single;
  }
  return PlotShape::Sweep; // DC transfer characteristic and anything else with a scale
}

// The sweep values must be the same points; a step computed by repeated
// addition may drift by rounding, hence the small relative slack.
std::string checkSweepScale(const std::vector<double> &reference, const std::vector<double> &candidate) {
  if (reference.size() != candidate.size()) {
    return fmt::format("sweep has {} points in the reference but {} in the candidate", reference.size(),
                       candidate.size());
  }
  const auto [lo, hi] = std::minmax_element(reference.begin(), reference.end());
  const double slack = 1e-6 * std::max(*hi - *lo, 1e-12);
  for (std::size_t k = 0; k < reference.size(); ++k) {
    if (!(std::abs(reference[k] - candidate[k]) <= slack)) {
      return fmt::format("sweep point {} is {:g} in the reference but {:g} in the candidate", k, reference[k],
                         candidate[k]);
    }
  }
  return {};
}

std::string checkTimeSpan(const std::vector<double> &reference, const std::vector<double> &candidate) {
  if (candidate.empty()) {
    return "candidate transient has no points";
  }
  if (reference.empty()) {
    return "reference transient has no points";
  }
  const double span = std::max(std::abs(reference.back()), 1e-30);
  if (candidate.back() < reference.back() - 1e-9 * span) {
    return fmt::format("candidate stops at t={:g}, reference runs to t={:g}", candidate.back(),
                       reference.back());
  }
  if (candidate.front() > reference.front() + 1e-9 * span) {
    return fmt::format("candidate starts at t={:g}, reference at t={:g}", candidate.front(),
                       reference.front());
  }
  if (!std::is_sorted(candidate.begin(), candidate.end())) {
    return "candidate time points are not in ascending order";
  }
  return {};
}

void comparePlot(const RawPlot &reference, const RawPlot &candidate, const VectorFilter &filter,
                 PlotResult &out) {
  const PlotShape shape = shapeOf(reference);
  const bool hasScale = shape != PlotShape::Single;
  const std::vector<double> empty;
  const std::vector<double> &referenceScale = hasScale ? reference.real.front() : empty;
  const std::vector<double> &candidateScale =
      hasScale && !candidate.real.empty() ? candidate.real.front() : empty;

  if (shape == PlotShape::Time) {
    if (auto problem = checkTimeSpan(referenceScale, candidateScale); !problem.empty()) {
      out.problems.push_back(problem);
      return;
    }
  } else if (shape == PlotShape::Sweep) {
    if (auto problem = checkSweepScale(referenceScale, candidateScale); !problem.empty()) {
      out.problems.push_back(problem);
      return;
    }
  } else if (reference.pointCount() != 1 || candidate.pointCount() != 1) {
    out.problems.push_back(
        fmt::format("operating point has {} point(s) in the reference and {} in the candidate",
                    reference.pointCount(), candidate.pointCount()));
    return;
  }

  for (std::size_t v = hasScale ? 1 : 0; v < reference.variables.size(); ++v) {
    const std::string name = toLower(reference.variables[v].name);
    if (!isComparedVector(name) || (filter && !filter(name))) {
      continue;
    }
    const auto candidateIndex = candidate.indexOf(name);
    if (!candidateIndex || (hasScale && *candidateIndex == 0)) {
      VectorResult missing;
      missing.name = name;
      missing.missing = true;
      missing.required = isRequiredVector(name);
      out.vectors.push_back(missing);
      continue;
    }
    const std::vector<double> &candidateValues = candidate.real[*candidateIndex];
    std::vector<double> onReference;
    if (shape == PlotShape::Time) {
      onReference.reserve(referenceScale.size());
      for (const double t : referenceScale) {
        onReference.push_back(interpolateLinear(candidateScale, candidateValues, t));
      }
    } else {
      onReference = candidateValues;
    }
    VectorResult result = scoreVector(name, referenceScale, reference.real[v], onReference);
    result.required = isRequiredVector(name);
    out.vectors.push_back(result);
  }
  if (out.vectors.empty()) {
    out.problems.push_back("no comparable vectors in this plot");
  }
}

} // namespace

bool isComparedVector(std::string_view name) {
  const std::string lower = toLower(name);
  if (!(lower.starts_with("v(") || lower.starts_with("i(")) || !lower.ends_with(")")) {
    return false;
  }
  return lower.find('.') == std::string::npos && lower.find('#') == std::string::npos &&
         lower.find(',') == std::string::npos;
}

bool PlotResult::pass() const {
  if (!matched || !problems.empty()) {
    return false;
  }
  return std::all_of(vectors.begin(), vectors.end(),
                     [](const VectorResult &v) { return v.pass() || (v.missing && !v.required); });
}

bool CompareResult::pass() const {
  return !plots.empty() &&
         std::all_of(plots.begin(), plots.end(), [](const PlotResult &p) { return p.pass(); });
}

double interpolateLinear(const std::vector<double> &xs, const std::vector<double> &ys, double x) {
  if (xs.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (x <= xs.front()) {
    return ys.front();
  }
  if (x >= xs.back()) {
    return ys.back();
  }
  // First point strictly right of x; its left neighbour is at or left of x.
  const auto right = std::upper_bound(xs.begin(), xs.end(), x);
  const auto i = static_cast<std::size_t>(right - xs.begin());
  const double x0 = xs[i - 1];
  const double x1 = xs[i];
  if (x1 == x0) {
    return ys[i];
  }
  const double w = (x - x0) / (x1 - x0);
  return ys[i - 1] + w * (ys[i] - ys[i - 1]);
}

VectorResult scoreVector(const std::string &name, const std::vector<double> &referenceScale,
                         const std::vector<double> &reference,
                         const std::vector<double> &candidateOnReference) {
  VectorResult result;
  result.name = name;
  if (reference.empty() || candidateOnReference.size() != reference.size()) {
    result.missing = candidateOnReference.empty();
    result.rms = result.max = std::numeric_limits<double>::infinity();
    return result;
  }
  const auto [lo, hi] = std::minmax_element(reference.begin(), reference.end());
  const double range = *hi - *lo;
  const double floor = isCurrentName(name) ? kCurrentFloor : kVoltageFloor;
  double largest = 0;
  for (const double n : reference) {
    largest = std::max(largest, std::abs(n));
  }
  // "Constant" includes variation below the floor: ngspice leaves round-off
  // of 1e-20 A on currents that are zero in exact arithmetic, and a range
  // built from that noise is no scale to measure against.
  result.absTol = range < floor ? kAbsTolFraction * std::max(largest, floor) : kAbsTolFraction * range;

  double sumSquares = 0;
  result.max = -1;
  for (std::size_t k = 0; k < reference.size(); ++k) {
    const double n = reference[k];
    const double d = candidateOnReference[k];
    const double e = std::isfinite(d) ? std::abs(d - n) / (kRelTol * std::abs(n) + result.absTol)
                                      : std::numeric_limits<double>::infinity();
    sumSquares += e * e;
    if (e > result.max) {
      result.max = e;
      result.maxPoint = k;
      result.maxScale = referenceScale.empty() ? 0.0 : referenceScale[k];
      result.referenceAtMax = n;
      result.candidateAtMax = d;
    }
  }
  result.rms = std::sqrt(sumSquares / static_cast<double>(reference.size()));
  return result;
}

CompareResult compareRawPlots(const std::vector<RawPlot> &reference, const std::vector<RawPlot> &candidate,
                              const VectorFilter &filter) {
  CompareResult result;
  std::map<std::string, std::size_t> seen; // occurrences of each plot name so far in the reference
  for (std::size_t r = 0; r < reference.size(); ++r) {
    PlotResult plot;
    plot.plotName = reference[r].plotName;
    plot.referencePlot = r;
    plot.referencePoints = reference[r].pointCount();
    const std::string key = toLower(reference[r].plotName);
    const std::size_t occurrence = seen[key]++;
    std::size_t count = 0;
    for (std::size_t c = 0; c < candidate.size(); ++c) {
      if (toLower(candidate[c].plotName) == key && count++ == occurrence) {
        plot.matched = true;
        plot.candidatePlot = c;
        plot.candidatePoints = candidate[c].pointCount();
        break;
      }
    }
    if (!plot.matched) {
      plot.problems.push_back(
          fmt::format("candidate has no plot #{} named '{}'", occurrence + 1, reference[r].plotName));
    } else {
      comparePlot(reference[r], candidate[plot.candidatePlot], filter, plot);
    }
    result.plots.push_back(std::move(plot));
  }
  return result;
}

std::string formatReport(const CompareResult &result, std::string_view referenceLabel,
                         std::string_view candidateLabel) {
  std::string out;
  std::size_t failedVectors = 0;
  std::size_t totalVectors = 0;
  for (const PlotResult &plot : result.plots) {
    out += fmt::format("plot {}: {} ({} {} points", plot.referencePlot + 1, plot.plotName, referenceLabel,
                       plot.referencePoints);
    if (plot.matched) {
      out += fmt::format(", {} {} points)\n", candidateLabel, plot.candidatePoints);
    } else {
      out += ")\n";
    }
    for (const std::string &problem : plot.problems) {
      out += fmt::format("  FAIL: {}\n", problem);
    }
    if (!plot.vectors.empty()) {
      out += fmt::format("  {:<20} {:>10} {:>10} {:>14} {:>14} {:>14} {:>11}  {}\n", "vector", "rms e",
                         "max e", "at", referenceLabel, candidateLabel, "abstol", "verdict");
    }
    for (const VectorResult &v : plot.vectors) {
      ++totalVectors;
      if (v.missing) {
        out += fmt::format("  {:<20} {:>10} {:>10} {:>14} {:>14} {:>14} {:>11}  {}\n", v.name, "-", "-", "-",
                           "-", "missing", "-", v.required ? "FAIL (missing)" : "not written (informative)");
        failedVectors += v.required ? 1 : 0;
        continue;
      }
      const bool pass = v.pass();
      failedVectors += pass ? 0 : 1;
      out += fmt::format("  {:<20} {:>10.3g} {:>10.3g} {:>14.6g} {:>14.6g} {:>14.6g} {:>11.3g}  {}\n", v.name,
                         v.rms, v.max, v.maxScale, v.referenceAtMax, v.candidateAtMax, v.absTol,
                         pass ? "ok" : "FAIL");
    }
  }
  if (result.pass()) {
    out += fmt::format("PASS: {} vectors in {} plot(s) agree (rms e < {:g}, max e <= {:g})\n", totalVectors,
                       result.plots.size(), kRmsLimit, kMaxLimit);
  } else {
    out += fmt::format("FAIL: {} of {} vectors disagree or are missing", failedVectors, totalVectors);
    std::size_t plotProblems = 0;
    for (const PlotResult &plot : result.plots) {
      plotProblems += plot.problems.size();
    }
    out += fmt::format(", {} plot-level problem(s)\n", plotProblems);
  }
  return out;
}

} // namespace dwspice::compare
