// The domain-wall track core shared by the DW neuron and the notched DW
// synapse: the collective-coordinate (q, φ) model of a Néel wall in a
// perpendicular HM/FM strip driven by spin-orbit torque, with DMI, damping,
// the wall's shape anisotropy H_K, optional in-plane/z fields and STT, a
// pinning landscape of Gaussian wells and smooth confinement at the ends.
//
// Equations (fields in A/m, γ0 in m/(A·s); see docs/devices.md):
//
//   Γ_A = γ0·[−(H_K/2)·sin2φ − (π/2)·H_y·cosφ + (π/2)·H_x·sinφ + Q·(π/2)·H_D·sinφ] + u/Δ
//   Γ_B = γ0·[Q·(H_z + H_th + (π/2)·H_SH·cosφ) + H_pin(q)] + β·u/Δ
//   (1+α²)·dq/dt = Δ·(Γ_A + α·Γ_B)
//   (1+α²)·dφ/dt = −α·Γ_A + Γ_B
//
// with H_SH = ħθ_SH·J/(2eμ0·Ms·t_FM), u = ξ_STT·μ_B·P·J/(e·Ms),
// H_D = D/(μ0·Ms·Δ), H_K = Ms·t_FM·ln2/(π·Δ), Δ = sqrt(A/K_eff).
//
// H_pin(q) is the pinning *force* expressed as a field, −(1/(2μ0Ms·w·t))·dV/dq;
// it carries no Q because a potential pushes either wall polarity downhill.
// With Q = +1 and θ_SH·D > 0 positive J moves the wall towards +x (tested).
#pragma once

#include "spintronic/mtj_conductance.hpp"

#include <vector>

namespace dwspice::spintronic {

namespace constants {
inline constexpr double pi = 3.14159265358979323846;
inline constexpr double mu0 = 4e-7 * pi;                  // T·m/A
inline constexpr double hbar = 1.054571817e-34;           // J·s
inline constexpr double electronCharge = 1.602176634e-19; // C
inline constexpr double bohrMagneton = 9.2740100783e-24;  // J/T
inline constexpr double boltzmann = 1.380649e-23;         // J/K
} // namespace constants

// One pinning well: V(q) = −V0·exp(−(q − x)²/(2σ²)), specified by its
// depinning field H_dep = V0/(2μ0·Ms·w·t_FM·σ·√e) (the largest restoring
// field the well can exert, reached at |q − x| = σ).
struct PinningWell {
  double position = 0;       // m
  double width = 10e-9;      // m, σ
  double depinningField = 0; // A/m
};

struct DwTrackParams {
  // material (defaults: seed 002 Table 1, plus calibrated K_u, α, θ_SH)
  double saturationMagnetisation = 1.1e6; // A/m
  double exchangeStiffness = 2e-11;       // J/m
  double anisotropy = 1e6;                // J/m³, K_u
  double damping = 0.3;                   // α
  double spinHallAngle = 0.25;            // θ_SH
  double dmi = 1e-3;                      // J/m²
  double polarisation = 0.4;              // P (STT and Jullière TMR)
  double gyromagneticRatio = 2.211e5;     // γ0, m/(A·s)
  double sttEfficiency = 0.0;             // ξ_STT: 0 = no STT (SOT track)
  double nonAdiabaticity = 0.0;           // β
  int polarity = 1;                       // Q = ±1 (up-down or down-up wall)
  // geometry
  double length = 512e-9;      // m, track length; the wall lives in [0, L]
  double width = 64e-9;        // m
  double thicknessFm = 2e-9;   // m
  double thicknessHm = 2e-9;   // m
  double widthHm = 64e-9;      // m
  double resistivityHm = 2e-7; // Ω·m
  // applied fields
  double fieldX = 0, fieldY = 0, fieldZ = 0; // A/m
  // smooth confinement at the ends: restoring field hconf·g(depth/λ)
  double confinementField = 2e5;   // A/m
  double confinementLength = 1e-9; // m, λ
  // pinning
  std::vector<PinningWell> wells;
  // MTJ read-out over [mtjStart, mtjEnd] of the track, width mtjWidth
  double mtjStart = 128e-9, mtjEnd = 384e-9, mtjWidth = 64e-9; // m
  double resistanceArea = 5e-12;                               // Ω·m²
  double tmr0 = 0.381;
  double halfBiasVoltage = 0.5; // V
};

// Rates of the collective coordinates and their partial derivatives.
struct DwRates {
  double dqdt = 0, dphidt = 0;                    // m/s, rad/s
  double dqdt_dq = 0, dqdt_dphi = 0, dqdt_dJ = 0; // 1/s, m/(s·rad), m³/(A·s)
  double dphidt_dq = 0, dphidt_dphi = 0, dphidt_dJ = 0;
};

struct FieldAndSlope {
  double field = 0; // A/m
  double slope = 0; // A/m²
};

struct FractionAndSlope {
  double fraction = 0; // parallel fraction s of the read-out MTJ
  double slope = 0;    // ds/dq, 1/m
};

// Physics of one track. Immutable after construction; validation errors are
// reported as std::invalid_argument with a message for the user (the device
// wraps them in UserError with the card's location).
class DwTrack {
public:
  explicit DwTrack(DwTrackParams params);

