// What every output format sees: a plot header (the vectors, scale first)
// followed by points, one value per vector. The recorder (output_recorder)
// turns solver unknowns into these vectors; a writer only formats them, so
// each format can be tested without a circuit.
#pragma once

#include "output/solution_observer.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice {

// ngspice's vector types as written in a raw file's "Variables:" section.
// NoType is what ngspice itself uses for quantities without a unit type; we
// use it for device-internal states (domain-wall position, angle).
enum class VectorType { Time, Voltage, Current, NoType };

[[nodiscard]] std::string_view vectorTypeName(VectorType type);

struct VectorInfo {
  std::string name; // "time", "v(out)", "i(v1)", "n1#q"
  VectorType type = VectorType::Voltage;
};

struct PlotHeader {
  PlotKind kind = PlotKind::OperatingPoint;
  std::string title;     // the netlist's title line
  std::string plotName;  // "Transient Analysis", …
  std::string date;      // ngspice's format, see ngspiceDate()
  bool hasScale = false; // vectors.front() is the scale (time, sweep value)
  std::vector<VectorInfo> vectors;
};

class PlotWriter {
public:
  virtual ~PlotWriter() = default;
  virtual void beginPlot(const PlotHeader &header) = 0;
  // One value per vector of the header, in the same order.
  virtual void addPoint(std::span<const double> values) = 0;
  virtual void endPlot() = 0;
  // After the last plot: flush and close, reporting write errors as
  // UserError (a full disk must not pass silently).
  virtual void finish() {}
};

} // namespace dwspice
