// D element: `Dname anode cathode model [area] [off] [area=…] [ic=…]`.
//
// Series resistance RS gets an internal node "<name>#internal" between the
// anode and the junction (as ngspice names it). The junction carries the
// Shockley current with gmin in parallel, and the charge Qdep(v) + TT·I(v).
// When there is charge (CJO or TT > 0) it is the state unknown
// "<name>#charge" (coulombs) so that the integrator controls its error.
//
// Newton limiting: when ctx.limiting is set, the junction voltage is limited
// against the last limited value (pnjlim) and the device reports the
// linearisation about that limited point evaluated at the actual x,
//     f = I(vlim) + G(vlim)·(v − vlim),
// so that a plain Newton step x − J⁻¹F lands exactly where SPICE's
// companion-model step would. A limited evaluation increments
// *ctx.limitedDevices so that Newton does not stop on it.
#include "core/device_registry.hpp"
#include "core/param_reader.hpp"
#include "diode/diode_model.hpp"

#include <algorithm>
#include <fmt/core.h>
#include <optional>

namespace dwspice {

namespace {

using semi::DiodeAtTemp;
using semi::DiodeModelParams;

class Diode final : public Device {
public:
  explicit Diode(const DeviceBuildContext &ctx)
      : Device(ctx.spec.name, ctx.spec.loc), anode_(ctx.terminals[0]), cathode_(ctx.terminals[1]),
        junctionAnode_(anode_), options_(ctx.options) {
    if (ctx.spec.model == nullptr) {
      throw UserError(ctx.spec.loc, fmt::format("diode '{}' needs a model", ctx.spec.name));
    }
    model_ = semi::readDiodeModel(*ctx.spec.model, ctx.options);
    readInstance(ctx.spec);
    atTemp_ = semi::diodeAtTemperature(model_, area_, ctx.options.temp + 273.15, ctx.options.reltol);
  }

  void setupUnknowns(UnknownAllocator &alloc) override {
    if (atTemp_.seriesConductance > 0.0) {
      junctionAnode_ = alloc.addUnknown(name() + "#internal", UnknownKind::Voltage);
    }
    if (model_.cjo > 0.0 || model_.tt > 0.0) {
      charge_ = alloc.addUnknown(name() + "#charge", UnknownKind::Charge);
    }
  }

  void setupMatrix(MatrixBuilder &builder) override {
    builder.entry(junctionAnode_, junctionAnode_, &jAA_);
    builder.entry(junctionAnode_, cathode_, &jAK_);
    builder.entry(cathode_, junctionAnode_, &jKA_);
    builder.entry(cathode_, cathode_, &jKK_);
    if (charge_ != 0) {
      builder.entry(junctionAnode_, charge_, &qAS_);
      builder.entry(cathode_, charge_, &qKS_);
      builder.entry(charge_, charge_, &qSS_);
      builder.entry(charge_, junctionAnode_, &qSA_);
      builder.entry(charge_, cathode_, &qSK_);
    }
    if (junctionAnode_ != anode_) {
      builder.entry(anode_, anode_, &rAA_);
      builder.entry(anode_, junctionAnode_, &rAJ_);
      builder.entry(junctionAnode_, anode_, &rJA_);
    }
  }

  [[nodiscard]] bool hasExcitation() const override { return false; } // no b(t): all in load()
  void load(const LoadContext &ctx, LoadTarget &out) override {
    const DiodeAtTemp &t = atTemperature(ctx.temperature);
    const SimOptions &options = ctx.options != nullptr ? *ctx.options : options_;
    // Junction gmin: the analyses pass the total in ctx.gmin (options.gmin,
    // or more while stepping); a bare context (ctx.gmin = 0) still gets
    // options.gmin, as every SPICE junction has CKTgmin in parallel.
    const double gmin = std::max(ctx.gmin, options.gmin);

    const double vActual = ctx.x[static_cast<size_t>(junctionAnode_)] - ctx.x[static_cast<size_t>(cathode_)];
    double vd = vActual;
    if (ctx.initJunctions) {
      vd = off_ ? 0.0 : t.vcrit;
    } else if (ctx.limiting) {
      bool limited = false;
      vd = semi::limitDiodeVoltage(model_, t, vActual, lastVd_, limited);
    }
    if (ctx.initJunctions || ctx.limiting) {
      lastVd_ = vd; // the reference for the next limited iteration
    }
    if (vd != vActual && ctx.limitedDevices != nullptr) {
      ++*ctx.limitedDevices; // SPICE's noncon: this iterate cannot be the answer yet
    }

    const semi::JunctionCurrent junction = semi::diodeCurrent(model_, t, vd);
    const semi::JunctionCharge charge = semi::diodeCharge(model_, t, vd, junction);
    const double g = junction.g + gmin;
    const double i = junction.i + gmin * vd + g * (vActual - vd);
    const double q = charge.q + charge.c * (vActual - vd);

    out.addF(junctionAnode_, i);
    out.addF(cathode_, -i);
    out.addG(jAA_, g);
    out.addG(jAK_, -g);
    out.addG(jKA_, -g);
    out.addG(jKK_, g);
    if (charge_ != 0) {
      // The junction charge is an unknown of its own (coulombs), tied to the
      // junction by qs − Q(vd) = 0 and feeding the KCL rows through qs'. The
      // integrator then controls the error of the charge itself, as SPICE's
      // LTE does, not only of vd (which barely moves while stored charge
      // drains during reverse recovery).
      const double qs = ctx.x[static_cast<size_t>(charge_)];
      out.addQ(junctionAnode_, qs);
      out.addQ(cathode_, -qs);
      out.addC(qAS_, 1.0);
      out.addC(qKS_, -1.0);
      out.addF(charge_, qs - q);
      out.addG(qSS_, 1.0);
      out.addG(qSA_, -charge.c);
      out.addG(qSK_, charge.c);
    }
    if (junctionAnode_ != anode_) {
      const double gs = t.seriesConductance;
      const double is =
          gs * (ctx.x[static_cast<size_t>(anode_)] - ctx.x[static_cast<size_t>(junctionAnode_)]);
      out.addF(anode_, is);
      out.addF(junctionAnode_, -is);
      out.addG(rAA_, gs);
      out.addG(rAJ_, -gs);
      out.addG(rJA_, -gs);
      out.addG(jAA_, gs);
    }
  }

