// Least-squares polynomial fit with the degree chosen by leave-one-out
// cross-validation (the degree that predicts held-out points best).
#pragma once

#include <vector>

namespace dwspice::characterize {

struct PolynomialFit {
  int degree = 0;
  std::vector<double> coefficients; // c0 … c_degree, y ≈ Σ c_k·x^k
  double rmsResidual = 0;           // on the fitted points
  double crossValidationRms = 0;    // leave-one-out prediction error
  [[nodiscard]] double operator()(double x) const;
};

// Fits degrees 1 … maxDegree (limited by the number of points) and returns
// the one with the smallest leave-one-out error. Throws std::invalid_argument
// for fewer than 3 points.
PolynomialFit fitPolynomial(const std::vector<double> &x, const std::vector<double> &y, int maxDegree = 9);

} // namespace dwspice::characterize
