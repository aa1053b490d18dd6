// SPICE raw files in ngspice's layout (binary or ASCII, several plots one
// after another), written while the analysis runs. The header of each plot
// is written with a padded "No. Points:" field that endPlot() patches in
// place, so no point is ever held in memory.
#pragma once

#include "output/output_file.hpp"
#include "output/plot_writer.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace dwspice {

enum class RawFormat { Binary, Ascii };

// ngspice's switch: SPICE_ASCIIRAWFILE set to anything but "0" or "" asks
// for ASCII raw files.
[[nodiscard]] bool asciiRawRequestedByEnvironment();

class RawWriter final : public PlotWriter {
public:
  RawWriter(const std::filesystem::path &path, RawFormat format);
  ~RawWriter() override;

  void beginPlot(const PlotHeader &header) override;
  void addPoint(std::span<const double> values) override;
  void endPlot() override;
  void finish() override;

private:
  void writeHeader(const PlotHeader &header);
  void patchPointCount();

  OutputFile file_;
  RawFormat format_;
  bool plotOpen_ = false;
  std::size_t vectorCount_ = 0;
  std::int64_t pointCount_ = 0;
  std::int64_t pointCountOffset_ = 0; // file position of the "No. Points:" value
  std::vector<double> littleEndian_;  // staging for byte order on big-endian hosts
};

} // namespace dwspice
