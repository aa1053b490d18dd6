// CSV export: a header row of vector names, then one row per point with
// every value at full precision ({:.17g}, so the doubles round-trip).
//
// A CSV file holds one table, so several plots cannot share a file. With
// CsvLayout::FilePerPlot every plot gets its own file named after the given
// path and the analysis: "out.csv" → "out-op.csv", "out-dc.csv",
// "out-tran.csv"; a second plot of the same kind gets "out-tran2.csv".
// With CsvLayout::SingleFile (one analysis) the path is used as given, and a
// second plot is an error rather than a silently overwritten file.
#pragma once

#include "output/output_file.hpp"
#include "output/plot_writer.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dwspice {

enum class CsvLayout { SingleFile, FilePerPlot };

// The file a plot goes to under CsvLayout::FilePerPlot; `occurrence` counts
// plots of the same kind from 1.
[[nodiscard]] std::filesystem::path csvPathForPlot(const std::filesystem::path &base, PlotKind kind,
                                                   int occurrence);

// A header field, quoted as RFC 4180 asks when it holds a comma or quote
// ("v(a,b)").
[[nodiscard]] std::string csvField(std::string_view text);

class CsvWriter final : public PlotWriter {
public:
  CsvWriter(std::filesystem::path path, CsvLayout layout);

  void beginPlot(const PlotHeader &header) override;
  void addPoint(std::span<const double> values) override;
  void endPlot() override;
  void finish() override;

  // Every file written so far, in order (for the log).
  [[nodiscard]] const std::vector<std::filesystem::path> &files() const { return files_; }

private:
  std::filesystem::path path_;
  CsvLayout layout_;
  std::optional<OutputFile> file_;
  std::size_t vectorCount_ = 0;
  std::map<PlotKind, int> plotsOfKind_;
  std::vector<std::filesystem::path> files_;
  std::string row_;
};

} // namespace dwspice
