#include "network.hpp"

#include "core/diagnostics.hpp"

#include <cmath>

namespace dwspice::train {

Network::Network(CellTables tables, DesignConstants constants, int inputs, int hidden, int outputs,
                 LossHead head)
    : tables_(std::move(tables)), constants_(constants), inputs_(inputs), hidden_(hidden), outputs_(outputs),
      head_(head), quantizer1_(tables_.levels1), quantizer2_(tables_.levels2) {
  const auto [low, high] = tables_.output.activeRange();
  outputLow_ = low;
  outputHigh_ = high;
  outputDirection_ = tables_.output.ys().back() >= tables_.output.ys().front() ? 1.0 : -1.0;
}

namespace {

// Continuous map from latent U to the conductance pair (see network.hpp).
void continuousPair(const Matrix &u, const PairQuantizer &quantizer, Matrix &plus, Matrix &minus) {
  const double g0 = quantizer.levels().front();
  const double span = quantizer.span();
  plus = (g0 + span * u.array().max(0.0)).matrix();
  minus = (g0 + span * (-u.array()).max(0.0)).matrix();
}

StatePairs quantizeLayer(const Matrix &u, const PairQuantizer &quantizer) {
  StatePairs pairs(static_cast<int>(u.rows()), static_cast<int>(u.cols()));
  for (int row = 0; row < u.rows(); ++row) {
    for (int col = 0; col < u.cols(); ++col) {
      const StatePair pair = quantizer.nearest(quantizer.span() * u(row, col));
      pairs.plus[pairs.at(row, col)] = pair.plus;
      pairs.minus[pairs.at(row, col)] = pair.minus;
    }
  }
  return pairs;
}

void pairConductances(const StatePairs &pairs, const std::vector<double> &levels, Matrix &plus,
                      Matrix &minus) {
  plus.resize(pairs.rows, pairs.cols);
  minus.resize(pairs.rows, pairs.cols);
  for (int row = 0; row < pairs.rows; ++row) {
    for (int col = 0; col < pairs.cols; ++col) {
      plus(row, col) = levels[pairs.plus[pairs.at(row, col)]];
      minus(row, col) = levels[pairs.minus[pairs.at(row, col)]];
    }
  }
}

// dLoss/dU through the continuous map: dG+/dU = ΔG where U > 0,
// dG−/dU = −ΔG where U <= 0.
Matrix latentGradient(const Matrix &u, const Matrix &dPlus, const Matrix &dMinus, double span) {
  return (span * (u.array() > 0.0).select(dPlus.array(), -dMinus.array())).matrix();
}

} // namespace

StatePairs Network::quantize1(const Matrix &u1) const {
  return quantizeLayer(u1, quantizer1_);
}
StatePairs Network::quantize2(const Matrix &u2) const {
  return quantizeLayer(u2, quantizer2_);
}

Conductances Network::conductances(const Parameters &parameters, WeightMode mode) const {
  if (mode == WeightMode::Quantized) {
    return conductances(quantize1(parameters.u1), quantize2(parameters.u2));
  }
  Conductances g;
  continuousPair(parameters.u1, quantizer1_, g.plus1, g.minus1);
  continuousPair(parameters.u2, quantizer2_, g.plus2, g.minus2);
  return g;
}

Conductances Network::conductances(const StatePairs &layer1, const StatePairs &layer2) const {
  if (layer1.rows != inputs_ + 1 || layer1.cols != hidden_ || layer2.rows != hidden_ + 1 ||
      layer2.cols != outputs_) {
    throw UserError("weight layers do not match the network's shape");
  }
  Conductances g;
  pairConductances(layer1, tables_.levels1, g.plus1, g.minus1);
  pairConductances(layer2, tables_.levels2, g.plus2, g.minus2);
  return g;
}

Matrix Network::hiddenCurrents(const Matrix &x, const Conductances &g) const {
  return constants_.vread * (x * (g.plus1 - g.minus1));
}

void Network::hiddenOutputs(const Matrix &i1, Matrix &outp, Matrix &outn) const {
  outp = i1.unaryExpr([this](double current) { return tables_.hiddenPlus(current); });
  outn = i1.unaryExpr([this](double current) { return tables_.hiddenMinus(current); });
}

Matrix Network::currents2(const Matrix &outp, const Matrix &outn, const Conductances &g) const {
  Matrix i2 = outp * g.plus2.topRows(hidden_) + outn * g.minus2.topRows(hidden_);
  const Eigen::RowVectorXd bias = constants_.vbias2 * (g.plus2.row(hidden_) - g.minus2.row(hidden_));
  i2.rowwise() += bias;
  return i2;
}

Matrix Network::outputCurrents(const Matrix &x, const Conductances &g) const {
  Matrix outp, outn;
  hiddenOutputs(hiddenCurrents(x, g), outp, outn);
  return currents2(outp, outn, g);
}

Matrix Network::readout(const Matrix &x, const Conductances &g) const {
  return outputCurrents(x, g).unaryExpr([this](double current) { return tables_.output(current); });
}

Matrix Network::logits(const Matrix &i2) const {
  const double yLow = tables_.output.minY();
  const double yRange = tables_.output.maxY() - yLow;
  const double iRange = outputHigh_ - outputLow_;
  return i2.unaryExpr([&](double current) {
    const double normalisedReadout = (tables_.output(current) - yLow) / yRange;
    const double normalisedCurrent = (current - outputLow_) / iRange;
    return head_.scale * (normalisedReadout + head_.leak * outputDirection_ * normalisedCurrent);
  });
}

double Network::lossAndGradient(const Matrix &x, const std::vector<std::uint8_t> &labels,
                                const Parameters &parameters, WeightMode mode, Parameters &gradient) const {
  const auto batch = static_cast<double>(x.rows());
  const Conductances g = conductances(parameters, mode);
  const Matrix i1 = hiddenCurrents(x, g);
  Matrix outp, outn;
  hiddenOutputs(i1, outp, outn);
  const Matrix i2 = currents2(outp, outn, g);
  const Matrix z = logits(i2);

  // Softmax cross-entropy and dLoss/dz.
  double loss = 0;
  Matrix dz(z.rows(), z.cols());
  for (int row = 0; row < z.rows(); ++row) {
    const double peak = z.row(row).maxCoeff();
    const Eigen::RowVectorXd exponentials = (z.row(row).array() - peak).exp().matrix();
    const double sum = exponentials.sum();
    const int label = labels[static_cast<std::size_t>(row)];
    loss += -(z(row, label) - peak - std::log(sum));
    dz.row(row) = exponentials / sum;
    dz(row, label) -= 1.0;
  }
  dz /= batch;

  // Through the head: dz/dI2 = scale · (table slope / yRange + leak · ŝ / iRange).
  const double yRange = tables_.output.maxY() - tables_.output.minY();
  const double iRange = outputHigh_ - outputLow_;
  const Matrix di2 = dz.cwiseProduct(i2.unaryExpr([&](double current) {
    return head_.scale * (tables_.output.slope(current) / yRange + head_.leak * outputDirection_ / iRange);
  }));

  // Layer 2.
  Matrix dPlus2(hidden_ + 1, outputs_), dMinus2(hidden_ + 1, outputs_);
  dPlus2.topRows(hidden_) = outp.transpose() * di2;
  dMinus2.topRows(hidden_) = outn.transpose() * di2;
  const Eigen::RowVectorXd biasGradient = constants_.vbias2 * di2.colwise().sum();
  dPlus2.row(hidden_) = biasGradient;
  dMinus2.row(hidden_) = -biasGradient;

  // Hidden tables.
  const Matrix doutp = di2 * g.plus2.topRows(hidden_).transpose();
  const Matrix doutn = di2 * g.minus2.topRows(hidden_).transpose();
  const Matrix slopePlus = i1.unaryExpr([this](double current) { return tables_.hiddenPlus.slope(current); });
  const Matrix slopeMinus =
      i1.unaryExpr([this](double current) { return tables_.hiddenMinus.slope(current); });
  const Matrix di1 = doutp.cwiseProduct(slopePlus) + doutn.cwiseProduct(slopeMinus);

  // Layer 1: only G+ − G− enters, so dL/dG+ = −dL/dG− = vread · X̃ᵀ dI1.
  const Matrix dDifference1 = constants_.vread * (x.transpose() * di1);
  gradient.u1 = latentGradient(parameters.u1, dDifference1, -dDifference1, quantizer1_.span());
  gradient.u2 = latentGradient(parameters.u2, dPlus2, dMinus2, quantizer2_.span());
  return loss / batch;
}

std::vector<int> argmaxRows(const Matrix &values) {
  std::vector<int> result(static_cast<std::size_t>(values.rows()));
  for (int row = 0; row < values.rows(); ++row) {
    int best = 0;
    for (int col = 1; col < values.cols(); ++col) {
      if (values(row, col) > values(row, best)) {
        best = col;
      }
    }
    result[static_cast<std::size_t>(row)] = best;
  }
  return result;
}

} // namespace dwspice::train
