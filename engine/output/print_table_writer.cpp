#include "output/print_table_writer.hpp"

#include "core/diagnostics.hpp"

#include <fmt/format.h>

namespace dwspice {

namespace {
constexpr std::size_t kPageWidth = 80;
constexpr std::size_t kColumnWidth = 16;
} // namespace

std::string ngspiceTableNumber(double value) {
  return value < 0 ? fmt::format("{:.5e}", value) : fmt::format("{:.6e}", value);
}

void PrintTableWriter::beginPlot(const PlotHeader &header) {
  endPlot();
  // ngspice centres the title on the page and starts the plot line at the
  // same column.
  const std::size_t indent = header.title.size() < kPageWidth ? (kPageWidth - header.title.size()) / 2 : 0;
  const std::string rule(kPageWidth, '-');
  std::string names;
  for (const VectorInfo &vector : header.vectors) {
    names += fmt::format("{:<{}}", vector.name, kColumnWidth);
    if (vector.name.size() >= kColumnWidth) {
      names += ' ';
    }
  }
  fmt::print(out_, "{:{}}{}\n{:{}}{}  {}\n{}\nIndex   {}\n{}\n", "", indent, header.title, "", indent,
             header.plotName, header.date, rule, names, rule);
  plotOpen_ = true;
  index_ = 0;
}

void PrintTableWriter::addPoint(std::span<const double> values) {
  if (!plotOpen_) {
    throw std::logic_error("print table: point outside a plot");
  }
  row_ = fmt::format("{}\t", index_++);
  for (const double value : values) {
    row_ += ngspiceTableNumber(value);
    row_ += '\t';
  }
  row_ += '\n';
  std::fputs(row_.c_str(), out_);
}

void PrintTableWriter::endPlot() {
  if (plotOpen_) {
    std::fputs("\n", out_);
    plotOpen_ = false;
  }
}

void PrintTableWriter::finish() {
  endPlot();
  if (std::fflush(out_) != 0 || std::ferror(out_) != 0) {
    throw UserError("cannot write the .print output");
  }
}

} // namespace dwspice
