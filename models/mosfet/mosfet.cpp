// M element, level 1: `Mname d g s b model [l=…] [w=…] [ad=…] [as=…] [pd=…]
// [ps=…] [nrd=…] [nrs=…] [m=…] [off]` with `.model name nmos|pmos(…)`.
//
// RD/RS (or RSH·NRD/NRS) put internal nodes "<name>#drain"/"<name>#source"
// between the terminals and the channel, as ngspice does.
//
// Charges: the bulk junctions have closed-form depletion charges (q and
// C = dq/dv consistent). Meyer's gate capacitances are not derivatives of
// any charge; they are stamped as exact C entries, with q written as the
// local linear charge C(x)·v of each gate branch. The transient engine only
// uses C(x)·x', so what it integrates is Meyer's i = C(v)·dv/dt, the model
// SPICE implements (ngspice averages C over the step; see
// docs/devices-semiconductor.md). The finite-difference C check therefore
// exempts exactly these three capacitances and checks them against Meyer's
// formulas instead.
//
// Newton limiting as in MOS1load (fetlim on vgs or vgd, limvds on vds,
// pnjlim on the forward-most junction), reported as the linearisation about
// the limited voltages evaluated at the actual x (see diode.cpp).
#include "core/build_cache.hpp"
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "diode/junction.hpp"
#include "mosfet/mos1_model.hpp"

#include <algorithm>
#include <array>
#include <fmt/core.h>
#include <limits>
#include <memory>

namespace dwspice {

namespace {

using semi::Mos1AtTemp;
using semi::Mos1InstanceParams;
using semi::Mos1ModelParams;

// Local terminal order inside the channel.
enum Local { kDrain = 0, kGate = 1, kSource = 2, kBulk = 3 };

// Type-frame branch voltages (NMOS sign convention).
struct FrameVoltages {
  double vgs = 0.0, vds = 0.0, vbs = 0.0;
};

class Mosfet final : public Device {
public:
  explicit Mosfet(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), drain_(ctx.terminals[0]), gate_(ctx.terminals[1]),
        source_(ctx.terminals[2]), bulk_(ctx.terminals[3]), drainPrime_(drain_), sourcePrime_(source_),
        defaultGmin_(ctx.options.gmin) {
    if (ctx.spec.model == nullptr) {
      throw UserError(ctx.spec.loc, fmt::format("MOSFET '{}' needs a model", ctx.spec.name));
    }
    const ModelSpec &model = *ctx.spec.model;
    const auto read = [&] { return semi::readMos1Model(model, ctx.options); };
    // One copy per model in a circuit build (the options are the build's).
    sharedModel_ =
        ctx.cache != nullptr
            ? ctx.cache->share<Mos1ModelParams>(fmt::format("{}", static_cast<const void *>(&model)), read)
            : std::make_shared<const Mos1ModelParams>(read());
    readInstance(ctx.spec);
    atTemp_ = semi::mos1AtTemperature(modelParams(), inst_, ctx.options.temp + 273.15);
    // Without TOX and junction capacitances only the overlap capacitances
    // remain: constant at every bias (and zero-valued parameters stay zero
    // at every temperature).
    constantCharges_ = atTemp_.oxideCap == 0.0 && atTemp_.czbd == 0.0 && atTemp_.czbdsw == 0.0 &&
                       atTemp_.czbs == 0.0 && atTemp_.czbssw == 0.0;
  }

  [[nodiscard]] bool hasConstantCharges() const override { return constantCharges_; }

  void setupUnknowns(UnknownAllocator &alloc) override {
    if (atTemp_.drainConductance > 0.0) {
      drainPrime_ = alloc.addUnknown(name() + "#drain", UnknownKind::Voltage);
    }
    if (atTemp_.sourceConductance > 0.0) {
      sourcePrime_ = alloc.addUnknown(name() + "#source", UnknownKind::Voltage);
    }
  }