  [[nodiscard]] const DwTrackParams &params() const { return params_; }
  [[nodiscard]] double wallWidth() const { return wallWidth_; }                         // Δ, m
  [[nodiscard]] double dmiField() const { return dmiField_; }                           // H_D, A/m
  [[nodiscard]] double shapeAnisotropyField() const { return shapeField_; }             // H_K, A/m
  [[nodiscard]] double spinHallFieldPerCurrentDensity() const { return spinHallPerJ_; } // H_SH/J, A·m/A
  [[nodiscard]] double sttVelocityPerCurrentDensity() const { return sttPerJ_; }        // u/J, m³/(A·s)
  [[nodiscard]] double heavyMetalResistance() const { return hmResistance_; }           // Ω
  [[nodiscard]] double heavyMetalCrossSection() const { return params_.widthHm * params_.thicknessHm; } // m²
  // Energy scale of a pinning force field: V = 2μ0·Ms·w·t_FM·∫H dq.
  [[nodiscard]] double forceFieldToEnergyPerLength() const;

  // The stable rest angle of the wall with no current and no in-plane field.
  [[nodiscard]] double restAngle() const;
  // Depinning current density of a well from the static force balance
  // (π/2)·H_SH(J) = H_dep (cosφ = 1 at rest): J = 4eμ0·Ms·t·H_dep/(πħθ_SH).
  [[nodiscard]] double depinningCurrentDensity(double depinningField) const;

  // Pinning-plus-confinement force field at q and its slope.
  [[nodiscard]] FieldAndSlope pinningField(double q) const;
  // Parallel fraction of the read-out MTJ for a wall at q (the domain at
  // x < q is parallel to the reference layer), from the tanh wall profile.
  [[nodiscard]] FractionAndSlope parallelFraction(double q) const;
  [[nodiscard]] const MtjConductance &readout() const { return readout_; }

  // dq/dt and dφ/dt at (q, φ) for heavy-metal current density J (A/m²) and a
  // thermal field H_th (A/m, added to H_z), with all partial derivatives.
  [[nodiscard]] DwRates rates(double q, double phi, double currentDensity, double thermalField = 0.0) const;

  // Strength of the Langevin field: ⟨H_th(t)H_th(t')⟩ = D_th·δ(t − t'),
  // D_th = 2αk_BT/(γ0·μ0·Ms·Δ·w·t_FM), in (A/m)²·s.
  [[nodiscard]] double thermalFieldDiffusion(double temperature) const;

private:
  DwTrackParams params_;
  double wallWidth_, dmiField_, shapeField_, spinHallPerJ_, sttPerJ_, hmResistance_;
  MtjConductance readout_;
};

} // namespace dwspice::spintronic
