// `.print` tables on a text stream, laid out like ngspice's batch output:
//
//                                   <title>
//                                   Transient Analysis  <date>
//   ------------------------------------------------------------------------------
//   Index   time            v(out)          i(v1)
//   ------------------------------------------------------------------------------
//   0	0.000000e+00	0.000000e+00	0.000000e+00
//
// Rows are written as the points arrive (ngspice's page breaks are left out:
// they only get in the way of tools reading the table).
#pragma once

#include "output/plot_writer.hpp"

#include <cstdio>
#include <string>

namespace dwspice {

// ngspice's table number: %e, with one digit less for negative numbers so
// that every column is 12 characters wide.
[[nodiscard]] std::string ngspiceTableNumber(double value);

class PrintTableWriter final : public PlotWriter {
public:
  explicit PrintTableWriter(std::FILE *out) : out_(out) {}

  void beginPlot(const PlotHeader &header) override;
  void addPoint(std::span<const double> values) override;
  void endPlot() override;
  void finish() override;

private:
  std::FILE *out_; // not owned (stdout)
  bool plotOpen_ = false;
  long index_ = 0;
  std::string row_;
};

} // namespace dwspice
