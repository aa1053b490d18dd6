#include "batch/image_runner.hpp"

#include "batch/image_observer.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <unordered_map>

namespace dwspice::batch {

int argmax(std::span<const double> values) {
  if (values.empty()) {
    return -1;
  }
  return static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
}

long stepsInSummary(const std::string &summary) {
  const std::size_t at = summary.find(" steps");
  if (at == std::string::npos) {
    return 0;
  }
  std::size_t begin = at;
  while (begin > 0 && summary[begin - 1] >= '0' && summary[begin - 1] <= '9') {
    --begin;
  }
  return begin == at ? 0 : std::strtol(summary.c_str() + begin, nullptr, 10);
}

namespace {

ScalableSource *scalableSource(const Circuit &circuit, const std::string &name, const SourceLoc &loc) {
  auto *source = dynamic_cast<ScalableSource *>(circuit.findDevice(name));
  if (source == nullptr) {
    throw UserError(loc, fmt::format("'.bind': '{}' is not a V or I source of the circuit", name));
  }
  return source;
}

double pixelScale(std::span<const std::uint8_t> pixels, int index) {
  return static_cast<double>(pixels[static_cast<size_t>(index)]) / 255.0;
}

} // namespace

void bindImage(const CircuitSpec &spec, Circuit &circuit, std::span<const std::uint8_t> pixels) {
  for (const PixelBinding &binding : spec.pixelBindings) {
    for (const std::string &name : binding.sources) {
      scalableSource(circuit, name, binding.loc)->setWaveformScale(pixelScale(pixels, binding.pixel));
    }
  }
}

ImageRunner::ImageRunner(const CircuitSpec &spec, Circuit &circuit) : circuit_(circuit) {
  if (!spec.readout) {
    throw UserError("the netlist has no '.readout': a batch run needs one to classify");
  }
  readoutTime_ = spec.readout->time;
  for (const AnalysisSpec &analysis : spec.analyses) {
    if (const auto *tran = std::get_if<TranAnalysisSpec>(&analysis.kind)) {
      tranAnalysis_ = &analysis;
      tran_ = *tran;
    }
  }
  if (tranAnalysis_ == nullptr) { // elaboration already insists on it
    throw UserError(spec.readout->loc, "'.readout' without '.tran'");
  }

  for (const PixelBinding &binding : spec.pixelBindings) {
    for (const std::string &name : binding.sources) {
      bound_.push_back(BoundSource{binding.pixel, scalableSource(circuit, name, binding.loc), nullptr});
    }
  }

  VectorRequest request;
  request.differences = DifferenceOutput::DifferenceColumn;
  for (size_t k = 0; k < spec.readout->vectors.size(); ++k) {
    request.outputs.push_back(RequestedOutput{spec.readout->vectors[k], spec.readout->vectorLocs[k]});
  }
  readout_ = selectVectors(circuit.unknowns(), request);
  if (readout_.size() != spec.readout->vectors.size()) {
    throw UserError(spec.readout->loc, "'.readout' lists the same vector twice");
  }
  // Bound sources are kept apart: one whose pixel is 0 produces exactly 0 V
  // or 0 A, so its power is exactly 0 and the per-point sum can skip it
  // (most MNIST pixels are 0; the sum runs at every solution point).
  std::unordered_map<const Device *, BoundSource *> boundByDevice;
  for (BoundSource &bound : bound_) {
    boundByDevice.emplace(dynamic_cast<const Device *>(bound.source), &bound);
  }
  for (const Device *device : powerReportingDevices(circuit, 0.5 * tran_.tstop)) {
    const auto found = boundByDevice.find(device);
    if (found == boundByDevice.end()) {
      unboundPowerDevices_.push_back(device);
    } else {
      found->second->powerDevice = device;
    }
  }
}

void ImageRunner::bindImage(std::span<const std::uint8_t> pixels) {
  for (const BoundSource &bound : bound_) {
    bound.source->setWaveformScale(pixelScale(pixels, bound.pixel));
  }
}

ImageOutcome ImageRunner::run(int image, int label, std::span<const std::uint8_t> pixels,
                              SolutionObserver *forward, const RunSettings &settings) {
  const auto start = std::chrono::steady_clock::now();
  bindImage(pixels);
  circuit_.costCounters().reset();
  // The transient reports its points at least this close to a breakpoint.
  const double tolerance = 1e-9 * std::min(tran_.tstep, tran_.tstop);
  powerDevices_ = unboundPowerDevices_;
  for (const BoundSource &bound : bound_) {
    if (bound.powerDevice != nullptr && pixels[static_cast<size_t>(bound.pixel)] != 0) {
      powerDevices_.push_back(bound.powerDevice);
    }
  }
  ImageObserver observer(readout_, readoutTime_, tolerance, powerDevices_, forward);
  // What the transient can keep between images (its linear reduction):
  // only source values change from image to image.
  RunSettings withCache = settings;
  withCache.cache = &analysisCache_;
  const AnalysisSummary summary = runAnalysis(circuit_, *tranAnalysis_, observer, withCache);
  if (!observer.readoutCaptured()) {
    throw UserError(tranAnalysis_->loc,
                    fmt::format("the transient never reached the readout time {:g} s", readoutTime_));
  }
  ImageOutcome outcome;
  outcome.image = image;
  outcome.label = label;
  outcome.readout = observer.readoutValues();
  outcome.predicted = argmax(outcome.readout);
  outcome.energy = observer.energy();
  outcome.points = observer.points();
  outcome.steps = stepsInSummary(summary.text);
  outcome.cost = circuit_.costCounters();
  outcome.summary = summary.text;
  outcome.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

} // namespace dwspice::batch
