// The operating-point report that `dwspice -b deck.cir` prints when the
// operating point goes nowhere else (no -r, --csv or .print op), in the
// spirit of ngspice's batch mode:
//
//   	Node                                  Voltage
//   	----                                  -------
//   	out                              5.000000e+00
//
//   	Source                                Current
//   	------                                -------
//   	i(v1)                            -5.00000e-03
//
// Device-internal states (domain-wall position, angle) follow in a third
// section. Plots other than operating points are ignored.
#pragma once

#include "output/plot_writer.hpp"

#include <cstdio>
#include <vector>

namespace dwspice {

class OpReportWriter final : public PlotWriter {
public:
  explicit OpReportWriter(std::FILE *out) : out_(out) {}

  void beginPlot(const PlotHeader &header) override;
  void addPoint(std::span<const double> values) override;
  void endPlot() override;
  void finish() override;

private:
  void printSection(std::string_view heading, std::string_view unit, VectorType type) const;

  std::FILE *out_; // not owned (stdout)
  bool active_ = false;
  std::vector<VectorInfo> vectors_;
  std::vector<double> values_;
};

} // namespace dwspice
