// What a batch run takes from one transient: the readout vectors at the
// readout time and the energy the circuit draws, ∫ Σ deliveredPower dt
// (trapezoid over the solution points the analysis reports). Points are
// passed on unchanged to an optional second observer (a raw file).
#pragma once

#include "core/circuit.hpp"
#include "output/solution_observer.hpp"
#include "output/vector_selection.hpp"

#include <optional>
#include <span>
#include <vector>

namespace dwspice::batch {

// The devices whose deliveredPowerAt() is not identically zero: every
// device is asked once at a generic probe point, so that the per-point sum
// skips the (many) devices that keep the default of 0.
[[nodiscard]] std::vector<const Device *> powerReportingDevices(const Circuit &circuit, double time);

class ImageObserver final : public SolutionObserver {
public:
  // `readoutTime`: the vectors are captured at the point within
  // `timeTolerance` of it (a breakpoint, so the transient stops there);
  // failing that, interpolated linearly between the points around it.
  ImageObserver(std::span<const SelectedVector> readout, double readoutTime, double timeTolerance,
                std::span<const Device *const> powerDevices, SolutionObserver *forward);

  void beginPlot(const Circuit &circuit, const PlotInfo &plot) override;
  void addPoint(double scale, std::span<const double> x) override;
  void endPlot() override;

  // Empty if the transient never reached the readout time.
  [[nodiscard]] const std::vector<double> &readoutValues() const { return readout_; }
  [[nodiscard]] bool readoutCaptured() const { return captured_; }
  [[nodiscard]] double energy() const { return energy_; }
  [[nodiscard]] long points() const { return points_; }

private:
  void capture(std::span<const double> x, std::vector<double> &into) const;

  std::span<const SelectedVector> vectors_;
  double readoutTime_, timeTolerance_;
  std::span<const Device *const> powerDevices_;
  SolutionObserver *forward_;

  bool captured_ = false;
  bool exact_ = false; // captured at a point within the tolerance
  double capturedDistance_ = 0;
  std::vector<double> readout_;
  std::vector<double> previousReadout_; // values at the previous point (for interpolation)
  double previousTime_ = 0, previousPower_ = 0;
  bool havePrevious_ = false;
  double energy_ = 0;
  long points_ = 0;
};

} // namespace dwspice::batch