  [[nodiscard]] bool needsEveryTimeStep() const override { return false; } // a limiting pivot only
  void acceptStep(std::span<const double> x, double /*time*/) override {
    lastVd_ = x[static_cast<size_t>(junctionAnode_)] - x[static_cast<size_t>(cathode_)];
  }

  void applyInitialCondition(std::span<double> x) const override {
    if (ic_.has_value()) {
      // The junction voltage is fixed by moving the junction's anode side
      // (the internal node when RS > 0), or the cathode if the anode is ground.
      if (junctionAnode_ != 0) {
        x[static_cast<size_t>(junctionAnode_)] = x[static_cast<size_t>(cathode_)] + *ic_;
      } else if (cathode_ != 0) {
        x[static_cast<size_t>(cathode_)] = -*ic_;
      }
    }
    if (charge_ != 0) {
      // The stored charge starts consistent with the initial junction voltage.
      const double vd = x[static_cast<size_t>(junctionAnode_)] - x[static_cast<size_t>(cathode_)];
      const semi::JunctionCurrent junction = semi::diodeCurrent(model_, atTemp_, vd);
      x[static_cast<size_t>(charge_)] = semi::diodeCharge(model_, atTemp_, vd, junction).q;
    }
  }

private:
  void readInstance(const InstanceSpec &spec) {
    ParamReader reader(spec);
    bool positionalArea = false;
    for (const CardArg &arg : spec.args) {
      if (arg.kind == CardArg::Kind::Value && !positionalArea) {
        area_ = arg.value;
        positionalArea = true;
      } else if (arg.kind == CardArg::Kind::Word && arg.name == "off") {
        off_ = true;
      } else if (arg.kind != CardArg::Kind::Assign) {
        throw UserError(arg.loc, fmt::format("diode '{}': unexpected '{}' (expected [area] [off] [area=…] "
                                             "[ic=…])",
                                             spec.name,
                                             arg.kind == CardArg::Kind::Value ? fmt::format("{:g}", arg.value)
                                                                              : arg.name));
      }
    }
    if (reader.has("area")) {
      if (positionalArea) {
        throw UserError(reader.where("area"), fmt::format("diode '{}': area given twice", spec.name));
      }
      area_ = reader.get("area", 1.0);
    }
    // Parallel multiplier m: m identical diodes scale like area (ngspice
    // scales IS, CJO and 1/RS by area·m; IBV by m).
    const double multiplier = reader.get("m", 1.0, 1e-12, 1e12);
    if (!(area_ > 0.0)) {
      throw UserError(reader.has("area") ? reader.where("area") : spec.loc,
                      fmt::format("diode '{}': area must be > 0, got {:g}", spec.name, area_));
    }
    area_ *= multiplier;
    model_.ibv *= multiplier;
    if (reader.has("ic")) {
      ic_ = reader.get("ic", 0.0);
    }
    reader.finish();
  }

  const DiodeAtTemp &atTemperature(double kelvin) {
    if (kelvin != atTemp_.kelvin) {
      atTemp_ = semi::diodeAtTemperature(model_, area_, kelvin, options_.reltol);
    }
    return atTemp_;
  }

  int anode_, cathode_, junctionAnode_;
  SimOptions options_;
  DiodeModelParams model_;
  double area_ = 1.0;
  bool off_ = false;
  std::optional<double> ic_;
  DiodeAtTemp atTemp_;
  double lastVd_ = 0.0; // last junction voltage used (limited), SPICE's state0 (0 at start)
  int charge_ = 0;      // unknown index of the scaled junction charge (0: no charge storage)
  MatrixSlot jAA_ = 0, jAK_ = 0, jKA_ = 0, jKK_ = 0, rAA_ = 0, rAJ_ = 0, rJA_ = 0;
  MatrixSlot qAS_ = 0, qKS_ = 0, qSS_ = 0, qSA_ = 0, qSK_ = 0;
};

const DeviceRegistration diodeRegistration{{
    .letter = 'd',
    .modelType = "d",
    .terminals = 2,
    .references = 0,
    .summary = "junction diode (SPICE level 1: IS N RS CJO VJ M FC TT BV IBV, temperature)",
    .create = [](const DeviceBuildContext &ctx) { return std::make_unique<Diode>(ctx); },
}};

} // namespace

} // namespace dwspice