  void setupMatrix(MatrixBuilder &builder) override {
    const std::array<int, 4> nodes = localNodes();
    for (size_t r = 0; r < 4; ++r) {
      for (size_t c = 0; c < 4; ++c) {
        builder.entry(nodes[r], nodes[c], &slots_[r][c]);
      }
    }
    if (drainPrime_ != drain_) {
      builder.entry(drain_, drain_, &drainSlots_[0]);
      builder.entry(drain_, drainPrime_, &drainSlots_[1]);
      builder.entry(drainPrime_, drain_, &drainSlots_[2]);
    }
    if (sourcePrime_ != source_) {
      builder.entry(source_, source_, &sourceSlots_[0]);
      builder.entry(source_, sourcePrime_, &sourceSlots_[1]);
      builder.entry(sourcePrime_, source_, &sourceSlots_[2]);
    }
  }

  [[nodiscard]] bool hasExcitation() const override { return false; } // no b(t): all in load()
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const Mos1AtTemp &t = atTemperature(ctx.temperature);
    const Mos1ModelParams &model = modelParams();
    // Junction gmin: the analyses pass the total in ctx.gmin (options.gmin,
    // or more while stepping); a bare context (ctx.gmin = 0) still gets
    // options.gmin, as every SPICE junction has CKTgmin in parallel.
    const double gmin = std::max(ctx.gmin, ctx.options != nullptr ? ctx.options->gmin : defaultGmin_);
    const double type = model.type;

    const bool chargesHeld = constantCharges_ && ctx.constantChargesHeld;
    if (sourcePrime_ == bulk_ && chargesHeld && !ctx.limiting && !ctx.initJunctions) {
      loadWithBulkOnSource(ctx, out, t, gmin);
      return;
    }
    const FrameVoltages actual = frameVoltages(ctx.x);
    FrameVoltages v = actual;
    if (ctx.initJunctions) {
      // SPICE's MODEINITJCT: channel at threshold, junctions reverse biased.
      v = inst_.off ? FrameVoltages{} : FrameVoltages{type * t.vtoAtTemp, 0.0, -1.0};
    } else if (ctx.limiting) {
      v = limit(actual, t);
    }

    const semi::Mos1Channel channel = semi::mos1Channel(model, t, v.vgs, v.vds, v.vbs);
    const double vbd = v.vbs - v.vds;
    const semi::Mos1Junction bs = semi::mos1Junction(model, t, v.vbs, t.sourceSatCur, t.czbs, t.czbssw, gmin);
    const semi::Mos1Junction bd = semi::mos1Junction(model, t, vbd, t.drainSatCur, t.czbd, t.czbdsw, gmin);
    const semi::MeyerCaps meyer = semi::mos1MeyerCaps(t, channel, v.vgs, v.vds, v.vbs);
    if (ctx.initJunctions || ctx.limiting) {
      last_ = v;
      lastVon_ = channel.von;
      lastVonKnown_ = true;
    }
    const bool moved = v.vgs != actual.vgs || v.vds != actual.vds || v.vbs != actual.vbs;
    if (moved && ctx.limitedDevices != nullptr) {
      ++*ctx.limitedDevices; // SPICE's noncon: this iterate cannot be the answer yet
    }

    // Deviations of the actual point from the evaluation point (zero unless
    // limiting moved it): f is the linearisation evaluated at the actual x.
    const double dVgs = actual.vgs - v.vgs;
    const double dVds = actual.vds - v.vds;
    const double dVbs = actual.vbs - v.vbs;
    const double dVbd = dVbs - dVds;

    // Branch currents and charges at the actual point (type frame): the
    // channel drain' → source', the junctions bulk → source' and bulk →
    // drain', and the gate capacitances (Meyer + overlap) as local linear
    // charges C·v.
    const double ids = channel.ids + channel.dVgs * dVgs + channel.dVds * dVds + channel.dVbs * dVbs;
    const double ibs = bs.i + bs.g * dVbs;
    const double ibd = bd.i + bd.g * dVbd;
    const double qbs = bs.q + bs.c * dVbs;
    const double qbd = bd.q + bd.c * dVbd;
    const double qgs = meyer.cgs * actual.vgs;
    const double qgd = meyer.cgd * (actual.vgs - actual.vds);
    const double qgb = meyer.cgb * (actual.vgs - actual.vbs);
    const double gm = channel.dVgs, gds = channel.dVds, gmbs = channel.dVbs;
    const double cgs = meyer.cgs, cgd = meyer.cgd, cgb = meyer.cgb;

