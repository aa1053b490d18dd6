#include "test_analysis_devices.hpp"

#include "core/device_registry.hpp"

#include <cmath>
#include <map>
#include <memory>

namespace dwspice::analysistest {

const ModelSpec *testModel(const std::string &type) {
  static std::map<std::string, std::unique_ptr<ModelSpec>> models;
  auto &slot = models[type];
  if (!slot) {
    slot = std::make_unique<ModelSpec>();
    slot->name = type;
    slot->type = type;
  }
  return slot.get();
}

namespace {

double firstValue(const InstanceSpec &spec, double fallback = 0.0) {
  for (const CardArg &arg : spec.args) {
    if (arg.kind == CardArg::Kind::Value) {
      return arg.value;
    }
  }
  return fallback;
}

double assigned(const InstanceSpec &spec, const std::string &name, double fallback) {
  for (const CardArg &arg : spec.args) {
    if (arg.kind == CardArg::Kind::Assign && arg.name == name) {
      return arg.value;
    }
  }
  return fallback;
}

// Two-terminal base: terminals a, b and the four entries between them.
class TwoTerminal : public Device {
public:
  explicit TwoTerminal(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), a_(ctx.terminals[0]), b_(ctx.terminals[1]) {}
  void setupMatrix(MatrixBuilder &builder) override {
    builder.entry(a_, a_, &aa_);
    builder.entry(a_, b_, &ab_);
    builder.entry(b_, a_, &ba_);
    builder.entry(b_, b_, &bb_);
  }

protected:
  [[nodiscard]] double voltage(const LoadContext &ctx) const {
    return ctx.x[static_cast<size_t>(a_)] - ctx.x[static_cast<size_t>(b_)];
  }
  void stampConductance(LoadTarget &out, double g) const {
    out.addG(aa_, g);
    out.addG(ab_, -g);
    out.addG(ba_, -g);
    out.addG(bb_, g);
  }
  void stampCapacitance(LoadTarget &out, double c) const {
    out.addC(aa_, c);
    out.addC(ab_, -c);
    out.addC(ba_, -c);
    out.addC(bb_, c);
  }
  int a_, b_;
  MatrixSlot aa_ = 0, ab_ = 0, ba_ = 0, bb_ = 0;
};

class TestResistor final : public TwoTerminal {
public:
  explicit TestResistor(const DeviceBuildContext &ctx)
      : TwoTerminal(ctx), g_(1.0 / firstValue(ctx.spec, 1.0)) {}
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double i = g_ * voltage(ctx);
    out.addF(a_, i);
    out.addF(b_, -i);
    stampConductance(out, g_);
  }
  [[nodiscard]] bool isLinear() const override { return true; }

private:
  double g_;
};

class TestCapacitor final : public TwoTerminal {
public:
  explicit TestCapacitor(const DeviceBuildContext &ctx) : TwoTerminal(ctx), c_(firstValue(ctx.spec)) {}
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double q = c_ * voltage(ctx);
    out.addQ(a_, q);
    out.addQ(b_, -q);
    stampCapacitance(out, c_);
  }
  [[nodiscard]] bool isLinear() const override { return true; }

private:
  double c_;
};

class TestDiode final : public TwoTerminal {
public:
  explicit TestDiode(const DeviceBuildContext &ctx)
      : TwoTerminal(ctx), is_(assigned(ctx.spec, "is", 1e-14)), vt_(assigned(ctx.spec, "n", 1.0) * 0.025852) {
  }
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double e = std::exp(std::min(voltage(ctx) / vt_, 700.0));
    const double i = is_ * (e - 1.0);
    out.addF(a_, i);
    out.addF(b_, -i);
    stampConductance(out, is_ * e / vt_);
  }

private:
  double is_, vt_;
};

class TestSquareSource final : public TwoTerminal {
public:
  explicit TestSquareSource(const DeviceBuildContext &ctx)
      : TwoTerminal(ctx), k_(assigned(ctx.spec, "k", 1.0)) {}
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double v = voltage(ctx);
    out.addF(a_, -k_ * v * v); // k·v² flows into a
    out.addF(b_, k_ * v * v);
    stampConductance(out, -2 * k_ * v);
  }

private:
  double k_;
};

// A conductance that exists only at DC (and, with after=, in the transient
// until that time): the transient then sees an isolated node.
class TestDcOnlyResistor final : public TwoTerminal {
public:
  explicit TestDcOnlyResistor(const DeviceBuildContext &ctx)
      : TwoTerminal(ctx), g_(1.0 / firstValue(ctx.spec, 1.0)), after_(assigned(ctx.spec, "after", -1.0)) {}
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double g = ctx.mode == AnalysisMode::Transient && ctx.time > after_ ? 0.0 : g_;
    out.addF(a_, g * voltage(ctx));
    out.addF(b_, -g * voltage(ctx));
    stampConductance(out, g);
  }

private:
  double g_, after_;
};

class TestCurrentSource final : public Device, public SweepableSource {
public:
  explicit TestCurrentSource(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), a_(ctx.terminals[0]), b_(ctx.terminals[1]),
        i_(firstValue(ctx.spec)) {}
  void setupMatrix(MatrixBuilder & /*builder*/) override {}
  void load(const LoadContext & /*ctx*/, LoadTarget & /*out*/) override {}
  void loadExcitation(const LoadContext &ctx, LoadTarget &out) override {
    // Current flows from a through the source to b: it leaves node a.
    out.addB(a_, -i_ * ctx.sourceFactor);
    out.addB(b_, i_ * ctx.sourceFactor);
  }
  [[nodiscard]] bool isLinear() const override { return true; }
  [[nodiscard]] double dcValue() const override { return i_; }
  void setDcValue(double value) override { i_ = value; }

private:
  int a_, b_;
  double i_;
};

