// Bias-dependent MTJ conductance, shared by the stand-alone MTJ device and
// the read-out of the domain-wall devices.
//
//   G(V, s) = s·G_P + (1 − s)·G_AP(V)
//   G_P     = area / RA
//   G_AP(V) = G_P / (1 + TMR(V)),   TMR(V) = TMR0 / (1 + V²/Vh²)
//
// s in [0, 1] is the fraction of the junction area whose free layer is
// parallel to the reference layer (a macrospin angle θ maps to s = (1+cosθ)/2).
#pragma once

namespace dwspice::spintronic {

// Jullière's estimate TMR0 = 2P²/(1 − P²) for two identical electrodes of
// spin polarisation P.
[[nodiscard]] double julliereTmr(double polarisation);

struct MtjParams {
  double resistanceArea = 5e-12; // Ω·m² (5 Ω·µm²)
  double area = 2.5e-15;         // m² (50 nm × 50 nm)
  double tmr0 = 0.381;           // zero-bias TMR ratio (0.381 = Jullière with P = 0.4)
  double halfBiasVoltage = 0.5;  // V, bias at which the TMR has halved
};

struct MtjPoint {
  double conductance = 0; // S, G(V, s)
  double current = 0;     // A, I = G·V
  double dCurrentdV = 0;  // S, G + V·∂G/∂V
  double dCurrentdS = 0;  // A, V·∂G/∂s
};

class MtjConductance {
public:
  explicit MtjConductance(const MtjParams &params);

  [[nodiscard]] double parallelConductance() const { return parallelConductance_; }
  [[nodiscard]] double antiparallelConductance(double voltage) const;
  [[nodiscard]] double tmr(double voltage) const;
  // I(V, s) and its partial derivatives.
  [[nodiscard]] MtjPoint evaluate(double voltage, double parallelFraction) const;

private:
  MtjParams params_;
  double parallelConductance_;
};

} // namespace dwspice::spintronic
