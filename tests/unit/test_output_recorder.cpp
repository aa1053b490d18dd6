// Vector selection (.save/.print names) and the recorder's fan-out to
// writers, tested on a hand-made list of unknowns (no devices needed).
#include "output/output_recorder.hpp"
#include "output/vector_selection.hpp"
#include "test_output_support.hpp"
#include "test_parse_support.hpp"

#include <doctest/doctest.h>

using namespace dwspice;

namespace {

// ground, two nodes, a source current and a domain-wall state.
std::vector<UnknownInfo> dividerUnknowns() {
  return {{"0", UnknownKind::Voltage},
          {"in", UnknownKind::Voltage},
          {"out", UnknownKind::Voltage},
          {"i(v1)", UnknownKind::Current},
          {"n1#q", UnknownKind::State}};
}

std::vector<std::string> names(const std::vector<SelectedVector> &vectors) {
  std::vector<std::string> out;
  for (const auto &v : vectors) {
    out.push_back(v.info.name);
  }
  return out;
}

VectorRequest request(std::vector<std::string> outputs, DifferenceOutput differences) {
  VectorRequest r;
  r.differences = differences;
  for (auto &o : outputs) {
    r.outputs.push_back({std::move(o), {}});
  }
  return r;
}

// Records what a writer is told.
class RecordingWriter final : public PlotWriter {
public:
  void beginPlot(const PlotHeader &header) override { headers.push_back(header); }
  void addPoint(std::span<const double> values) override {
    points.emplace_back(values.begin(), values.end());
  }
  void endPlot() override { ++ended; }
  void finish() override { ++finished; }
  std::vector<PlotHeader> headers;
  std::vector<std::vector<double>> points;
  int ended = 0;
  int finished = 0;
};

} // namespace

TEST_CASE("vector selection: every unknown by default, named as ngspice names them") {
  const auto unknowns = dividerUnknowns();
  const auto selected = selectVectors(unknowns, VectorRequest{});
  CHECK(names(selected) == std::vector<std::string>{"v(in)", "v(out)", "i(v1)", "n1#q"});
  CHECK(selected[0].info.type == VectorType::Voltage);
  CHECK(selected[2].info.type == VectorType::Current);
  CHECK(selected[3].info.type == VectorType::NoType);
  CHECK(selected[1].plus == 2);
  CHECK(selected[1].minus == 0);
}

TEST_CASE("vector selection: .save restricts and orders; v(a,b) saves both nodes") {
  const auto unknowns = dividerUnknowns();
  CHECK(names(selectVectors(unknowns, request({"i(v1)", "v(out)"}, DifferenceOutput::BothNodes))) ==
        std::vector<std::string>{"i(v1)", "v(out)"});
  CHECK(names(selectVectors(unknowns, request({"v(in,out)", "i(v1)"}, DifferenceOutput::BothNodes))) ==
        std::vector<std::string>{"v(in)", "v(out)", "i(v1)"});
  CHECK(names(selectVectors(unknowns, request({"v(out,0)"}, DifferenceOutput::BothNodes))) ==
        std::vector<std::string>{"v(out)"});
  // Bare names: a node or a device state; duplicates are dropped.
  CHECK(names(selectVectors(unknowns, request({"out", "n1#q", "v(out)"}, DifferenceOutput::BothNodes))) ==
        std::vector<std::string>{"v(out)", "n1#q"});
  CHECK(names(selectVectors(unknowns, request({"v(out)", "all"}, DifferenceOutput::BothNodes))) ==
        std::vector<std::string>{"v(out)", "v(in)", "i(v1)", "n1#q"});
}

TEST_CASE("vector selection: .print shows v(a,b) as one difference column") {
  const auto unknowns = dividerUnknowns();
  const auto selected =
      selectVectors(unknowns, request({"v(in,out)", "v(0)"}, DifferenceOutput::DifferenceColumn));
  REQUIRE(selected.size() == 2);
  CHECK(selected[0].info.name == "v(in,out)");
  CHECK(selected[0].plus == 1);
  CHECK(selected[0].minus == 2);
  CHECK(selected[1].info.name == "v(0)");
  CHECK(selected[1].plus == 0);
}

