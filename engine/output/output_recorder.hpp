// The SolutionObserver the CLI hands to every analysis: it picks the
// requested vectors out of each solution point and fans them out to the
// writers (raw file, CSV, .print tables, operating-point report). Points are
// passed straight through; nothing is buffered.
#pragma once

#include "output/plot_writer.hpp"
#include "output/solution_observer.hpp"
#include "output/vector_selection.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace dwspice {

// The scale vector ngspice writes first: "time" for a transient,
// "v(v-sweep)"/"i(i-sweep)" for a DC sweep, none for an operating point.
[[nodiscard]] std::optional<VectorInfo> scaleVector(const PlotInfo &plot);

class OutputRecorder final : public SolutionObserver {
public:
  explicit OutputRecorder(std::string title);

  // Sends the vectors selected by `request` to `writer` (which must outlive
  // the recorder), for every plot or only for plots of kind `onlyFor`.
  void attach(PlotWriter &writer, VectorRequest request, std::optional<PlotKind> onlyFor = std::nullopt);

  // Uses a fixed date in headers instead of the time each plot starts
  // (tests, reproducible files).
  void setDate(std::string date) { fixedDate_ = std::move(date); }

  // Resolves every request against the circuit before any analysis runs,
  // so that a misspelt `.save` fails at once rather than after a long run.
  void checkRequests(std::span<const UnknownInfo> unknowns) const;

  void beginPlot(const Circuit &circuit, const PlotInfo &plot) override;
  void beginPlot(std::span<const UnknownInfo> unknowns, const PlotInfo &plot);
  void addPoint(double scale, std::span<const double> x) override;
  void endPlot() override;

  // Ends a plot left open by a failed analysis (its points so far stay
  // readable) and finishes every writer, reporting write errors.
  void finish();

  [[nodiscard]] bool plotOpen() const { return plotOpen_; }
  // Points of the current (or last) plot.
  [[nodiscard]] long pointCount() const { return pointCount_; }

private:
  struct Channel {
    PlotWriter *writer = nullptr;
    VectorRequest request;
    std::optional<PlotKind> onlyFor;
    // Per plot:
    bool active = false;
    bool hasScale = false;
    std::vector<SelectedVector> vectors;
    std::vector<double> values;
  };

  std::string title_;
  std::optional<std::string> fixedDate_;
  std::vector<Channel> channels_;
  std::size_t unknownCount_ = 0;
  bool plotOpen_ = false;
  long pointCount_ = 0;
};

} // namespace dwspice