    // Written out rather than accumulated in a dense 4x4 (this is the
    // hottest device of a driver-heavy circuit). f = type·I(type·v), so the
    // currents carry the type and their derivatives do not. The gate draws
    // no current, so its G row is zero; drain and source share no charge.
    const std::array<int, 4> nodes = localNodes();
    out.addF(nodes[kDrain], type * (ids - ibd));
    out.addF(nodes[kSource], type * (-ids - ibs));
    out.addF(nodes[kBulk], type * (ibs + ibd));
    if (!chargesHeld) {
      out.addQ(nodes[kDrain], type * (-qbd - qgd));
      out.addQ(nodes[kGate], type * (qgs + qgd + qgb));
      out.addQ(nodes[kSource], type * (-qbs - qgs));
      out.addQ(nodes[kBulk], type * (qbs + qbd - qgb));
    }

    const auto g = [&](Local row, Local col, double value) { out.addG(slots_[row][col], value); };
    g(kDrain, kDrain, gds + bd.g);
    g(kDrain, kGate, gm);
    g(kDrain, kSource, -gm - gds - gmbs);
    g(kDrain, kBulk, gmbs - bd.g);
    g(kSource, kDrain, -gds);
    g(kSource, kGate, -gm);
    g(kSource, kSource, gm + gds + gmbs + bs.g);
    g(kSource, kBulk, -gmbs - bs.g);
    g(kBulk, kDrain, -bd.g);
    g(kBulk, kSource, -bs.g);
    g(kBulk, kBulk, bs.g + bd.g);

    stampResistor(ctx.x, out, drain_, drainPrime_, t.drainConductance, drainSlots_, slots_[kDrain][kDrain]);
    stampResistor(ctx.x, out, source_, sourcePrime_, t.sourceConductance, sourceSlots_,
                  slots_[kSource][kSource]);
    if (chargesHeld) {
      return;
    }
    const auto c = [&](Local row, Local col, double value) { out.addC(slots_[row][col], value); };
    c(kDrain, kDrain, bd.c + cgd);
    c(kDrain, kGate, -cgd);
    c(kDrain, kBulk, -bd.c);
    c(kGate, kDrain, -cgd);
    c(kGate, kGate, cgs + cgd + cgb);
    c(kGate, kSource, -cgs);
    c(kGate, kBulk, -cgb);
    c(kSource, kGate, -cgs);
    c(kSource, kSource, bs.c + cgs);
    c(kSource, kBulk, -bs.c);
    c(kBulk, kDrain, -bd.c);
    c(kBulk, kGate, -cgb);
    c(kBulk, kSource, -bs.c);
    c(kBulk, kBulk, bs.c + bd.c + cgb);
  }

  // load() for the common case of the bulk tied to the source (7 of the 9
  // MOSFETs of an MNIST hidden cell), with constant charges held and no
  // limiting: vbs is 0, so the source junction carries no current and its
  // conductance, like gmbs, cancels once the source and bulk rows and
  // columns are one; what is left is stamped once instead of in four
  // overlapping parts (the supply node's diagonal had taken four
  // read-modify-writes per MOSFET, the longest dependency chain of a load).
  void loadWithBulkOnSource(const LoadContext &ctx, LoadTarget &out, const Mos1AtTemp &t, double gmin) {
    const double type = modelParams().type;
    const FrameVoltages v = frameVoltages(ctx.x);
    const semi::Mos1Channel channel = semi::mos1Channel(modelParams(), t, v.vgs, v.vds, 0.0);
    const semi::Mos1Junction bd =
        semi::mos1Junction(modelParams(), t, -v.vds, t.drainSatCur, t.czbd, t.czbdsw, gmin);
    const double drainCurrent = type * (channel.ids - bd.i);
    out.addF(drainPrime_, drainCurrent);
    out.addF(sourcePrime_, -drainCurrent);
    const double gm = channel.dVgs, gds = channel.dVds + bd.g;
    out.addG(slots_[kDrain][kDrain], gds);
    out.addG(slots_[kDrain][kGate], gm);
    out.addG(slots_[kDrain][kSource], -gm - gds);
    out.addG(slots_[kSource][kDrain], -gds);
    out.addG(slots_[kSource][kGate], -gm);
    out.addG(slots_[kSource][kSource], gm + gds);
    stampResistor(ctx.x, out, drain_, drainPrime_, t.drainConductance, drainSlots_, slots_[kDrain][kDrain]);
  }

