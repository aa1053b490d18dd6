#include "numeric/sundials_compiled_ops.hpp"

#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>

namespace dwspice {

namespace {

std::span<double> values(N_Vector v) {
  return {NV_DATA_S(v), static_cast<std::size_t>(NV_LENGTH_S(v))};
}

// z_i = op(x_i) and z_i = op(x_i, y_i). Each element is read before it is
// written, so z may be x or y, as SUNDIALS allows.
template <class Op> void elementwise(N_Vector x, N_Vector z, Op op) {
  const double *xs = NV_DATA_S(x);
  double *zs = NV_DATA_S(z);
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(z));
  for (std::size_t i = 0; i < n; ++i) {
    zs[i] = op(xs[i]);
  }
}

template <class Op> void elementwise(N_Vector x, N_Vector y, N_Vector z, Op op) {
  const double *xs = NV_DATA_S(x);
  const double *ys = NV_DATA_S(y);
  double *zs = NV_DATA_S(z);
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(z));
  for (std::size_t i = 0; i < n; ++i) {
    zs[i] = op(xs[i], ys[i]);
  }
}

void linearSum(double a, N_Vector x, double b, N_Vector y, N_Vector z) {
  elementwise(x, y, z, [a, b](double xi, double yi) { return a * xi + b * yi; });
}

void constant(double c, N_Vector z) {
  std::ranges::fill(values(z), c);
}

void product(N_Vector x, N_Vector y, N_Vector z) {
  elementwise(x, y, z, [](double xi, double yi) { return xi * yi; });
}

void quotient(N_Vector x, N_Vector y, N_Vector z) {
  elementwise(x, y, z, [](double xi, double yi) { return xi / yi; });
}

void scale(double c, N_Vector x, N_Vector z) {
  elementwise(x, z, [c](double xi) { return c * xi; });
}

void absolute(N_Vector x, N_Vector z) {
  elementwise(x, z, [](double xi) { return std::abs(xi); });
}

void inverse(N_Vector x, N_Vector z) {
  elementwise(x, z, [](double xi) { return 1.0 / xi; });
}

void addConstant(N_Vector x, double b, N_Vector z) {
  elementwise(x, z, [b](double xi) { return xi + b; });
}

// Σ term(x_i, y_i)
template <class Term> double sumOver(N_Vector x, N_Vector y, Term term) {
  const double *xs = NV_DATA_S(x);
  const double *ys = NV_DATA_S(y);
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(x));
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += term(xs[i], ys[i]);
  }
  return sum;
}

double dotProduct(N_Vector x, N_Vector y) {
  return sumOver(x, y, [](double xi, double yi) { return xi * yi; });
}

double maxNorm(N_Vector x) {
  double largest = 0.0;
  for (const double v : values(x)) {
    largest = std::max(largest, std::abs(v));
  }
  return largest;
}

// Σ (x_i·w_i)²
double weightedSquareSum(N_Vector x, N_Vector w) {
  return sumOver(x, w, [](double xi, double wi) { return (xi * wi) * (xi * wi); });
}

// Σ over id_i > 0 of (x_i·w_i)²
double weightedSquareSumMasked(N_Vector x, N_Vector w, N_Vector id) {
  const double *xs = NV_DATA_S(x);
  const double *ws = NV_DATA_S(w);
  const double *ids = NV_DATA_S(id);
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(x));
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double term = xs[i] * ws[i];
    sum += ids[i] > 0.0 ? term * term : 0.0;
  }
  return sum;
}

// The root-mean-square norms divide by the full length, masked or not.
double wrmsNorm(N_Vector x, N_Vector w) {
  return std::sqrt(weightedSquareSum(x, w) / static_cast<double>(NV_LENGTH_S(x)));
}

double wrmsNormMasked(N_Vector x, N_Vector w, N_Vector id) {
  return std::sqrt(weightedSquareSumMasked(x, w, id) / static_cast<double>(NV_LENGTH_S(x)));
}

double minimum(N_Vector x) {
  const std::span<double> xs = values(x);
  return xs.empty() ? 0.0 : *std::ranges::min_element(xs);
}

double weightedL2Norm(N_Vector x, N_Vector w) {
  return std::sqrt(weightedSquareSum(x, w));
}

double l1Norm(N_Vector x) {
  double sum = 0.0;
  for (const double v : values(x)) {
    sum += std::abs(v);
  }
  return sum;
}

// z_i = 1 if |x_i| >= c, else 0
void compare(double c, N_Vector x, N_Vector z) {
  elementwise(x, z, [c](double xi) { return std::abs(xi) >= c ? 1.0 : 0.0; });
}

