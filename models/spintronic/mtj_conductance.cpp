#include "spintronic/mtj_conductance.hpp"

namespace dwspice::spintronic {

double julliereTmr(double polarisation) {
  const double p2 = polarisation * polarisation;
  return 2.0 * p2 / (1.0 - p2);
}

MtjConductance::MtjConductance(const MtjParams &params)
    : params_(params), parallelConductance_(params.area / params.resistanceArea) {}

double MtjConductance::tmr(double voltage) const {
  const double u = voltage / params_.halfBiasVoltage;
  return params_.tmr0 / (1.0 + u * u);
}

double MtjConductance::antiparallelConductance(double voltage) const {
  return parallelConductance_ / (1.0 + tmr(voltage));
}

MtjPoint MtjConductance::evaluate(double voltage, double parallelFraction) const {
  const double vh = params_.halfBiasVoltage;
  const double u = voltage / vh;
  const double denom = 1.0 + u * u;
  const double tmrV = params_.tmr0 / denom;
  // dTMR/dV = −TMR0·(2V/Vh²)/(1 + V²/Vh²)²
  const double dTmrdV = -params_.tmr0 * 2.0 * voltage / (vh * vh) / (denom * denom);
  const double gAp = parallelConductance_ / (1.0 + tmrV);
  const double dGApdV = -parallelConductance_ * dTmrdV / ((1.0 + tmrV) * (1.0 + tmrV));

  const double s = parallelFraction;
  MtjPoint point;
  point.conductance = s * parallelConductance_ + (1.0 - s) * gAp;
  const double dGdV = (1.0 - s) * dGApdV;
  point.current = point.conductance * voltage;
  point.dCurrentdV = point.conductance + voltage * dGdV;
  point.dCurrentdS = voltage * (parallelConductance_ - gAp);
  return point;
}

} // namespace dwspice::spintronic
