#include "spintronic/dw_params.hpp"

#include "core/param_reader.hpp"
#include "spintronic/thermal_noise.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <optional>
#include <stdexcept>

namespace dwspice::spintronic {

namespace {

constexpr double kHuge = std::numeric_limits<double>::max();

// Model parameters with per-instance overrides: every read marks the name as
// used in both readers, so finish() flags only names nobody knows.
class LayeredParams {
public:
  LayeredParams(const ModelSpec &model, const InstanceSpec &instance) : model_(model), instance_(instance) {}

  [[nodiscard]] bool has(const std::string &name) const { return model_.has(name) || instance_.has(name); }

  double get(const std::string &name, double fallback, double low = -kHuge, double high = kHuge) {
    double value = model_.get(name, fallback, low, high);
    if (instance_.has(name)) {
      value = instance_.get(name, fallback, low, high);
    }
    return value;
  }
  int getInt(const std::string &name, int fallback, int low, int high) {
    const double value = get(name, fallback, low, high);
    if (value != std::round(value)) {
      throw UserError(where(name), fmt::format("parameter '{}' must be an integer, got {:g}", name, value));
    }
    return static_cast<int>(value);
  }
  [[nodiscard]] SourceLoc where(const std::string &name) const {
    return instance_.has(name) ? instance_.where(name) : model_.where(name);
  }
  void finish() const {
    model_.finish();
    instance_.finish();
  }

private:
  ParamReader model_;
  ParamReader instance_;
};

struct FlavourDefaults {
  double length, width, mtjStart, mtjEnd, initialPosition, homePosition, homeDepinning;
  int notches;
};

FlavourDefaults defaultsFor(DwFlavour flavour) {
  if (flavour == DwFlavour::Neuron) {
    // Seed 002 neuron: 512 × 64 × 2 nm, detector 128–384 nm, wall starting on
    // the left (q0 calibrated so that J = 0.1e12 A/m² for 3 ns just reaches
    // the detector).
    return {512e-9, 64e-9, 128e-9, 384e-9, 30e-9, 30e-9, 0.0, 0};
  }
  // Seed 002 synapse: 1500 × 150 × 2 nm, read-out over the whole track, wall
  // nucleated in a home well at 50 nm, 5 notches from 300 nm.
  return {1500e-9, 150e-9, 0.0, 1500e-9, 50e-9, 50e-9, kDefaultHomeDepinningField, 5};
}

} // namespace

double relaxedSitePosition(const DwTrack &track, double site, double radius) {
  // Within one radius of a well's centre its restoring field falls
  // monotonically, and the confinement field falls everywhere, so the zero
  // (the stable rest point) is bracketed and bisection cannot miss it.
  double low = std::max(0.0, site - radius);
  double high = std::min(track.params().length, site + radius);
  if (!(track.pinningField(low).field > 0 && track.pinningField(high).field < 0)) {
    return site; // no bracket (a shallow well among strong neighbours): keep the centre
  }
  for (int i = 0; i < 200 && high - low > 1e-15; ++i) {
    const double mid = 0.5 * (low + high);
    (track.pinningField(mid).field > 0 ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

double defaultLastDepinningField(int notches) {
  return notches == 10 ? 3.038e4 : 6.12e4;
}

namespace {

// A configuration as parsed, and whether its noise seed came from a `seed=`
// parameter (else it is derived from the instance name, per instance).
struct ParsedDwConfig {
  DwDeviceConfig config;
  bool seedFromName = false;
};

std::uint64_t noiseSeed(const DeviceBuildContext &ctx, std::uint64_t instanceSeed) {
  const auto optionSeed = ctx.options.extra.find("seed");
  const double globalSeed = optionSeed != ctx.options.extra.end() ? optionSeed->second : 1.0;
  return mix64(static_cast<std::uint64_t>(std::llround(std::abs(globalSeed)))) ^ mix64(~instanceSeed);
}

void requireModelAndAssignments(const DeviceBuildContext &ctx, DwFlavour flavour) {
  const char *typeName = flavour == DwFlavour::Neuron ? "dwneuron" : "dwsynapse";
  if (ctx.spec.model == nullptr) {
    throw UserError(ctx.spec.loc, fmt::format("'{}' needs a .model of type {}", ctx.spec.name, typeName));
  }
  for (const CardArg &arg : ctx.spec.args) {
    if (arg.kind != CardArg::Kind::Assign) {
      throw UserError(arg.loc,
                      fmt::format("'{}': unexpected argument (a {} takes only name=value parameters)",
                                  ctx.spec.name, typeName));
    }
  }
}

ParsedDwConfig parseDwDeviceConfig(const DeviceBuildContext &ctx, DwFlavour flavour) {
  const FlavourDefaults defaults = defaultsFor(flavour);
  LayeredParams in(*ctx.spec.model, ctx.spec);
  DwTrackParams p;
  const double positive = std::numeric_limits<double>::min();

  p.saturationMagnetisation = in.get("ms", p.saturationMagnetisation, positive, kHuge);
  p.exchangeStiffness = in.get("aex", p.exchangeStiffness, positive, kHuge);
  p.anisotropy = in.get("ku", p.anisotropy, positive, kHuge);
  p.damping = in.get("alpha", p.damping, positive, kHuge);
  p.spinHallAngle = in.get("thetash", p.spinHallAngle);
  p.dmi = in.get("dmi", p.dmi);
  p.polarisation = in.get("p", p.polarisation, 0.0, 0.999);
  p.gyromagneticRatio = in.get("gamma", p.gyromagneticRatio, positive, kHuge);
  p.sttEfficiency = in.get("stt", p.sttEfficiency);
  p.nonAdiabaticity = in.get("beta", p.nonAdiabaticity);
  p.polarity = in.getInt("polarity", p.polarity, -1, 1);
  if (p.polarity == 0) {
    throw UserError(in.where("polarity"), "parameter 'polarity' must be +1 or -1");
  }

  p.length = in.get("l", defaults.length, positive, kHuge);
  p.width = in.get("w", defaults.width, positive, kHuge);
  p.thicknessFm = in.get("tfm", p.thicknessFm, positive, kHuge);
  p.thicknessHm = in.get("thm", p.thicknessHm, positive, kHuge);
  p.widthHm = in.get("whm", p.width, positive, kHuge);
  p.resistivityHm = in.get("rho", p.resistivityHm, positive, kHuge);
  p.fieldX = in.get("hx", 0.0);
  p.fieldY = in.get("hy", 0.0);
  p.fieldZ = in.get("hz", 0.0);
  p.confinementField = in.get("hconf", p.confinementField, 0.0, kHuge);
  p.confinementLength = in.get("lconf", p.confinementLength, positive, kHuge);

  // The synapse reads out over the whole track unless told otherwise.
  const double mtjEndDefault = flavour == DwFlavour::Synapse ? p.length : defaults.mtjEnd;
  p.mtjStart = in.get("xmtj1", defaults.mtjStart);
  p.mtjEnd = in.get("xmtj2", mtjEndDefault);
  p.mtjWidth = in.get("wmtj", p.width, positive, kHuge);
  p.resistanceArea = in.get("ra", p.resistanceArea, positive, kHuge);
  p.tmr0 = in.get("tmr", julliereTmr(p.polarisation), 0.0, kHuge);
  p.halfBiasVoltage = in.get("vh", p.halfBiasVoltage, positive, kHuge);

  // Pinning: a home well where the wall is nucleated, then N notches.
  const int notches = in.getInt("nnotch", defaults.notches, 0, 1000);
  const double homePosition = in.get("xhome", defaults.homePosition);
  const double homeField = in.get("hdephome", defaults.homeDepinning, 0.0, kHuge);
  const double firstNotch = in.get("xnotch1", 300e-9);
  const double pitch = in.get("pitch", notches > 1 ? (p.length - firstNotch) / (notches - 1) : 0.0);
  const double notchRadius = in.get("rnotch", 10e-9, positive, kHuge);
  const double firstField = in.get("hdep1", kDefaultFirstDepinningField, 0.0, kHuge);
  const double lastField =
      in.get("hdepn", notches > 1 ? defaultLastDepinningField(notches) : firstField, 0.0, kHuge);
  if (homeField > 0) {
    p.wells.push_back({homePosition, notchRadius, homeField});
  }
  for (int k = 0; k < notches; ++k) {
    // Depths rise geometrically along the track: a wall that depins from one
    // notch arrives at the next with some momentum (Döring inertia), so the
    // next barrier must be higher by a fixed ratio, not a fixed step, to
    // capture it at every speed.
    const double rise = notches > 1 ? static_cast<double>(k) / (notches - 1) : 0.0;
    const double field = firstField > 0 && lastField > 0 ? firstField * std::pow(lastField / firstField, rise)
                                                         : firstField + rise * (lastField - firstField);
    p.wells.push_back({firstNotch + k * pitch, notchRadius, field});
  }

  std::optional<DwTrack> track;
  try {
    track.emplace(p);
  } catch (const std::invalid_argument &error) {
    throw UserError(ctx.spec.loc, fmt::format("'{}': {}", ctx.spec.name, error.what()));
  }

  // Initial state.
  double initialPosition = defaults.initialPosition;
  if (flavour == DwFlavour::Synapse && in.has("state")) {
    if (in.has("q0")) {
      throw UserError(in.where("state"), "give either state= or q0=, not both");
    }
    const int state = in.getInt("state", 0, 0, notches);
    initialPosition = state == 0 ? homePosition : firstNotch + (state - 1) * pitch;
  }
  initialPosition = in.get("q0", initialPosition);
  if (!(initialPosition >= 0 && initialPosition <= p.length)) {
    throw UserError(in.where(in.has("q0") ? "q0" : "state"),
                    fmt::format("initial wall position {:g} m lies outside the track [0, {:g}] m",
                                initialPosition, p.length));
  }
  const double initialAngle = in.get("phi0", track->restAngle());

  const bool readMode = in.getInt("read", 0, 0, 1) == 1;
  const double readBias = in.get("vrd", 0.0);
  if (readMode && flavour == DwFlavour::Synapse && in.has("state") && !in.has("q0")) {
    // Frozen where the wall comes to rest in its site with no current (the
    // centre of the well, shifted by the confinement at the track's end).
    initialPosition = relaxedSitePosition(*track, initialPosition, notchRadius);
  }

  DwThermalNoise noise;
  noise.enabled = in.getInt("noise", 0, 0, 1) == 1;
  noise.step = in.get("tnoise", noise.step, positive, kHuge);
  const bool seedFromName = !in.has("seed");
  const std::uint64_t instanceSeed =
      seedFromName ? hashName(ctx.spec.name)
                   : static_cast<std::uint64_t>(std::llround(std::abs(in.get("seed", 0.0))));
  noise.seed = noiseSeed(ctx, instanceSeed);
  if (readMode && noise.enabled) {
    throw UserError(in.where("noise"), "noise=1 has no effect in read mode (read=1): the wall is frozen");
  }
  in.finish();

  return {DwDeviceConfig{std::move(*track), initialPosition, initialAngle, noise, readMode, readBias},
          seedFromName};
}

// What determines a configuration besides the instance name: the model, the
// flavour and the instance's name=value parameters (values bit-exact).
std::string configKey(const DeviceBuildContext &ctx, DwFlavour flavour) {
  std::string key =
      fmt::format("{}|{}", static_cast<const void *>(ctx.spec.model), static_cast<int>(flavour));
  for (const CardArg &arg : ctx.spec.args) {
    key += fmt::format("|{}={:a}", arg.name, arg.value);
  }
  return key;
}

} // namespace

DwDeviceConfig readDwDeviceConfig(const DeviceBuildContext &ctx, DwFlavour flavour) {
  requireModelAndAssignments(ctx, flavour);
  if (ctx.cache == nullptr) {
    return parseDwDeviceConfig(ctx, flavour).config;
  }
  const ParsedDwConfig &shared = ctx.cache->get<ParsedDwConfig>(
      configKey(ctx, flavour), [&ctx, flavour] { return parseDwDeviceConfig(ctx, flavour); });
  DwDeviceConfig config = shared.config;
  if (shared.seedFromName) {
    config.noise.seed = noiseSeed(ctx, hashName(ctx.spec.name));
  }
  return config;
}

namespace {
const DeviceRegistration neuronRegistration{{
    .letter = 'n',
    .modelType = "dwneuron",
    .terminals = 4,
    .references = 0,
    .summary =
        "domain-wall neuron (SOT track + MTJ detector): Nname hm+ hm- read+ read- model [q0=] [params]",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<DwDevice>(ctx, readDwDeviceConfig(ctx, DwFlavour::Neuron));
    },
}};
const DeviceRegistration synapseRegistration{{
    .letter = 'n',
    .modelType = "dwsynapse",
    .terminals = 4,
    .references = 0,
    .summary = "notched domain-wall synapse: Nname hm+ hm- read+ read- model [state=notch] [params]",
    .create = [](const DeviceBuildContext &ctx) -> std::unique_ptr<Device> {
      return std::make_unique<DwDevice>(ctx, readDwDeviceConfig(ctx, DwFlavour::Synapse));
    },
}};
} // namespace

} // namespace dwspice::spintronic