TEST_CASE("vector selection: unknown names are user errors at the request") {
  const auto unknowns = dividerUnknowns();
  auto src = std::make_shared<SourceFile>();
  src->path = "deck.cir";
  src->addLine("t");
  src->addLine(".save v(nowhere)");
  VectorRequest bad;
  bad.outputs.push_back({"v(nowhere)", SourceLoc{src.get(), 2, 7}});
  try {
    (void)selectVectors(unknowns, bad);
    FAIL("expected a UserError");
  } catch (const UserError &e) {
    CHECK(std::string(e.what()).starts_with("deck.cir:2:7: error: cannot output 'v(nowhere)': no node"));
  }
  CHECK_THROWS_AS((void)selectVectors(unknowns, request({"i(r1)"}, DifferenceOutput::BothNodes)), UserError);
  CHECK_THROWS_AS((void)selectVectors(unknowns, request({"v(in,zz)"}, DifferenceOutput::DifferenceColumn)),
                  UserError);
  CHECK_THROWS_AS((void)selectVectors(unknowns, request({"@r1[i]"}, DifferenceOutput::BothNodes)), UserError);
  CHECK_THROWS_AS((void)selectVectors(unknowns, request({"q"}, DifferenceOutput::BothNodes)), UserError);
  // i(...) must name a current: a node called like that is not one.
  CHECK_THROWS_AS((void)selectVectors(unknowns, request({"i(out)"}, DifferenceOutput::BothNodes)), UserError);
}

TEST_CASE("vector selection: .save and .print cards from the circuit spec") {
  std::vector<OutputRequest> saves{{"", {"v(out)"}, {}}, {"", {"i(v1)", "v(in)"}, {}}};
  const VectorRequest save = saveRequest(saves);
  CHECK(save.outputs.size() == 3);
  CHECK(save.differences == DifferenceOutput::BothNodes);
  CHECK(saveRequest({}).outputs.empty());

  std::vector<OutputRequest> prints{{"tran", {"v(out)"}, {}}, {"dc", {"v(in)"}, {}}, {"tran", {"i(v1)"}, {}}};
  const auto tran = printRequest(prints, PlotKind::Transient);
  REQUIRE(tran.has_value());
  REQUIRE(tran->outputs.size() == 2);
  CHECK(tran->outputs[1].name == "i(v1)");
  CHECK(tran->differences == DifferenceOutput::DifferenceColumn);
  CHECK(printRequest(prints, PlotKind::DcSweep)->outputs.size() == 1);
  CHECK_FALSE(printRequest(prints, PlotKind::OperatingPoint).has_value());
}

TEST_CASE("recorder: scale first, selected values per point, one channel per writer") {
  const auto unknowns = dividerUnknowns();
  RecordingWriter all, printed, opOnly;
  OutputRecorder recorder("divider test");
  recorder.setDate(dwspice::testing::kFixedDate);
  recorder.attach(all, VectorRequest{});
  recorder.attach(printed, request({"v(in,out)", "i(v1)"}, DifferenceOutput::DifferenceColumn),
                  PlotKind::Transient);
  recorder.attach(opOnly, VectorRequest{}, PlotKind::OperatingPoint);
  recorder.checkRequests(unknowns);

  recorder.beginPlot(std::span<const UnknownInfo>(unknowns),
                     PlotInfo{PlotKind::Transient, "Transient Analysis", "time"});
  const std::vector<double> x0{0.0, 10.0, 4.0, -6e-3, 1e-9};
  const std::vector<double> x1{0.0, 8.0, 3.0, -5e-3, 2e-9};
  recorder.addPoint(0.0, x0);
  recorder.addPoint(1e-9, x1);
  recorder.endPlot();
  recorder.finish();

  REQUIRE(all.headers.size() == 1);
  const PlotHeader &h = all.headers[0];
  CHECK(h.title == "divider test");
  CHECK(h.plotName == "Transient Analysis");
  CHECK(h.date == dwspice::testing::kFixedDate);
  CHECK(h.hasScale);
  REQUIRE(h.vectors.size() == 5);
  CHECK(h.vectors[0].name == "time");
  CHECK(h.vectors[0].type == VectorType::Time);
  CHECK(all.points ==
        std::vector<std::vector<double>>{{0.0, 10.0, 4.0, -6e-3, 1e-9}, {1e-9, 8.0, 3.0, -5e-3, 2e-9}});
  CHECK(all.ended == 1);
  CHECK(all.finished == 1);

  REQUIRE(printed.headers.size() == 1);
  CHECK(printed.headers[0].vectors.size() == 3);
  CHECK(printed.points == std::vector<std::vector<double>>{{0.0, 6.0, -6e-3}, {1e-9, 5.0, -5e-3}});

  CHECK(opOnly.headers.empty()); // not a transient writer
  CHECK(opOnly.points.empty());
  CHECK(recorder.pointCount() == 2);
}