// z = 1/x where x_i != 0; false if some x_i is zero.
sunbooleantype inverseTest(N_Vector x, N_Vector z) {
  const double *xs = NV_DATA_S(x);
  double *zs = NV_DATA_S(z);
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(z));
  bool allNonzero = true;
  for (std::size_t i = 0; i < n; ++i) {
    if (xs[i] == 0.0) {
      allNonzero = false;
    } else {
      zs[i] = 1.0 / xs[i];
    }
  }
  return allNonzero ? SUNTRUE : SUNFALSE;
}

// z = Σ_k c_k·X_k; z may be any of the X_k (each element is read before it is written).
int linearCombination(int count, double *c, N_Vector *xs, N_Vector z) {
  if (count < 1) {
    return -1;
  }
  double *zs = NV_DATA_S(z);
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(z));
  const double *x0 = NV_DATA_S(xs[0]);
  if (count == 1) {
    for (std::size_t i = 0; i < n; ++i) {
      zs[i] = c[0] * x0[i];
    }
    return 0;
  }
  const double *x1 = NV_DATA_S(xs[1]);
  for (std::size_t i = 0; i < n; ++i) {
    zs[i] = c[0] * x0[i] + c[1] * x1[i];
  }
  for (int k = 2; k < count; ++k) {
    const double *xk = NV_DATA_S(xs[k]);
    const double ck = c[k];
    for (std::size_t i = 0; i < n; ++i) {
      zs[i] += ck * xk[i];
    }
  }
  return 0;
}

// Z_k = a_k·x + Y_k; Z_k may be Y_k.
int scaleAddMulti(int count, double *a, N_Vector x, N_Vector *ys, N_Vector *zs) {
  if (count < 1) {
    return -1;
  }
  const double *xs = NV_DATA_S(x);
  const auto n = static_cast<std::size_t>(NV_LENGTH_S(x));
  for (int k = 0; k < count; ++k) {
    const double *yk = NV_DATA_S(ys[k]);
    double *zk = NV_DATA_S(zs[k]);
    const double ak = a[k];
    for (std::size_t i = 0; i < n; ++i) {
      zk[i] = ak * xs[i] + yk[i];
    }
  }
  return 0;
}

// Zeroes a sparse matrix as SUNMatZero_Sparse does: values, row indices and
// column starts alike (the Jacobian callback writes the pattern back).
int zeroSparse(SUNMatrix matrix) {
  const auto nonZeros = static_cast<std::size_t>(SM_NNZ_S(matrix));
  const auto starts = static_cast<std::size_t>(SM_NP_S(matrix)) + 1;
  std::fill_n(SM_DATA_S(matrix), nonZeros, 0.0);
  std::fill_n(SM_INDEXVALS_S(matrix), nonZeros, sunindextype{0});
  std::fill_n(SM_INDEXPTRS_S(matrix), starts, sunindextype{0});
  return SUNMAT_SUCCESS;
}

} // namespace

void installCompiledMatrixOps(SUNMatrix matrix) {
  matrix->ops->zero = zeroSparse;
}

void installCompiledVectorOps(N_Vector vector) {
  N_Vector_Ops ops = vector->ops;
  ops->nvlinearsum = linearSum;
  ops->nvconst = constant;
  ops->nvprod = product;
  ops->nvdiv = quotient;
  ops->nvscale = scale;
  ops->nvabs = absolute;
  ops->nvinv = inverse;
  ops->nvaddconst = addConstant;
  ops->nvdotprod = dotProduct;
  ops->nvmaxnorm = maxNorm;
  ops->nvwrmsnorm = wrmsNorm;
  ops->nvwrmsnormmask = wrmsNormMasked;
  ops->nvmin = minimum;
  ops->nvwl2norm = weightedL2Norm;
  ops->nvl1norm = l1Norm;
  ops->nvcompare = compare;
  ops->nvinvtest = inverseTest;
  ops->nvlinearcombination = linearCombination;
  ops->nvscaleaddmulti = scaleAddMulti;
  // The local (per-process) kernels: on a serial vector they are the whole
  // reductions.
  ops->nvdotprodlocal = dotProduct;
  ops->nvmaxnormlocal = maxNorm;
  ops->nvminlocal = minimum;
  ops->nvl1normlocal = l1Norm;
  ops->nvinvtestlocal = inverseTest;
  ops->nvwsqrsumlocal = weightedSquareSum;
  ops->nvwsqrsummasklocal = weightedSquareSumMasked;
}

} // namespace dwspice
