#include "output/csv_writer.hpp"

#include "core/diagnostics.hpp"
#include "output/vector_selection.hpp"

#include <fmt/format.h>

namespace dwspice {

std::filesystem::path csvPathForPlot(const std::filesystem::path &base, PlotKind kind, int occurrence) {
  std::string name = fmt::format("{}-{}", base.stem().string(), printAnalysisName(kind));
  if (occurrence > 1) {
    name += std::to_string(occurrence);
  }
  name += base.has_extension() ? base.extension().string() : std::string(".csv");
  return base.parent_path() / name;
}

std::string csvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) {
    return std::string(text);
  }
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') {
      quoted += '"';
    }
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

CsvWriter::CsvWriter(std::filesystem::path path, CsvLayout layout)
    : path_(std::move(path)), layout_(layout) {}

void CsvWriter::beginPlot(const PlotHeader &header) {
  endPlot();
  const int occurrence = ++plotsOfKind_[header.kind];
  std::filesystem::path target = path_;
  if (layout_ == CsvLayout::FilePerPlot) {
    target = csvPathForPlot(path_, header.kind, occurrence);
  } else if (!files_.empty()) {
    throw std::logic_error("CSV writer: a second plot in single-file layout");
  }
  file_.emplace(target, "CSV file");
  files_.push_back(target);
  vectorCount_ = header.vectors.size();

  std::string line;
  for (std::size_t i = 0; i < header.vectors.size(); ++i) {
    line += i == 0 ? "" : ",";
    line += csvField(header.vectors[i].name);
  }
  line += '\n';
  file_->write(line);
}

void CsvWriter::addPoint(std::span<const double> values) {
  if (!file_ || values.size() != vectorCount_) {
    throw std::logic_error("CSV writer: point does not match the plot header");
  }
  row_.clear();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i != 0) {
      row_ += ',';
    }
    fmt::format_to(std::back_inserter(row_), "{:.17g}", values[i]);
  }
  row_ += '\n';
  file_->write(row_);
}

void CsvWriter::endPlot() {
  if (file_) {
    // Close each plot's file as soon as it is complete, reporting errors now.
    file_->close();
    file_.reset();
  }
}

void CsvWriter::finish() {
  endPlot();
}

} // namespace dwspice