  [[nodiscard]] bool needsEveryTimeStep() const override { return false; } // a limiting pivot only
  // The threshold at the accepted point is fetlim's pivot, needed only when
  // a later Newton solve limits (not in a transient): limit() works it out
  // then, instead of every transient step evaluating the channel once more.
  void acceptStep(std::span<const double> x, double /*time*/) override {
    last_ = frameVoltages(x);
    lastVonKnown_ = false;
  }

private:
  void readInstance(const InstanceSpec &spec) {
    ParamReader reader(spec);
    for (const CardArg &arg : spec.args) {
      if (arg.kind == CardArg::Kind::Word && arg.name == "off") {
        inst_.off = true;
      } else if (arg.kind != CardArg::Kind::Assign) {
        throw UserError(arg.loc, fmt::format("MOSFET '{}': unexpected '{}' (expected name=value parameters "
                                             "l w ad as pd ps nrd nrs m, or off)",
                                             spec.name,
                                             arg.kind == CardArg::Kind::Value ? fmt::format("{:g}", arg.value)
                                                                              : arg.name));
      }
    }
    constexpr double kInf = std::numeric_limits<double>::infinity();
    inst_.l = reader.get("l", inst_.l, 1e-12, kInf);
    inst_.w = reader.get("w", inst_.w, 1e-12, kInf);
    inst_.ad = reader.get("ad", 0.0, 0.0, kInf);
    inst_.as = reader.get("as", 0.0, 0.0, kInf);
    inst_.pd = reader.get("pd", 0.0, 0.0, kInf);
    inst_.ps = reader.get("ps", 0.0, 0.0, kInf);
    inst_.nrd = reader.get("nrd", 1.0, 0.0, kInf);
    inst_.nrs = reader.get("nrs", 1.0, 0.0, kInf);
    inst_.m = reader.get("m", 1.0, 1e-12, 1e12);
    if (inst_.l - 2.0 * modelParams().ld <= 0.0) {
      throw UserError(reader.where("l"),
                      fmt::format("MOSFET '{}': effective channel length l - 2*ld = {:g} m is not positive",
                                  spec.name, inst_.l - 2.0 * modelParams().ld));
    }
    reader.finish();
  }

  [[nodiscard]] std::array<int, 4> localNodes() const { return {drainPrime_, gate_, sourcePrime_, bulk_}; }

  [[nodiscard]] FrameVoltages frameVoltages(std::span<const double> x) const {
    const double type = modelParams().type;
    const double vs = x[static_cast<size_t>(sourcePrime_)];
    return {type * (x[static_cast<size_t>(gate_)] - vs), type * (x[static_cast<size_t>(drainPrime_)] - vs),
            type * (x[static_cast<size_t>(bulk_)] - vs)};
  }

