// The four-terminal domain-wall device behind `dwneuron` and `dwsynapse`:
//
//   Nname hm+ hm- read+ read- model [params]
//
// hm+/hm−   heavy-metal write path, a resistor R_HM = ρ·L/(w_HM·t_HM); the
//           current through it (from hm+ to hm−) sets J = I/(w_HM·t_HM).
// read+/−   the MTJ read-out: I = G(V, s(q))·V with the bias-dependent TMR and
//           s(q) the part of the MTJ footprint over the parallel domain.
//
// Extra unknowns (UnknownKind::State):
//   <name>#q    wall position in nm, absolute tolerance kPositionToleranceScale·vntol
//   <name>#phi  wall angle in rad, absolute tolerance kAngleToleranceScale·vntol
// Their rows are the ODEs written as f(x) + C·x' = 0 with C = 1 on the
// diagonal: f_q = −(dq/dt)/1 nm, f_φ = −dφ/dt. In OperatingPoint and DcSweep
// the state is held (f_q = q − q0, f_φ = φ − φ0); it moves only in Transient.
//
// Read mode (`read=1`): the wall is frozen at its initial position (for a
// synapse given by state=, the relaxed pinned position of that site), the
// device has no extra unknowns and both paths are plain resistors: the HM as
// always, the MTJ as the linear conductance G(V = vrd, s(q_frozen)). The
// device is then linear, so the engine caches its stamp — the crossbar of a
// classifier is read thousands of times while its walls never move.
#pragma once

#include "core/device_registry.hpp"
#include "spintronic/conductance_stamp.hpp"
#include "spintronic/dw_track.hpp"

#include <cstdint>
#include <string>

namespace dwspice::spintronic {

// Scale of the position unknown: x[#q] = q / kPositionUnit.
inline constexpr double kPositionUnit = 1e-9; // m
// Absolute tolerances of the states as multiples of vntol (reltol applies on
// top); at the default vntol = 1e-6 they are 10 pm and 3e-4 rad. 10 pm is
// 1e-3 of the lengths that decide where a wall rests, the wall width Δ (9 nm)
// and the notch radius σ (10 nm); a wall away from the track start is held
// to reltol·q, more than that. An angle error δφ changes the wall speed by
// about γ0·Δ·(π/2)·H_D·δφ ≈ 250 m/s·δφ, so 3e-4 rad moves a wall ~75 pm per
// ns, a few position tolerances over the ~0.1 ns a φ transient lasts.
// Measured (MNIST 10-notch, first 60 images, readouts against a
// reltol = 1e-5 run with 0.1 pm and 1.1e-5 rad): session 3's 1 pm and
// 1e-4 rad took 951 steps per image, readouts within 1.6e-3 of their spread
// (90th percentile 3.9e-4); these take 859 steps, 2.0e-3 (4.5e-4). Most of
// the saved steps are walls ringing against the track end during the reset.
// 1e-3 rad would save more (769 steps with 10 pm) but moved the readouts
// twice as far (4.5e-3, 9.0e-4); a floor of vntol itself (1e-6 rad) made
// every wall crossing φ = 0 set the time step of the whole circuit (session
// 3: 1389 steps instead of 1124).
inline constexpr double kPositionToleranceScale = 1e4; // 10 pm at vntol = 1e-6
inline constexpr double kAngleToleranceScale = 3e2;    // 3e-4 rad at vntol = 1e-6

struct DwThermalNoise {
  bool enabled = false;
  double step = 1e-12;    // s, fixed time grid of the piecewise-constant Langevin field
  std::uint64_t seed = 0; // combined .options seed and instance seed
};

struct DwDeviceConfig {
  DwTrack track;
  double initialPosition = 0; // m
  double initialAngle = 0;    // rad
  DwThermalNoise noise;
  bool readMode = false; // wall frozen, MTJ a linear conductance at readBias
  double readBias = 0.0; // V, bias at which the frozen MTJ's G is evaluated
};

class DwDevice final : public Device {
public:
  DwDevice(const DeviceBuildContext &ctx, DwDeviceConfig config);

  [[nodiscard]] const DwTrack &track() const { return config_.track; }
  [[nodiscard]] double initialPosition() const { return config_.initialPosition; }
  [[nodiscard]] double initialAngle() const { return config_.initialAngle; }
  [[nodiscard]] bool readMode() const { return config_.readMode; }
  [[nodiscard]] const DwThermalNoise &noise() const { return config_.noise; }
  // Read mode: the constant MTJ conductance (S) the device stamps.
  [[nodiscard]] double frozenConductance() const { return frozenConductance_; }
  // Unknown indices of q and φ; 0 (ground, x[0] = 0) in read mode.
  [[nodiscard]] int positionUnknown() const { return positionIndex_; }
  [[nodiscard]] int angleUnknown() const { return angleIndex_; }
  // Wall angle (rad) in a solution vector x (the rest angle in read mode).
  [[nodiscard]] double wallAngle(std::span<const double> x) const;
  // Wall position (m) in a solution vector x (the frozen one in read mode).
  [[nodiscard]] double wallPosition(std::span<const double> x) const;
  // Read-out conductance I/V at the read bias in x (small-signal limit at 0 V).
  [[nodiscard]] double readConductance(std::span<const double> x) const;
  // Heavy-metal current (A, hm+ → hm−) and the power it dissipates (W).
  [[nodiscard]] double heavyMetalCurrent(std::span<const double> x) const;
  [[nodiscard]] double heavyMetalPower(std::span<const double> x) const;
  // The Langevin field (A/m) the device applies at time t and temperature T.
  [[nodiscard]] double thermalField(double time, double temperature) const;

  void setupUnknowns(UnknownAllocator &alloc) override;
  void setupMatrix(MatrixBuilder &builder) override;
  [[nodiscard]] bool hasExcitation() const override { return false; }      // no b(t): all in load()
  [[nodiscard]] bool needsEveryTimeStep() const override { return false; } // no history
  void load(const LoadContext &ctx, LoadTarget &out) override;
  [[nodiscard]] double maxTimeStep() const override;
  void applyInitialCondition(std::span<double> x) const override;
  [[nodiscard]] bool isLinear() const override { return config_.readMode; }
  // The state rows' only charges are the states themselves (C = 1).
  [[nodiscard]] bool hasConstantCharges() const override { return true; }

private:
  void loadReadMode(const LoadContext &ctx, LoadTarget &out) const;

  DwDeviceConfig config_;
  double frozenConductance_ = 0.0; // read mode only
  int hmPlus_, hmMinus_, readPlus_, readMinus_;
  int positionIndex_ = 0, angleIndex_ = 0;
  BranchStamp heavyMetal_, readout_;
  MatrixSlot readPlusPosition_ = 0, readMinusPosition_ = 0;
  MatrixSlot posPos_ = 0, posAngle_ = 0, posHmPlus_ = 0, posHmMinus_ = 0;
  MatrixSlot anglePos_ = 0, angleAngle_ = 0, angleHmPlus_ = 0, angleHmMinus_ = 0;
};

} // namespace dwspice::spintronic
