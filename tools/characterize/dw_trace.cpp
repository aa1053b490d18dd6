#include "dw_trace.hpp"

#include "analysis/analysis.hpp"
#include "core/circuit.hpp"
#include "elaborate/load_netlist.hpp"
#include "output/solution_observer.hpp"
#include "spintronic/dw_device.hpp"

#include <chrono>
#include <variant>

namespace dwspice::characterize {

namespace {

class DwRecorder final : public SolutionObserver {
public:
  explicit DwRecorder(DwTraces &traces) : traces_(traces) {}

  void beginPlot(const Circuit &circuit, const PlotInfo &plot) override {
    recording_ = plot.kind == PlotKind::Transient;
    devices_.clear();
    for (const auto &device : circuit.devices()) {
      if (const auto *dw = dynamic_cast<const spintronic::DwDevice *>(device.get()); dw != nullptr) {
        devices_.push_back(dw);
        if (traces_.byDevice.count(dw->name()) == 0) {
          traces_.order.push_back(dw->name());
        }
        traces_.byDevice[dw->name()];
      }
    }
  }
  void addPoint(double scale, std::span<const double> x) override {
    if (!recording_) {
      return;
    }
    for (const spintronic::DwDevice *dw : devices_) {
      traces_.byDevice[dw->name()].push_back(
          {scale, dw->heavyMetalCurrent(x) / dw->track().heavyMetalCrossSection(), dw->wallPosition(x),
           dw->readConductance(x), dw->wallAngle(x), dw->heavyMetalPower(x)});
    }
  }
  void endPlot() override { recording_ = false; }

private:
  DwTraces &traces_;
  bool recording_ = false;
  std::vector<const spintronic::DwDevice *> devices_;
};

DwTraces trace(const CircuitSpec &spec) {
  const auto start = std::chrono::steady_clock::now();
  DwTraces traces;
  Circuit circuit(spec);
  DwRecorder recorder(traces);
  for (const AnalysisSpec &analysis : spec.analyses) {
    if (std::holds_alternative<TranAnalysisSpec>(analysis.kind)) {
      runAnalysis(circuit, analysis, recorder, RunSettings{});
    }
  }
  traces.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return traces;
}

} // namespace

DwTraces traceNetlistFile(const std::filesystem::path &netlist) {
  return trace(loadNetlist(netlist));
}

DwTraces traceNetlistText(const std::string &text, const std::string &displayName) {
  return trace(loadNetlistText(text, displayName));
}

} // namespace dwspice::characterize
