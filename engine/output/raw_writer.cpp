#include "output/raw_writer.hpp"

#include "core/diagnostics.hpp"

#include <bit>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>

namespace dwspice {

namespace {

// ngspice writes the count as "%-8d"; the padding is what lets us patch it
// in place without moving the data that follows.
constexpr int kPointCountWidth = 8;
constexpr std::int64_t kMaxPointCount = 99'999'999;

double toLittleEndian(double value) {
  if constexpr (std::endian::native == std::endian::little) {
    return value;
  } else {
    auto bits = std::bit_cast<std::uint64_t>(value);
    std::uint64_t swapped = 0;
    for (int byte = 0; byte < 8; ++byte) {
      swapped = (swapped << 8) | (bits & 0xffU);
      bits >>= 8;
    }
    return std::bit_cast<double>(swapped);
  }
}

} // namespace

bool asciiRawRequestedByEnvironment() {
  const char *value = std::getenv("SPICE_ASCIIRAWFILE");
  return value != nullptr && *value != '\0' && std::strcmp(value, "0") != 0;
}

RawWriter::RawWriter(const std::filesystem::path &path, RawFormat format)
    : file_(path, "raw file"), format_(format) {}

RawWriter::~RawWriter() {
  // An analysis that failed half-way still leaves a readable file with the
  // points computed so far. Errors cannot be reported from a destructor;
  // finish() is the checked path.
  try {
    finish();
  } catch (const std::exception &) {
  }
}

void RawWriter::beginPlot(const PlotHeader &header) {
  if (plotOpen_) {
    endPlot();
  }
  writeHeader(header);
  vectorCount_ = header.vectors.size();
  pointCount_ = 0;
  plotOpen_ = true;
}

void RawWriter::writeHeader(const PlotHeader &header) {
  file_.write(fmt::format("Title: {}\nDate: {}\nPlotname: {}\nFlags: real\nNo. Variables: {}\nNo. Points: ",
                          header.title, header.date, header.plotName, header.vectors.size()));
  pointCountOffset_ = file_.position();
  file_.write(fmt::format("{:<{}}\nVariables:\n", 0, kPointCountWidth));
  for (std::size_t i = 0; i < header.vectors.size(); ++i) {
    const VectorInfo &vector = header.vectors[i];
    file_.write(fmt::format("\t{}\t{}\t{}\n", i, vector.name, vectorTypeName(vector.type)));
  }
  file_.write(format_ == RawFormat::Binary ? "Binary:\n" : "Values:\n");
}

void RawWriter::addPoint(std::span<const double> values) {
  if (!plotOpen_ || values.size() != vectorCount_) {
    throw std::logic_error("raw writer: point does not match the plot header");
  }
  if (format_ == RawFormat::Binary) {
    if constexpr (std::endian::native == std::endian::little) {
      file_.writeBytes(values.data(), values.size_bytes());
    } else {
      littleEndian_.resize(values.size());
      for (std::size_t i = 0; i < values.size(); ++i) {
        littleEndian_[i] = toLittleEndian(values[i]);
      }
      file_.writeBytes(littleEndian_.data(), littleEndian_.size() * sizeof(double));
    }
  } else {
    // ngspice: the point index, a tab, then "\t<value>\n" per vector (%.15e).
    fmt::memory_buffer text;
    fmt::format_to(std::back_inserter(text), "{}\t", pointCount_);
    for (const double value : values) {
      fmt::format_to(std::back_inserter(text), "\t{:.15e}\n", value);
    }
    file_.write(std::string_view(text.data(), text.size()));
  }
  ++pointCount_;
}

void RawWriter::endPlot() {
  if (!plotOpen_) {
    return;
  }
  plotOpen_ = false;
  patchPointCount();
}

void RawWriter::patchPointCount() {
  if (pointCount_ > kMaxPointCount) {
    throw UserError(fmt::format("raw file '{}': {} points do not fit ngspice's point-count field",
                                file_.path().string(), pointCount_));
  }
  file_.seek(pointCountOffset_);
  file_.write(fmt::format("{:<{}}", pointCount_, kPointCountWidth));
  file_.seekToEnd();
}

void RawWriter::finish() {
  if (!file_.isOpen()) {
    return;
  }
  endPlot();
  file_.close();
}

} // namespace dwspice
