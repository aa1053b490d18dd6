#include "spintronic/dw_device.hpp"

#include "spintronic/thermal_noise.hpp"

#include <cmath>
#include <limits>

namespace dwspice::spintronic {

DwDevice::DwDevice(const DeviceBuildContext &ctx, DwDeviceConfig config)
    : Device(ctx.spec.name, ctx.spec.loc), config_(std::move(config)), hmPlus_(ctx.terminals[0]),
      hmMinus_(ctx.terminals[1]), readPlus_(ctx.terminals[2]), readMinus_(ctx.terminals[3]) {
  if (config_.readMode) {
    const double fraction = config_.track.parallelFraction(config_.initialPosition).fraction;
    frozenConductance_ = config_.track.readout().evaluate(config_.readBias, fraction).conductance;
  }
}

void DwDevice::setupUnknowns(UnknownAllocator &alloc) {
  if (config_.readMode) {
    return; // the wall is frozen: no q/φ unknowns
  }
  positionIndex_ = alloc.addState(name() + "#q", kPositionToleranceScale);
  angleIndex_ = alloc.addState(name() + "#phi", kAngleToleranceScale);
}

void DwDevice::setupMatrix(MatrixBuilder &builder) {
  heavyMetal_.declare(builder, hmPlus_, hmMinus_);
  readout_.declare(builder, readPlus_, readMinus_);
  if (config_.readMode) {
    return;
  }
  builder.entry(readPlus_, positionIndex_, &readPlusPosition_);
  builder.entry(readMinus_, positionIndex_, &readMinusPosition_);
  builder.entry(positionIndex_, positionIndex_, &posPos_);
  builder.entry(positionIndex_, angleIndex_, &posAngle_);
  builder.entry(positionIndex_, hmPlus_, &posHmPlus_);
  builder.entry(positionIndex_, hmMinus_, &posHmMinus_);
  builder.entry(angleIndex_, positionIndex_, &anglePos_);
  builder.entry(angleIndex_, angleIndex_, &angleAngle_);
  builder.entry(angleIndex_, hmPlus_, &angleHmPlus_);
  builder.entry(angleIndex_, hmMinus_, &angleHmMinus_);
}

double DwDevice::wallPosition(std::span<const double> x) const {
  if (config_.readMode) {
    return config_.initialPosition;
  }
  return x[static_cast<size_t>(positionIndex_)] * kPositionUnit;
}

double DwDevice::wallAngle(std::span<const double> x) const {
  return config_.readMode ? config_.initialAngle : x[static_cast<size_t>(angleIndex_)];
}

double DwDevice::heavyMetalCurrent(std::span<const double> x) const {
  return (x[static_cast<size_t>(hmPlus_)] - x[static_cast<size_t>(hmMinus_)]) /
         config_.track.heavyMetalResistance();
}

double DwDevice::heavyMetalPower(std::span<const double> x) const {
  const double current = heavyMetalCurrent(x);
  return current * current * config_.track.heavyMetalResistance();
}

double DwDevice::readConductance(std::span<const double> x) const {
  if (config_.readMode) {
    return frozenConductance_;
  }
  const double voltage = x[static_cast<size_t>(readPlus_)] - x[static_cast<size_t>(readMinus_)];
  const double fraction = config_.track.parallelFraction(wallPosition(x)).fraction;
  return config_.track.readout().evaluate(voltage, fraction).conductance;
}

double DwDevice::thermalField(double time, double temperature) const {
  if (!config_.noise.enabled || time < 0) {
    return 0.0;
  }
  const auto slot = static_cast<std::uint64_t>(std::floor(time / config_.noise.step));
  const double sigma = std::sqrt(config_.track.thermalFieldDiffusion(temperature) / config_.noise.step);
  return sigma * standardNormal(config_.noise.seed, slot);
}

void DwDevice::loadReadMode(const LoadContext &ctx, LoadTarget &out) const {
  const auto at = [&](int index) { return ctx.x[static_cast<size_t>(index)]; };
  const double hmConductance = 1.0 / config_.track.heavyMetalResistance();
  heavyMetal_.load(out, hmConductance * (at(hmPlus_) - at(hmMinus_)), hmConductance);
  readout_.load(out, frozenConductance_ * (at(readPlus_) - at(readMinus_)), frozenConductance_);
}

void DwDevice::load(const LoadContext &ctx, LoadTarget &out) {
  if (config_.readMode) {
    loadReadMode(ctx, out);
    return;
  }
  const DwTrack &track = config_.track;
  const auto at = [&](int index) { return ctx.x[static_cast<size_t>(index)]; };

  // Heavy-metal write path: a plain resistor.
  const double hmConductance = 1.0 / track.heavyMetalResistance();
  const double hmCurrent = hmConductance * (at(hmPlus_) - at(hmMinus_));
  heavyMetal_.load(out, hmCurrent, hmConductance);

  // MTJ read-out, depending on the wall position through s(q).
  const double q = at(positionIndex_) * kPositionUnit;
  const double phi = at(angleIndex_);
  const FractionAndSlope fraction = track.parallelFraction(q);
  const double readVoltage = at(readPlus_) - at(readMinus_);
  const MtjPoint mtj = track.readout().evaluate(readVoltage, fraction.fraction);
  readout_.load(out, mtj.current, mtj.dCurrentdV);
  const double dCurrentdPosition = mtj.dCurrentdS * fraction.slope * kPositionUnit;
  out.addG(readPlusPosition_, dCurrentdPosition);
  out.addG(readMinusPosition_, -dCurrentdPosition);

  // State rows: "charges" are the states themselves, so C = 1 on the diagonal
  // (constant: hasConstantCharges()).
  if (!ctx.constantChargesHeld) {
    out.addQ(positionIndex_, at(positionIndex_));
    out.addC(posPos_, 1.0);
    out.addQ(angleIndex_, phi);
    out.addC(angleAngle_, 1.0);
  }

  if (ctx.mode != AnalysisMode::Transient) {
    // Memory state: held at its initial value, not solved (dq/dt = 0 is
    // singular when no force acts on the wall).
    out.addF(positionIndex_, at(positionIndex_) - config_.initialPosition / kPositionUnit);
    out.addG(posPos_, 1.0);
    out.addF(angleIndex_, phi - config_.initialAngle);
    out.addG(angleAngle_, 1.0);
    return;
  }

  const double crossSection = track.heavyMetalCrossSection();
  const double currentDensity = hmCurrent / crossSection;
  const double dJdV = hmConductance / crossSection;
  const DwRates r = track.rates(q, phi, currentDensity, thermalField(ctx.time, ctx.temperature));

  out.addF(positionIndex_, -r.dqdt / kPositionUnit);
  out.addG(posPos_, -r.dqdt_dq);
  out.addG(posAngle_, -r.dqdt_dphi / kPositionUnit);
  out.addG(posHmPlus_, -r.dqdt_dJ * dJdV / kPositionUnit);
  out.addG(posHmMinus_, r.dqdt_dJ * dJdV / kPositionUnit);

  out.addF(angleIndex_, -r.dphidt);
  out.addG(anglePos_, -r.dphidt_dq * kPositionUnit);
  out.addG(angleAngle_, -r.dphidt_dphi);
  out.addG(angleHmPlus_, -r.dphidt_dJ * dJdV);
  out.addG(angleHmMinus_, r.dphidt_dJ * dJdV);
}

double DwDevice::maxTimeStep() const {
  return config_.noise.enabled ? config_.noise.step : std::numeric_limits<double>::infinity();
}

void DwDevice::applyInitialCondition(std::span<double> x) const {
  if (config_.readMode) {
    return;
  }
  x[static_cast<size_t>(positionIndex_)] = config_.initialPosition / kPositionUnit;
  x[static_cast<size_t>(angleIndex_)] = config_.initialAngle;
}

} // namespace dwspice::spintronic
