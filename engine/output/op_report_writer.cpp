#include "output/op_report_writer.hpp"

#include "core/diagnostics.hpp"
#include "output/print_table_writer.hpp"

#include <fmt/format.h>

namespace dwspice {

namespace {

constexpr int kNameWidth = 32;
constexpr int kValueWidth = 12;

// ngspice lists nodes by their bare names ("out", not "v(out)").
std::string_view bareNodeName(std::string_view name) {
  if (name.size() > 3 && name.substr(0, 2) == "v(" && name.back() == ')') {
    return name.substr(2, name.size() - 3);
  }
  return name;
}

} // namespace

void OpReportWriter::beginPlot(const PlotHeader &header) {
  active_ = header.kind == PlotKind::OperatingPoint;
  vectors_ = header.vectors;
  values_.clear();
}

void OpReportWriter::addPoint(std::span<const double> values) {
  if (active_) {
    // An operating point has exactly one point; keep the last one.
    values_.assign(values.begin(), values.end());
  }
}

void OpReportWriter::printSection(std::string_view heading, std::string_view unit, VectorType type) const {
  bool any = false;
  for (std::size_t i = 0; i < vectors_.size() && i < values_.size(); ++i) {
    if (vectors_[i].type != type) {
      continue;
    }
    if (!any) {
      fmt::print(out_, "\n\t{:<{}} {:>{}}\n\t{:<{}} {:>{}}\n", heading, kNameWidth, unit, kValueWidth,
                 std::string(heading.size(), '-'), kNameWidth, std::string(unit.size(), '-'), kValueWidth);
      any = true;
    }
    const std::string_view name =
        type == VectorType::Voltage ? bareNodeName(vectors_[i].name) : std::string_view(vectors_[i].name);
    fmt::print(out_, "\t{:<{}} {:>{}}\n", name, kNameWidth, ngspiceTableNumber(values_[i]), kValueWidth);
  }
}

void OpReportWriter::endPlot() {
  if (!active_ || values_.empty()) {
    active_ = false;
    return;
  }
  printSection("Node", "Voltage", VectorType::Voltage);
  printSection("Source", "Current", VectorType::Current);
  printSection("Device state", "Value", VectorType::NoType);
  fmt::print(out_, "\n");
  active_ = false;
}

void OpReportWriter::finish() {
  if (std::fflush(out_) != 0 || std::ferror(out_) != 0) {
    throw UserError("cannot write the operating-point report");
  }
}

} // namespace dwspice
