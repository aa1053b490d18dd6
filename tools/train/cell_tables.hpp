// The measured cell curves the trainer builds its behavioural model from
// (written by `characterize --mnist-cells <dir>`, formats in the shared MNIST
// spec) and the two design constants it needs from design.conf.
//
// Internal units of the trainer: conductance in µS, current in µA, voltage in
// V (so I[µA] = V·G[µS]); the readers convert from the files' SI units. Doubles
// of order one keep the training arithmetic well scaled.
#pragma once

#include <filesystem>
#include <vector>

namespace dwspice::train {

// A sampled curve y(x): piecewise linear between the samples, clamped (flat)
// outside them, as the spec's behavioural model prescribes.
class PiecewiseLinear {
public:
  PiecewiseLinear() = default;
  PiecewiseLinear(std::vector<double> x, std::vector<double> y); // x strictly rising, >= 2 points

  [[nodiscard]] double operator()(double x) const;
  // dy/dx of the segment holding x; 0 outside the table (clamped ends). At a
  // sample point the right-hand segment's slope (any subgradient would do).
  [[nodiscard]] double slope(double x) const;

  [[nodiscard]] const std::vector<double> &xs() const { return x_; }
  [[nodiscard]] const std::vector<double> &ys() const { return y_; }
  [[nodiscard]] double minY() const;
  [[nodiscard]] double maxY() const;
  // The x range over which y is changing: from the first sample whose y
  // differs from the first sample's by more than `fraction` of the full y
  // range to the last sample that differs from the last one by as much.
  [[nodiscard]] std::pair<double, double> activeRange(double fraction = 0.01) const;

private:
  [[nodiscard]] std::size_t segment(double x) const; // index i with x_[i] <= x < x_[i+1]
  std::vector<double> x_, y_;
  // Characterisation sweeps are evenly spaced; then the segment is found by
  // division instead of a search (the tables are read ~10^8 times per run).
  bool uniform_ = false;
  double inverseStep_ = 0;
};

struct CellTables {
  PiecewiseLinear hiddenPlus;                         // µA -> V (outp)
  PiecewiseLinear hiddenMinus;                        // µA -> V (outn)
  PiecewiseLinear output;                             // µA -> µA (readout sense current)
  std::vector<double> levels1;                        // µS, states 0..N
  std::vector<double> levels2;                        // µS
  std::vector<double> levels1Siemens, levels2Siemens; // as read (S), for the weights file
};

// Reads hidden_transfer.csv, output_transfer.csv and
// synapse_levels_<notches>notch_l{1,2}.csv from `directory`. UserError for a
// missing file, a wrong header, unparsable numbers, unsorted or too short
// tables, and levels that do not rise strictly.
CellTables readCellTables(const std::filesystem::path &directory, int notches);

// vread and vbias2 of netlists/mnist/design.conf (read by mnist::DesignConfig).
struct DesignConstants {
  double vread = 0;  // V
  double vbias2 = 0; // V
};

} // namespace dwspice::train
