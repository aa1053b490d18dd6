// The one channel from analyses to output. An analysis announces a plot,
// then reports each solution point (its scale value and the full unknown
// vector x, x[0] = ground), then ends the plot. What is written, under which
// names and in which formats, is the output layer's business.
#pragma once

#include <span>
#include <string>

namespace dwspice {

class Circuit;

enum class PlotKind { OperatingPoint, DcSweep, Transient };

struct PlotInfo {
  PlotKind kind = PlotKind::OperatingPoint;
  std::string plotName;  // ngspice's: "Operating Point", "DC transfer characteristic", "Transient Analysis"
  std::string scaleName; // "time", "v-sweep", "i-sweep"; empty for an operating point
};

class SolutionObserver {
public:
  virtual ~SolutionObserver() = default;
  virtual void beginPlot(const Circuit &circuit, const PlotInfo &plot) = 0;
  virtual void addPoint(double scale, std::span<const double> x) = 0;
  virtual void endPlot() = 0;
};

} // namespace dwspice
