#include "output/output_recorder.hpp"

#include "core/circuit.hpp"
#include "output/ngspice_date.hpp"

#include <fmt/core.h>
#include <stdexcept>

namespace dwspice {

std::optional<VectorInfo> scaleVector(const PlotInfo &plot) {
  switch (plot.kind) {
  case PlotKind::OperatingPoint:
    return std::nullopt;
  case PlotKind::Transient:
    return VectorInfo{plot.scaleName.empty() ? "time" : plot.scaleName, VectorType::Time};
  case PlotKind::DcSweep:
    break;
  }
  // ngspice names the sweep "v(v-sweep)" (voltage) or "i(i-sweep)" (current).
  const std::string &name = plot.scaleName;
  if (name.find('(') != std::string::npos) {
    return VectorInfo{name, name.front() == 'i' ? VectorType::Current : VectorType::Voltage};
  }
  if (name.starts_with("v")) {
    return VectorInfo{fmt::format("v({})", name), VectorType::Voltage};
  }
  if (name.starts_with("i")) {
    return VectorInfo{fmt::format("i({})", name), VectorType::Current};
  }
  return VectorInfo{name.empty() ? std::string("sweep") : name, VectorType::NoType};
}

OutputRecorder::OutputRecorder(std::string title) : title_(std::move(title)) {}

void OutputRecorder::attach(PlotWriter &writer, VectorRequest request, std::optional<PlotKind> onlyFor) {
  Channel channel;
  channel.writer = &writer;
  channel.request = std::move(request);
  channel.onlyFor = onlyFor;
  channels_.push_back(std::move(channel));
}

void OutputRecorder::checkRequests(std::span<const UnknownInfo> unknowns) const {
  for (const Channel &channel : channels_) {
    (void)selectVectors(unknowns, channel.request);
  }
}

void OutputRecorder::beginPlot(const Circuit &circuit, const PlotInfo &plot) {
  beginPlot(std::span<const UnknownInfo>(circuit.unknowns()), plot);
}

void OutputRecorder::beginPlot(std::span<const UnknownInfo> unknowns, const PlotInfo &plot) {
  if (plotOpen_) {
    endPlot();
  }
  const std::optional<VectorInfo> scale = scaleVector(plot);
  const std::string date = fixedDate_ ? *fixedDate_ : ngspiceDateNow();
  unknownCount_ = unknowns.size();
  pointCount_ = 0;
  for (Channel &channel : channels_) {
    channel.active = !channel.onlyFor || *channel.onlyFor == plot.kind;
    if (!channel.active) {
      continue;
    }
    channel.vectors = selectVectors(unknowns, channel.request);
    channel.hasScale = scale.has_value();
    PlotHeader header{plot.kind, title_, plot.plotName, date, scale.has_value(), {}};
    if (scale) {
      header.vectors.push_back(*scale);
    }
    for (const SelectedVector &vector : channel.vectors) {
      header.vectors.push_back(vector.info);
    }
    channel.values.assign(header.vectors.size(), 0.0);
    channel.writer->beginPlot(header);
  }
  plotOpen_ = true;
}

void OutputRecorder::addPoint(double scale, std::span<const double> x) {
  if (!plotOpen_) {
    throw std::logic_error("output recorder: point outside a plot");
  }
  if (x.size() < unknownCount_) {
    throw std::logic_error(
        fmt::format("output recorder: solution has {} entries, circuit has {}", x.size(), unknownCount_));
  }
  for (Channel &channel : channels_) {
    if (!channel.active) {
      continue;
    }
    std::size_t k = 0;
    if (channel.hasScale) {
      channel.values[k++] = scale;
    }
    for (const SelectedVector &vector : channel.vectors) {
      // Ground entries (index 0) read x[0], which the contract keeps at 0.
      channel.values[k++] = x[static_cast<size_t>(vector.plus)] -
                            (vector.minus != 0 ? x[static_cast<size_t>(vector.minus)] : 0.0);
    }
    channel.writer->addPoint(channel.values);
  }
  ++pointCount_;
}

void OutputRecorder::endPlot() {
  if (!plotOpen_) {
    return;
  }
  plotOpen_ = false;
  for (Channel &channel : channels_) {
    if (channel.active) {
      channel.active = false;
      channel.writer->endPlot();
    }
  }
}

void OutputRecorder::finish() {
  endPlot();
  for (Channel &channel : channels_) {
    channel.writer->finish();
  }
}

} // namespace dwspice
