// I: independent current source.
//
//   Iname n+ n- [[DC] i] [AC mag [phase]] [PULSE|SIN|EXP|PWL …]
//
// As in ngspice, a positive value flows from n+ through the source to n−:
// it leaves the + node and is pushed into the − node of the external
// circuit (`I1 0 out 1m` drives 1 mA into `out`). KCL rows hold the
// currents leaving each node, so b(n+) −= I and b(n−) += I.
#include "core/device_registry.hpp"
#include "sources/source_function.hpp"

namespace dwspice::models {
namespace {

class CurrentSource final : public Device, public SweepableSource, public ScalableSource {
public:
  explicit CurrentSource(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), plus_(ctx.terminals[0]), minus_(ctx.terminals[1]),
        function_(ctx) {}

  void setupMatrix(MatrixBuilder & /*builder*/) override {} // no Jacobian entries: b(t) only
  void load(const LoadContext & /*ctx*/, LoadTarget & /*out*/) override {}
  void loadExcitation(const LoadContext &ctx, LoadTarget &out) override {
    const double current = function_.valueAt(ctx) * ctx.sourceFactor;
    out.addB(plus_, -current);
    out.addB(minus_, current);
    lastCurrent_ = current;
  }
  [[nodiscard]] bool isLinear() const override { return true; }
  void breakpoints(double tstop, std::vector<double> &times) const override {
    function_.breakpoints(tstop, times);
  }

  // Power delivered into the circuit: (v− − v+)·I, the current leaving the
  // source at n− times the voltage it rises by. The current is that of the
  // latest evaluation, which for an accepted point is at the point's time
  // (DeliveredPower has no time argument, and excitation depends on it).
  [[nodiscard]] double deliveredPower(std::span<const double> x) const override {
    return (x[static_cast<size_t>(minus_)] - x[static_cast<size_t>(plus_)]) * lastCurrent_;
  }
  // At a transient point the current is the waveform's value at that time:
  // exact also for points interpolated between steps.
  [[nodiscard]] double deliveredPowerAt(std::span<const double> x, double time) const override {
    return (x[static_cast<size_t>(minus_)] - x[static_cast<size_t>(plus_)]) * function_.transientValue(time);
  }

  [[nodiscard]] double dcValue() const override { return function_.dcValue(); }
  void setDcValue(double value) override { function_.setDcValue(value); }
  [[nodiscard]] double waveformScale() const override { return function_.scale(); }
  void setWaveformScale(double scale) override { function_.setScale(scale); }

private:
  int plus_, minus_;
  SourceFunction function_;
  double lastCurrent_ = 0.0;
};

const DeviceRegistration registration{{
    .letter = 'i',
    .modelType = "",
    .terminals = 2,
    .references = 0,
    .summary = "independent current source: Iname n+ n- [DC i] [AC mag] [PULSE|SIN|EXP|PWL(...)]",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<CurrentSource>(ctx);
    },
}};

} // namespace
} // namespace dwspice::models