// Branch-current element: v(a) − v(b) − L·di/dt = value(t) (L = 0 for a source).
class TestBranch : public Device {
public:
  explicit TestBranch(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), a_(ctx.terminals[0]), b_(ctx.terminals[1]) {}
  void setupUnknowns(UnknownAllocator &alloc) override {
    branch_ = alloc.addUnknown("i(" + name() + ")", UnknownKind::Current);
  }
  void setupMatrix(MatrixBuilder &builder) override {
    builder.entry(a_, branch_, &ak_);
    builder.entry(b_, branch_, &bk_);
    builder.entry(branch_, a_, &ka_);
    builder.entry(branch_, b_, &kb_);
    builder.entry(branch_, branch_, &kk_);
  }
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const double i = ctx.x[static_cast<size_t>(branch_)];
    out.addF(a_, i);
    out.addF(b_, -i);
    out.addF(branch_, ctx.x[static_cast<size_t>(a_)] - ctx.x[static_cast<size_t>(b_)]);
    out.addQ(branch_, -inductance_ * i);
    out.addG(ak_, 1.0);
    out.addG(bk_, -1.0);
    out.addG(ka_, 1.0);
    out.addG(kb_, -1.0);
    out.addC(kk_, -inductance_);
  }
  [[nodiscard]] bool isLinear() const override { return true; }
  void idealVoltageEdges(std::vector<std::pair<int, int>> &edges) const override {
    edges.emplace_back(a_, b_);
  }

protected:
  int a_, b_, branch_ = 0;
  double inductance_ = 0.0;
  MatrixSlot ak_ = 0, bk_ = 0, ka_ = 0, kb_ = 0, kk_ = 0;
};

class TestInductor final : public TestBranch {
public:
  explicit TestInductor(const DeviceBuildContext &ctx) : TestBranch(ctx) {
    inductance_ = firstValue(ctx.spec);
  }
};

class TestVoltageSource final : public TestBranch, public SweepableSource, public BranchCurrentOwner {
public:
  explicit TestVoltageSource(const DeviceBuildContext &ctx) : TestBranch(ctx), value_(firstValue(ctx.spec)) {
    for (const CardArg &arg : ctx.spec.args) {
      if (arg.kind == CardArg::Kind::Group && arg.name == "pulse") {
        pulse_ = arg.values;
        pulse_.resize(7, 0.0);
        value_ = pulse_[0];
      }
    }
  }
  void loadExcitation(const LoadContext &ctx, LoadTarget &out) override {
    out.addB(branch_, valueAt(ctx.mode == AnalysisMode::Transient ? ctx.time : 0.0) * ctx.sourceFactor);
  }
  void breakpoints(double tstop, std::vector<double> &times) const override {
    if (pulse_.empty()) {
      return;
    }
    const double td = pulse_[2], tr = pulse_[3], tf = pulse_[4], pw = pulse_[5], per = pulse_[6];
    for (double start = td; start <= tstop; start += per) {
      for (double t : {start, start + tr, start + tr + pw, start + tr + pw + tf}) {
        times.push_back(t);
      }
      if (per <= 0) {
        break;
      }
    }
  }
  [[nodiscard]] double dcValue() const override { return value_; }
  void setDcValue(double value) override { value_ = value; }
  [[nodiscard]] int branchIndex() const override { return branch_; }

private:
  [[nodiscard]] double valueAt(double t) const {
    if (pulse_.empty()) {
      return value_;
    }
    const double v1 = pulse_[0], v2 = pulse_[1], td = pulse_[2], tr = pulse_[3], tf = pulse_[4],
                 pw = pulse_[5], per = pulse_[6];
    if (t <= td) {
      return v1;
    }
    double local = t - td;
    if (per > 0) {
      local = std::fmod(local, per);
    }
    if (local < tr) {
      return v1 + (v2 - v1) * local / tr;
    }
    if (local < tr + pw) {
      return v2;
    }
    if (local < tr + pw + tf) {
      return v2 + (v1 - v2) * (local - tr - pw) / tf;
    }
    return v1;
  }
  double value_;
  std::vector<double> pulse_;
};

template <class T> DeviceDescriptor describe(const std::string &type, int terminals) {
  return DeviceDescriptor{
      'y',
      type,
      terminals,
      0,
      "analysis test device " + type,
      [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> { return std::make_unique<T>(ctx); }};
}

const DeviceRegistration registrations[] = {
    DeviceRegistration{describe<TestResistor>("tr", 2)},
    DeviceRegistration{describe<TestCapacitor>("tc", 2)},
    DeviceRegistration{describe<TestInductor>("tl", 2)},
    DeviceRegistration{describe<TestVoltageSource>("tv", 2)},
    DeviceRegistration{describe<TestCurrentSource>("ti", 2)},
    DeviceRegistration{describe<TestDiode>("td", 2)},
    DeviceRegistration{describe<TestSquareSource>("tsq", 2)},
    DeviceRegistration{describe<TestDcOnlyResistor>("tdc", 2)},
};

} // namespace

} // namespace dwspice::analysistest
