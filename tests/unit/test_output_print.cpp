// .print tables and the default operating-point report on stdout.
#include "output/op_report_writer.hpp"
#include "output/print_table_writer.hpp"
#include "test_output_support.hpp"

#include <doctest/doctest.h>

using namespace dwspice;
using dwspice::testing::CapturedStream;
using dwspice::testing::dividerOpHeader;
using dwspice::testing::dividerTranHeader;

TEST_CASE("print table: ngspice's header and columns") {
  CapturedStream out;
  PrintTableWriter writer(out.get());
  writer.beginPlot(dividerTranHeader());
  writer.addPoint(std::vector<double>{0.0, 10.0, 5.0, -0.005});
  writer.addPoint(std::vector<double>{3e-13, 10.0, 5.0, -0.005});
  writer.endPlot();
  writer.finish();
  const std::string rule(80, '-');
  CHECK(out.text() ==
        "                                  divider test\n"
        "                                  Transient Analysis  Mon Nov 23 19:15:37  2026\n" +
            rule + "\nIndex   time            v(in)           v(out)          i(v1)           \n" + rule +
            "\n"
            "0\t0.000000e+00\t1.000000e+01\t5.000000e+00\t-5.00000e-03\t\n"
            "1\t3.000000e-13\t1.000000e+01\t5.000000e+00\t-5.00000e-03\t\n"
            "\n");
}

TEST_CASE("print table: numbers keep a 12-character width") {
  CHECK(ngspiceTableNumber(0.0) == "0.000000e+00");
  CHECK(ngspiceTableNumber(-5e-4) == "-5.00000e-04");
  CHECK(ngspiceTableNumber(1.5e-300) == "1.500000e-300");
}

TEST_CASE("op report: nodes, source currents and device states") {
  CapturedStream out;
  OpReportWriter writer(out.get());
  PlotHeader header = dividerOpHeader();
  header.vectors.push_back({"n1#q", VectorType::NoType});
  writer.beginPlot(header);
  writer.addPoint(std::vector<double>{10.0, 5.0, -0.005, 2.5e-9});
  writer.endPlot();
  writer.finish();
  CHECK(out.text() == "\n"
                      "\tNode                                  Voltage\n"
                      "\t----                                  -------\n"
                      "\tin                               1.000000e+01\n"
                      "\tout                              5.000000e+00\n"
                      "\n"
                      "\tSource                                Current\n"
                      "\t------                                -------\n"
                      "\ti(v1)                            -5.00000e-03\n"
                      "\n"
                      "\tDevice state                            Value\n"
                      "\t------------                            -----\n"
                      "\tn1#q                             2.500000e-09\n"
                      "\n");
}

TEST_CASE("op report: other analyses print nothing") {
  CapturedStream out;
  OpReportWriter writer(out.get());
  writer.beginPlot(dividerTranHeader());
  writer.addPoint(std::vector<double>{0.0, 10.0, 5.0, -0.005});
  writer.endPlot();
  writer.finish();
  CHECK(out.text().empty());
}
