// CSV writer: header row, full-precision rows, one file per plot.
#include "core/diagnostics.hpp"
#include "output/csv_writer.hpp"
#include "test_output_support.hpp"

#include <cstdlib>
#include <doctest/doctest.h>

using namespace dwspice;
using dwspice::testing::dividerOpHeader;
using dwspice::testing::dividerTranHeader;
using dwspice::testing::readFile;
using dwspice::testing::ScratchDirectory;

TEST_CASE("csv writer: header of vector names and full-precision rows") {
  ScratchDirectory dir;
  const auto path = dir.file("tran.csv");
  CsvWriter writer(path, CsvLayout::SingleFile);
  writer.beginPlot(dividerTranHeader());
  writer.addPoint(std::vector<double>{0.0, 10.0, 5.0, -0.005});
  writer.addPoint(std::vector<double>{1e-9, 0.1, 1.0 / 3.0, -1.0 / 3.0 * 1e-3});
  writer.endPlot();
  writer.finish();
  const std::string text = readFile(path);
  CHECK(text == "time,v(in),v(out),i(v1)\n"
                "0,10,5,-0.0050000000000000001\n"
                "1.0000000000000001e-09,0.10000000000000001,0.33333333333333331,-0.00033333333333333332\n");
  // Every value parses back to the same double.
  CHECK(std::strtod("0.33333333333333331", nullptr) == 1.0 / 3.0);
  CHECK(writer.files() == std::vector<std::filesystem::path>{path});
}

TEST_CASE("csv writer: one file per plot, named after the analysis") {
  ScratchDirectory dir;
  const auto base = dir.file("out.csv");
  CsvWriter writer(base, CsvLayout::FilePerPlot);
  writer.beginPlot(dividerOpHeader());
  writer.addPoint(std::vector<double>{10.0, 5.0, -0.005});
  writer.endPlot();
  writer.beginPlot(dividerTranHeader());
  writer.addPoint(std::vector<double>{0.0, 10.0, 5.0, -0.005});
  writer.endPlot();
  writer.beginPlot(dividerTranHeader());
  writer.addPoint(std::vector<double>{0.0, 1.0, 0.5, -0.0005});
  writer.finish();

  CHECK_FALSE(std::filesystem::exists(base));
  CHECK(readFile(dir.file("out-op.csv")) == "v(in),v(out),i(v1)\n10,5,-0.0050000000000000001\n");
  CHECK(readFile(dir.file("out-tran.csv")) == "time,v(in),v(out),i(v1)\n0,10,5,-0.0050000000000000001\n");
  CHECK(readFile(dir.file("out-tran2.csv")) == "time,v(in),v(out),i(v1)\n0,1,0.5,-0.00050000000000000001\n");
  CHECK(writer.files().size() == 3);
}

TEST_CASE("csv writer: names with commas are quoted") {
  CHECK(csvField("v(out)") == "v(out)");
  CHECK(csvField("v(a,b)") == "\"v(a,b)\"");
  CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csvPathForPlot("dir/res.txt", PlotKind::DcSweep, 1) == std::filesystem::path("dir/res-dc.txt"));
  CHECK(csvPathForPlot("res", PlotKind::OperatingPoint, 3) == std::filesystem::path("res-op3.csv"));
}

TEST_CASE("csv writer: an unwritable path is a user error") {
  ScratchDirectory dir;
  CsvWriter writer(dir.file("missing/dir/out.csv"), CsvLayout::SingleFile);
  CHECK_THROWS_AS(writer.beginPlot(dividerOpHeader()), UserError);
}