  // MOS1load's limiting: the gate voltage of the side that currently acts
  // as source is held by fetlim around the last threshold, vds by limvds,
  // and the junction that may be forward biased by pnjlim.
  [[nodiscard]] FrameVoltages limit(const FrameVoltages &in, const Mos1AtTemp &t) const {
    double vgs = in.vgs, vds = in.vds, vbs = in.vbs;
    double vgd = vgs - vds;
    const double lastVon =
        lastVonKnown_ ? lastVon_ : semi::mos1Channel(modelParams(), t, last_.vgs, last_.vds, last_.vbs).von;
    bool changed = false;
    const double vgdOld = last_.vgs - last_.vds;
    if (last_.vds >= 0.0) {
      const double vgsLimited = semi::fetlim(vgs, last_.vgs, lastVon);
      changed = vgsLimited != vgs;
      vgs = vgsLimited;
      vds = vgs - vgd;
      const double vdsLimited = semi::limvds(vds, last_.vds);
      changed = changed || vdsLimited != vds;
      vds = vdsLimited;
    } else {
      const double vgdLimited = semi::fetlim(vgd, vgdOld, lastVon);
      changed = vgdLimited != vgd;
      vgd = vgdLimited;
      vds = vgs - vgd;
      const double vdsLimited = -semi::limvds(-vds, -last_.vds);
      changed = changed || vdsLimited != vds;
      vds = vdsLimited;
      vgs = vgd + vds;
    }
    if (!changed) {
      // Keep x's own values: recombining vgs − vgd can differ from vds in
      // the last bit, which must not count as limiting.
      vgs = in.vgs;
      vds = in.vds;
    }
    bool limited = false;
    if (vds >= 0.0) {
      vbs = semi::pnjlim(vbs, last_.vbs, t.vt, t.sourceVcrit, limited);
    } else {
      const double vbd = semi::pnjlim(vbs - vds, last_.vbs - last_.vds, t.vt, t.drainVcrit, limited);
      if (limited) {
        vbs = vbd + vds;
      }
    }
    return {vgs, vds, vbs};
  }

  static void stampResistor(std::span<const double> x, LoadTarget &out, int outer, int inner, double g,
                            const std::array<MatrixSlot, 3> &slots, MatrixSlot innerDiagonal) {
    if (outer == inner) {
      return;
    }
    const double i = g * (x[static_cast<size_t>(outer)] - x[static_cast<size_t>(inner)]);
    out.addF(outer, i);
    out.addF(inner, -i);
    out.addG(slots[0], g);
    out.addG(slots[1], -g);
    out.addG(slots[2], -g);
    out.addG(innerDiagonal, g);
  }

  const Mos1AtTemp &atTemperature(double kelvin) {
    if (kelvin != atTemp_.kelvin) {
      atTemp_ = semi::mos1AtTemperature(modelParams(), inst_, kelvin);
    }
    return atTemp_;
  }

  [[nodiscard]] const Mos1ModelParams &modelParams() const { return *sharedModel_; }

  int drain_, gate_, source_, bulk_, drainPrime_, sourcePrime_;
  double defaultGmin_; // options.gmin, for a context without options
  std::shared_ptr<const Mos1ModelParams> sharedModel_;
  Mos1InstanceParams inst_;
  Mos1AtTemp atTemp_;
  FrameVoltages last_;       // last voltages used (limited): SPICE's state0
  double lastVon_ = 0.0;     // threshold at last_ (type frame), fetlim's pivot
  bool lastVonKnown_ = true; // false after acceptStep(): limit() evaluates it at last_
  bool constantCharges_ = false;
  std::array<std::array<MatrixSlot, 4>, 4> slots_{};
  std::array<MatrixSlot, 3> drainSlots_{}, sourceSlots_{};
};

std::unique_ptr<Device> makeMosfet(const DeviceBuildContext &ctx) {
  return std::make_unique<Mosfet>(ctx);
}

const DeviceRegistration nmosRegistration{{
    .letter = 'm',
    .modelType = "nmos",
    .terminals = 4,
    .references = 0,
    .summary = "n-channel MOSFET, level 1 (Shichman-Hodges, Meyer capacitances, bulk junctions)",
    .create = makeMosfet,
}};

const DeviceRegistration pmosRegistration{{
    .letter = 'm',
    .modelType = "pmos",
    .terminals = 4,
    .references = 0,
    .summary = "p-channel MOSFET, level 1 (Shichman-Hodges, Meyer capacitances, bulk junctions)",
    .create = makeMosfet,
}};

} // namespace

} // namespace dwspice
