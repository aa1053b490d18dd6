// The compiled SUNDIALS operations (numeric/sundials_compiled_ops.hpp) against
// SUNDIALS' own serial vector and sparse matrix, operation by operation, on random
// vectors, including the aliasing SUNDIALS permits (result = an input).
#include "analysis/sundials_handles.hpp"
#include "numeric/sundials_compiled_ops.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

using namespace dwspice;

namespace {

constexpr sunindextype kLength = 37; // odd: exercises any unrolled tail

// Two sets of vectors with equal contents: `stock` keeps SUNDIALS' operations.
struct Pair {
  dwspice::sundials::Vector stock;
  dwspice::sundials::Vector tuned;
};

Pair makePair(const dwspice::sundials::Context &context, std::mt19937 &random, bool mask = false) {
  Pair pair{dwspice::sundials::Vector(N_VNew_Serial(kLength, context.get())),
            dwspice::sundials::makeVector(kLength, context)};
  std::uniform_real_distribution<double> value(-2.0, 2.0);
  for (sunindextype i = 0; i < kLength; ++i) {
    const double v = mask ? (i % 3 == 0 ? 0.0 : 1.0) : value(random);
    NV_Ith_S(pair.stock.get(), i) = v;
    NV_Ith_S(pair.tuned.get(), i) = v;
  }
  return pair;
}

void checkSame(const Pair &pair) {
  for (sunindextype i = 0; i < kLength; ++i) {
    CHECK(NV_Ith_S(pair.tuned.get(), i) == doctest::Approx(NV_Ith_S(pair.stock.get(), i)).epsilon(1e-14));
  }
}

void checkSame(double tuned, double stock) {
  CHECK(tuned == doctest::Approx(stock).epsilon(1e-13));
}

} // namespace

TEST_CASE("compiled vector operations agree with SUNDIALS' serial ones") {
  const dwspice::sundials::Context context;
  std::mt19937 random(20261124);
  Pair x = makePair(context, random), y = makePair(context, random), w = makePair(context, random);
  Pair z = makePair(context, random), id = makePair(context, random, true);
  const auto both = [](const Pair &p, bool tuned) { return tuned ? p.tuned.get() : p.stock.get(); };

  for (const bool tuned : {false, true}) {
    N_VLinearSum(0.7, both(x, tuned), -1.3, both(y, tuned), both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) { // z = a·z + b·y (aliased)
    N_VLinearSum(1.0, both(z, tuned), 2.5, both(y, tuned), both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) {
    N_VProd(both(x, tuned), both(y, tuned), both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) {
    N_VDiv(both(x, tuned), both(y, tuned), both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) {
    N_VScale(-3.0, both(x, tuned), both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) {
    N_VScale(0.5, both(z, tuned), both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) {
    N_VAbs(both(x, tuned), both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) {
    N_VInv(both(y, tuned), both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) {
    N_VAddConst(both(x, tuned), 0.25, both(z, tuned));
  }
  checkSame(z);
  for (const bool tuned : {false, true}) {
    N_VCompare(1.0, both(x, tuned), both(z, tuned));
  }
  checkSame(z);
  std::array<sunbooleantype, 2> inverseOk{};
  for (const bool tuned : {false, true}) {
    inverseOk[tuned ? 1 : 0] = N_VInvTest(both(id, tuned), both(z, tuned)); // id has zeros
  }
  CHECK(inverseOk[0] == inverseOk[1]);
  CHECK(inverseOk[1] == SUNFALSE);
  for (const bool tuned : {false, true}) {
    N_VConst(4.5, both(z, tuned));
  }
  checkSame(z);

  checkSame(N_VDotProd(x.tuned.get(), y.tuned.get()), N_VDotProd(x.stock.get(), y.stock.get()));
  checkSame(N_VMaxNorm(x.tuned.get()), N_VMaxNorm(x.stock.get()));
  checkSame(N_VWrmsNorm(x.tuned.get(), w.tuned.get()), N_VWrmsNorm(x.stock.get(), w.stock.get()));
  checkSame(N_VWrmsNormMask(x.tuned.get(), w.tuned.get(), id.tuned.get()),
            N_VWrmsNormMask(x.stock.get(), w.stock.get(), id.stock.get()));
  checkSame(N_VMin(x.tuned.get()), N_VMin(x.stock.get()));
  checkSame(N_VWL2Norm(x.tuned.get(), w.tuned.get()), N_VWL2Norm(x.stock.get(), w.stock.get()));
  checkSame(N_VL1Norm(x.tuned.get()), N_VL1Norm(x.stock.get()));

  // Fused operations (the stock vector has none enabled: SUNDIALS' generic
  // fallback through linear sums is the reference).
  std::array<double, 3> c{0.5, -1.5, 2.0};
  for (const bool tuned : {false, true}) {
    std::array<N_Vector, 3> vectors{both(z, tuned), both(x, tuned), both(y, tuned)}; // z = c0·z + …
    CHECK(N_VLinearCombination(3, c.data(), vectors.data(), both(z, tuned)) == 0);
  }
  checkSame(z);
  Pair z2 = makePair(context, random);
  for (const bool tuned : {false, true}) {
    std::array<N_Vector, 2> ys{both(y, tuned), both(z2, tuned)};
    std::array<N_Vector, 2> zs{both(z, tuned), both(z2, tuned)}; // second result aliases its input
    CHECK(N_VScaleAddMulti(2, c.data(), both(x, tuned), ys.data(), zs.data()) == 0);
  }
  checkSame(z);
  checkSame(z2);
}

TEST_CASE("vectors IDA clones from a tuned vector keep the compiled operations") {
  const dwspice::sundials::Context context;
  const dwspice::sundials::Vector original = dwspice::sundials::makeVector(kLength, context);
  const dwspice::sundials::Vector clone(N_VClone(original.get()));
  const bool cloneKeepsOps = clone->ops->nvlinearsum == original->ops->nvlinearsum;
  CHECK(cloneKeepsOps);
  const dwspice::sundials::Vector stock(N_VNew_Serial(kLength, context.get()));
  const bool stockDiffers = stock->ops->nvlinearsum != original->ops->nvlinearsum;
  CHECK(stockDiffers);
}

TEST_CASE("the compiled sparse zeroing clears what SUNDIALS' clears") {
  const dwspice::sundials::Context context;
  const dwspice::sundials::Matrix stock(SUNSparseMatrix(4, 4, 6, CSC_MAT, context.get()));
  const dwspice::sundials::Matrix tuned(SUNSparseMatrix(4, 4, 6, CSC_MAT, context.get()));
  installCompiledMatrixOps(tuned.get());
  for (SUNMatrix m : {stock.get(), tuned.get()}) {
    for (sunindextype k = 0; k < 6; ++k) {
      SM_DATA_S(m)[k] = 1.5 + static_cast<double>(k);
      SM_INDEXVALS_S(m)[k] = k % 4;
    }
    for (sunindextype c = 0; c <= 4; ++c) {
      SM_INDEXPTRS_S(m)[c] = c;
    }
    CHECK(SUNMatZero(m) == SUNMAT_SUCCESS);
  }
  for (sunindextype k = 0; k < 6; ++k) {
    CHECK(SM_DATA_S(tuned.get())[k] == SM_DATA_S(stock.get())[k]);
    CHECK(SM_INDEXVALS_S(tuned.get())[k] == SM_INDEXVALS_S(stock.get())[k]);
  }
  for (sunindextype c = 0; c <= 4; ++c) {
    CHECK(SM_INDEXPTRS_S(tuned.get())[c] == SM_INDEXPTRS_S(stock.get())[c]);
  }
}
