#include "polynomial_fit.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace dwspice::characterize {

namespace {

// Vandermonde solve by QR (well conditioned for x in [0, 1] and small degrees).
std::vector<double> leastSquares(const std::vector<double> &x, const std::vector<double> &y, int degree,
                                 long skip = -1) {
  const long rows = static_cast<long>(x.size()) - (skip >= 0 ? 1 : 0);
  Eigen::MatrixXd a(rows, degree + 1);
  Eigen::VectorXd b(rows);
  long r = 0;
  for (long i = 0; i < static_cast<long>(x.size()); ++i) {
    if (i == skip) {
      continue;
    }
    double power = 1.0;
    for (int k = 0; k <= degree; ++k) {
      a(r, k) = power;
      power *= x[static_cast<size_t>(i)];
    }
    b(r) = y[static_cast<size_t>(i)];
    ++r;
  }
  const Eigen::VectorXd c = a.colPivHouseholderQr().solve(b);
  return {c.data(), c.data() + c.size()};
}

double evaluate(const std::vector<double> &c, double x) {
  double value = 0.0;
  for (auto it = c.rbegin(); it != c.rend(); ++it) {
    value = value * x + *it;
  }
  return value;
}

} // namespace

double PolynomialFit::operator()(double x) const {
  return evaluate(coefficients, x);
}

PolynomialFit fitPolynomial(const std::vector<double> &x, const std::vector<double> &y, int maxDegree) {
  if (x.size() != y.size() || x.size() < 3) {
    throw std::invalid_argument("polynomial fit needs at least 3 (x, y) points");
  }
  const int n = static_cast<int>(x.size());
  PolynomialFit best;
  best.crossValidationRms = std::numeric_limits<double>::infinity();
  for (int degree = 1; degree <= std::min(maxDegree, n - 2); ++degree) {
    double press = 0.0;
    for (long i = 0; i < n; ++i) {
      const double err =
          evaluate(leastSquares(x, y, degree, i), x[static_cast<size_t>(i)]) - y[static_cast<size_t>(i)];
      press += err * err;
    }
    const double cv = std::sqrt(press / n);
    if (cv < best.crossValidationRms) {
      best.degree = degree;
      best.crossValidationRms = cv;
      best.coefficients = leastSquares(x, y, degree);
    }
  }
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    const double err = best(x[static_cast<size_t>(i)]) - y[static_cast<size_t>(i)];
    sum += err * err;
  }
  best.rmsResidual = std::sqrt(sum / n);
  return best;
}

} // namespace dwspice::characterize