TEST_CASE("recorder: operating point has no scale; DC sweep scale named as ngspice") {
  const auto unknowns = dividerUnknowns();
  RecordingWriter writer;
  OutputRecorder recorder("t");
  recorder.attach(writer, request({"v(out)"}, DifferenceOutput::BothNodes));
  recorder.beginPlot(std::span<const UnknownInfo>(unknowns),
                     PlotInfo{PlotKind::OperatingPoint, "Operating Point", ""});
  recorder.addPoint(0.0, std::vector<double>{0.0, 10.0, 5.0, -5e-3, 0.0});
  // beginPlot while a plot is open ends the previous one first.
  recorder.beginPlot(std::span<const UnknownInfo>(unknowns),
                     PlotInfo{PlotKind::DcSweep, "DC transfer characteristic", "v-sweep"});
  recorder.addPoint(2.0, std::vector<double>{0.0, 2.0, 1.0, -1e-3, 0.0});
  recorder.finish();
  REQUIRE(writer.headers.size() == 2);
  CHECK_FALSE(writer.headers[0].hasScale);
  CHECK(writer.headers[0].vectors.size() == 1);
  CHECK(writer.points[0] == std::vector<double>{5.0});
  CHECK(writer.headers[1].vectors[0].name == "v(v-sweep)");
  CHECK(writer.headers[1].vectors[0].type == VectorType::Voltage);
  CHECK(writer.points[1] == std::vector<double>{2.0, 1.0});
  CHECK(writer.ended == 2);
  CHECK(!writer.headers[0].date.empty());

  CHECK(scaleVector({PlotKind::DcSweep, "", "i-sweep"})->name == "i(i-sweep)");
  CHECK(scaleVector({PlotKind::DcSweep, "", "i-sweep"})->type == VectorType::Current);
  CHECK(scaleVector({PlotKind::Transient, "", "time"})->type == VectorType::Time);
  CHECK_FALSE(scaleVector({PlotKind::OperatingPoint, "", ""}).has_value());
}

TEST_CASE("recorder: a bad .save is found before any analysis runs") {
  const auto unknowns = dividerUnknowns();
  RecordingWriter writer;
  OutputRecorder recorder("t");
  recorder.attach(writer, request({"v(missing)"}, DifferenceOutput::BothNodes));
  CHECK_THROWS_AS(recorder.checkRequests(unknowns), UserError);
  CHECK(writer.headers.empty());
}

TEST_CASE("recorder: a solution shorter than the circuit is an internal error") {
  const auto unknowns = dividerUnknowns();
  RecordingWriter writer;
  OutputRecorder recorder("t");
  recorder.attach(writer, VectorRequest{});
  recorder.beginPlot(std::span<const UnknownInfo>(unknowns),
                     PlotInfo{PlotKind::OperatingPoint, "Operating Point", ""});
  CHECK_THROWS_AS(recorder.addPoint(0.0, std::vector<double>{0.0, 1.0}), std::logic_error);
  CHECK_THROWS_AS(OutputRecorder("t").addPoint(0.0, std::vector<double>{0.0}), std::logic_error);
}

TEST_CASE("vector selection: each parsed .save/.print name keeps its own column") {
  const CircuitSpec spec =
      frontend_test::load("t\nv1 a 0 1\nr1 a 0 1k\n.save v(a) v(zz)\n.print op i(v1)  v(a)\n");
  const VectorRequest save = saveRequest(spec.saves);
  REQUIRE(save.outputs.size() == 2);
  CHECK(save.outputs[0].loc.column == 7);
  CHECK(save.outputs[1].loc.column == 12);
  const auto print = printRequest(spec.prints, PlotKind::OperatingPoint);
  REQUIRE(print.has_value());
  REQUIRE(print->outputs.size() == 2);
  CHECK(print->outputs[1].loc.column == 18);
}
