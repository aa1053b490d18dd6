#include "batch/image_observer.hpp"

#include <cmath>

namespace dwspice::batch {

std::vector<const Device *> powerReportingDevices(const Circuit &circuit, double time) {
  // A generic point: distinct, irrational-looking values so that no device
  // that reports power sees a zero voltage or current by accident.
  std::vector<double> probe(static_cast<size_t>(circuit.size()) + 1);
  for (size_t k = 1; k < probe.size(); ++k) {
    probe[k] = 0.37 + 0.61 * std::sin(1.7 * static_cast<double>(k));
  }
  std::vector<const Device *> devices;
  for (const auto &device : circuit.devices()) {
    if (device->deliveredPowerAt(probe, time) != 0.0) {
      devices.push_back(device.get());
    }
  }
  return devices;
}

ImageObserver::ImageObserver(std::span<const SelectedVector> readout, double readoutTime,
                             double timeTolerance, std::span<const Device *const> powerDevices,
                             SolutionObserver *forward)
    : vectors_(readout), readoutTime_(readoutTime), timeTolerance_(timeTolerance),
      powerDevices_(powerDevices), forward_(forward) {}

void ImageObserver::beginPlot(const Circuit &circuit, const PlotInfo &plot) {
  if (forward_ != nullptr) {
    forward_->beginPlot(circuit, plot);
  }
}

void ImageObserver::capture(std::span<const double> x, std::vector<double> &into) const {
  into.resize(vectors_.size());
  for (size_t k = 0; k < vectors_.size(); ++k) {
    into[k] = x[static_cast<size_t>(vectors_[k].plus)] - x[static_cast<size_t>(vectors_[k].minus)];
  }
}

void ImageObserver::addPoint(double scale, std::span<const double> x) {
  const double time = scale;
  double power = 0.0;
  for (const Device *device : powerDevices_) {
    power += device->deliveredPowerAt(x, time);
  }
  if (havePrevious_) {
    energy_ += 0.5 * (power + previousPower_) * (time - previousTime_);
  }

  if (std::abs(time - readoutTime_) <= timeTolerance_) {
    // Several points may fall inside the tolerance: keep the closest.
    const double distance = std::abs(time - readoutTime_);
    if (!exact_ || distance < capturedDistance_) {
      capture(x, readout_);
      captured_ = true;
      exact_ = true;
      capturedDistance_ = distance;
    }
  } else if (!captured_ && havePrevious_ && previousTime_ < readoutTime_ && time > readoutTime_) {
    // Stepped over the readout time (it should be a breakpoint): linear
    // interpolation between the two points around it.
    std::vector<double> current;
    capture(x, current);
    const double weight = (readoutTime_ - previousTime_) / (time - previousTime_);
    readout_.resize(current.size());
    for (size_t k = 0; k < current.size(); ++k) {
      readout_[k] = previousReadout_[k] + weight * (current[k] - previousReadout_[k]);
    }
    captured_ = true;
  }
  if (!captured_) {
    capture(x, previousReadout_);
  }
  previousTime_ = time;
  previousPower_ = power;
  havePrevious_ = true;
  ++points_;
  if (forward_ != nullptr) {
    forward_->addPoint(scale, x);
  }
}

void ImageObserver::endPlot() {
  if (forward_ != nullptr) {
    forward_->endPlot();
  }
}

} // namespace dwspice::batch
