#include "spintronic/dw_track.hpp"

#include <cmath>
#include <fmt/core.h>
#include <stdexcept>
#include <utility>

namespace dwspice::spintronic {

using namespace constants;

namespace {

void require(bool ok, const char *message) {
  if (!ok) {
    throw std::invalid_argument(message);
  }
}

MtjParams readoutParams(const DwTrackParams &p) {
  MtjParams m;
  m.resistanceArea = p.resistanceArea;
  m.area = (p.mtjEnd - p.mtjStart) * p.mtjWidth;
  m.tmr0 = p.tmr0;
  m.halfBiasVoltage = p.halfBiasVoltage;
  return m;
}

DwTrackParams validated(DwTrackParams p) {
  require(p.saturationMagnetisation > 0, "saturation magnetisation ms must be positive");
  require(p.exchangeStiffness > 0, "exchange stiffness aex must be positive");
  // Messages with numbers are formatted only on failure: a classifier builds
  // 200k tracks (with ten wells each) per circuit.
  if (!(p.anisotropy > mu0 * p.saturationMagnetisation * p.saturationMagnetisation / 2)) {
    throw std::invalid_argument(
        fmt::format("anisotropy ku = {:g} J/m³ must exceed the shape anisotropy μ0·Ms²/2 = {:g} J/m³ "
                    "(the track would not be perpendicular)",
                    p.anisotropy, mu0 * p.saturationMagnetisation * p.saturationMagnetisation / 2));
  }
  require(p.damping > 0, "damping alpha must be positive");
  require(p.gyromagneticRatio > 0, "gamma must be positive");
  require(p.polarity == 1 || p.polarity == -1, "polarity must be +1 or -1");
  require(p.length > 0 && p.width > 0 && p.thicknessFm > 0 && p.thicknessHm > 0 && p.widthHm > 0,
          "track dimensions l, w, tfm, thm, whm must be positive");
  require(p.resistivityHm > 0, "heavy-metal resistivity rho must be positive");
  require(p.confinementLength > 0 && p.confinementField >= 0, "lconf must be positive and hconf >= 0");
  require(p.mtjEnd > p.mtjStart, "read-out MTJ needs xmtj2 > xmtj1");
  require(p.mtjWidth > 0 && p.resistanceArea > 0 && p.tmr0 >= 0 && p.halfBiasVoltage > 0,
          "read-out MTJ needs wmtj > 0, ra > 0, tmr >= 0, vh > 0");
  for (const PinningWell &well : p.wells) {
    require(well.width > 0, "notch radius must be positive");
    require(well.depinningField >= 0, "depinning fields must not be negative");
    if (!(well.position >= 0 && well.position <= p.length)) {
      throw std::invalid_argument(
          fmt::format("pinning site at {:g} m lies outside the track [0, {:g}] m", well.position, p.length));
    }
  }
  return p;
}

// exp(x) is exactly +0 below this argument (the smallest subnormal is
// e^−744.4). Returning 0 without calling exp gives bit-identical results and
// skips libm's slow underflow path, which a wall hundreds of nanometres from
// a notch or a track end would otherwise take on every evaluation.
constexpr double kExpUnderflowArgument = -746.0;
double expOrZero(double x) {
  return x < kExpUnderflowArgument ? 0.0 : std::exp(x);
}

// Confinement profile g(x) and g'(x): e^x inside the track (x <= 0,
// vanishing quickly away from the end) continued by its second-order Taylor
// polynomial outside, so the restoring field is C² and grows only
// quadratically (no overflow when Newton tries a far-away point). One exp
// serves both.
struct ShapeAndSlope {
  double shape, slope;
};
ShapeAndSlope confinement(double x) {
  if (x <= 0) {
    const double e = expOrZero(x);
    return {e, e};
  }
  return {1.0 + x + 0.5 * x * x, 1.0 + x};
}

// log(cosh(y)) without overflow, and tanh(y), from one exponential (libm's
// tanh costs an expm1 of its own; the MNIST neurons ask for both twice per
// evaluation). The tanh is exact to ~1e-16 absolute, all its use needs.
struct LogCoshAndTanh {
  double logCosh, tanh;
};
LogCoshAndTanh logCoshAndTanh(double y) {
  const double a = std::abs(y);
  const double e = std::exp(-2.0 * a);
  return {a + std::log1p(e) - std::log(2.0), std::copysign((1.0 - e) / (1.0 + e), y)};
}

} // namespace

DwTrack::DwTrack(DwTrackParams params)
    : params_(validated(std::move(params))), readout_(readoutParams(params_)) {
  const DwTrackParams &p = params_;
  const double ms = p.saturationMagnetisation;
  const double kEff = p.anisotropy - mu0 * ms * ms / 2;
  wallWidth_ = std::sqrt(p.exchangeStiffness / kEff);
  dmiField_ = p.dmi / (mu0 * ms * wallWidth_);
  shapeField_ = ms * p.thicknessFm * std::log(2.0) / (pi * wallWidth_);
  spinHallPerJ_ = hbar * p.spinHallAngle / (2.0 * electronCharge * mu0 * ms * p.thicknessFm);
  sttPerJ_ = p.sttEfficiency * bohrMagneton * p.polarisation / (electronCharge * ms);
  hmResistance_ = p.resistivityHm * p.length / (p.widthHm * p.thicknessHm);
}

double DwTrack::forceFieldToEnergyPerLength() const {
  return 2.0 * mu0 * params_.saturationMagnetisation * params_.width * params_.thicknessFm;
}

double DwTrack::restAngle() const {
  const double chiral = params_.polarity * (pi / 2) * dmiField_;
  if (std::abs(chiral) >= shapeField_) {
    return chiral >= 0 ? 0.0 : pi; // Néel wall of the DMI-favoured chirality
  }
  return std::acos(chiral / shapeField_); // intermediate (Bloch-like) wall
}

double DwTrack::depinningCurrentDensity(double depinningField) const {
  return depinningField / ((pi / 2) * spinHallPerJ_);
}

FieldAndSlope DwTrack::pinningField(double q) const {
  FieldAndSlope out;
  const double sqrtE = std::sqrt(std::exp(1.0));
  for (const PinningWell &well : params_.wells) {
    const double d = (q - well.position) / well.width;
    const double gauss = expOrZero(-0.5 * d * d);
    if (gauss == 0.0) {
      continue; // the well's field and slope are exactly zero here
    }
    // H = −(1/(2μ0Ms·w·t))·dV/dq for V = −V0·exp(−d²/2), scaled so max|H| = H_dep.
    out.field -= well.depinningField * sqrtE * d * gauss;
    out.slope -= well.depinningField * sqrtE * (1.0 - d * d) * gauss / well.width;
  }
  const double lambda = params_.confinementLength;
  const double hConf = params_.confinementField;
  const double left = -q / lambda;                    // depth beyond x = 0
  const double right = (q - params_.length) / lambda; // depth beyond x = L
  const ShapeAndSlope atLeft = confinement(left), atRight = confinement(right);
  out.field += hConf * (atLeft.shape - atRight.shape);
  out.slope -= hConf * (atLeft.slope + atRight.slope) / lambda;
  return out;
}

FractionAndSlope DwTrack::parallelFraction(double q) const {
  const double a = params_.mtjStart;
  const double b = params_.mtjEnd;
  const double delta = wallWidth_;
  // s = (1/(b−a))·∫_a^b (1 − tanh((x − q)/Δ))/2 dx for the tanh wall profile.
  FractionAndSlope out;
  const LogCoshAndTanh far = logCoshAndTanh((b - q) / delta), near = logCoshAndTanh((a - q) / delta);
  out.fraction = ((b - a) - delta * (far.logCosh - near.logCosh)) / (2.0 * (b - a));
  out.slope = (far.tanh - near.tanh) / (2.0 * (b - a));
  return out;
}

DwRates DwTrack::rates(double q, double phi, double currentDensity, double thermalField) const {
  const DwTrackParams &p = params_;
  const double g0 = p.gyromagneticRatio;
  const double alpha = p.damping;
  const double charge = p.polarity;
  const double delta = wallWidth_;
  const double s = std::sin(phi), c = std::cos(phi);
  const double s2 = 2.0 * s * c, c2 = (c - s) * (c + s); // double-angle forms: one sincos, not two
  const double hSh = spinHallPerJ_ * currentDensity;
  const double stt = sttPerJ_ * currentDensity;

  const double gA = g0 * (-(shapeField_ / 2) * s2 - (pi / 2) * p.fieldY * c + (pi / 2) * p.fieldX * s +
                          charge * (pi / 2) * dmiField_ * s) +
                    stt / delta;
  const double gA_phi = g0 * (-shapeField_ * c2 + (pi / 2) * p.fieldY * s + (pi / 2) * p.fieldX * c +
                              charge * (pi / 2) * dmiField_ * c);
  const double gA_J = sttPerJ_ / delta;

  const FieldAndSlope pin = pinningField(q);
  const double gB = g0 * (charge * (p.fieldZ + thermalField + (pi / 2) * hSh * c) + pin.field) +
                    p.nonAdiabaticity * stt / delta;
  const double gB_phi = -g0 * charge * (pi / 2) * hSh * s;
  const double gB_J = g0 * charge * (pi / 2) * spinHallPerJ_ * c + p.nonAdiabaticity * sttPerJ_ / delta;
  const double gB_q = g0 * pin.slope;

  const double k = 1.0 / (1.0 + alpha * alpha);
  DwRates r;
  r.dqdt = k * delta * (gA + alpha * gB);
  r.dqdt_dq = k * delta * alpha * gB_q;
  r.dqdt_dphi = k * delta * (gA_phi + alpha * gB_phi);
  r.dqdt_dJ = k * delta * (gA_J + alpha * gB_J);
  r.dphidt = k * (-alpha * gA + gB);
  r.dphidt_dq = k * gB_q;
  r.dphidt_dphi = k * (-alpha * gA_phi + gB_phi);
  r.dphidt_dJ = k * (-alpha * gA_J + gB_J);
  return r;
}

double DwTrack::thermalFieldDiffusion(double temperature) const {
  const DwTrackParams &p = params_;
  return 2.0 * p.damping * boltzmann * temperature /
         (p.gyromagneticRatio * mu0 * p.saturationMagnetisation * wallWidth_ * p.width * p.thicknessFm);
}

} // namespace dwspice::spintronic
