// The KLU wrapper: solves, reuses factorisations, reports singular columns.
#include "numeric/sparse_lu.hpp"

#include <doctest/doctest.h>

#include <vector>

using dwspice::SparseLU;

TEST_CASE("sparse LU: solve, refactor with new values, skip identical values") {
  // [[4 1 0] [1 3 1] [0 1 2]] in CSC.
  const std::vector<int64_t> starts{0, 2, 5, 7};
  const std::vector<int64_t> rows{0, 1, 0, 1, 2, 1, 2};
  std::vector<double> values{4, 1, 1, 3, 1, 1, 2};
  SparseLU lu(starts, rows);
  REQUIRE(lu.factor(values).ok);
  std::vector<double> rhs{5, 5, 3}; // x = (1, 1, 1)
  lu.solve(rhs);
  CHECK(rhs[0] == doctest::Approx(1));
  CHECK(rhs[1] == doctest::Approx(1));
  CHECK(rhs[2] == doctest::Approx(1));
  CHECK(lu.fullFactorizations() == 1);

  REQUIRE(lu.factor(values).ok); // identical: nothing to do
  CHECK(lu.fullFactorizations() + lu.refactorizations() == 1);

  values = {8, 2, 2, 6, 2, 2, 4}; // doubled: same pivots, refactor suffices
  REQUIRE(lu.factor(values).ok);
  CHECK(lu.refactorizations() == 1);
  CHECK(lu.fullFactorizations() == 1);
  rhs = {10, 10, 6};
  lu.solve(rhs);
  CHECK(rhs[0] == doctest::Approx(1));
  CHECK(rhs[2] == doctest::Approx(1));
}

TEST_CASE("sparse LU: a pivot that becomes zero forces a fresh factorisation") {
  // [[a 1] [1 1]]: with a = 2 KLU may pivot on a; a = 0 needs a row swap.
  const std::vector<int64_t> starts{0, 2, 4};
  const std::vector<int64_t> rows{0, 1, 0, 1};
  SparseLU lu(starts, rows);
  REQUIRE(lu.factor(std::vector<double>{2, 1, 1, 1}).ok);
  REQUIRE(lu.factor(std::vector<double>{0, 1, 1, 1}).ok);
  std::vector<double> rhs{1, 3}; // x2 = 1, x1 = 2
  lu.solve(rhs);
  CHECK(rhs[0] == doctest::Approx(2));
  CHECK(rhs[1] == doctest::Approx(1));
}

TEST_CASE("sparse LU: singular matrix reports the column") {
  // Column 1 is all zero.
  const std::vector<int64_t> starts{0, 1, 2, 3};
  const std::vector<int64_t> rows{0, 1, 2};
  SparseLU lu(starts, rows);
  const auto result = lu.factor(std::vector<double>{1, 0, 1});
  CHECK_FALSE(result.ok);
  REQUIRE(result.singularColumn.has_value());
  CHECK(*result.singularColumn == 1);
  std::vector<double> rhs{1, 1, 1};
  CHECK_THROWS(lu.solve(rhs));
}

TEST_CASE("sparse LU: structural zeros are left out until they become nonzero") {
  // [[2 0] [1 3]] with the (0,1) entry present in the pattern but zero.
  const std::vector<int64_t> starts{0, 2, 4};
  const std::vector<int64_t> rows{0, 1, 0, 1};
  SparseLU lu(starts, rows);
  REQUIRE(lu.factor(std::vector<double>{2, 1, 0, 3}).ok);
  CHECK(lu.symbolicAnalyses() == 1);
  std::vector<double> rhs{2, 4}; // x = (1, 1)
  lu.solve(rhs);
  CHECK(rhs[0] == doctest::Approx(1));
  CHECK(rhs[1] == doctest::Approx(1));
  // Now the entry is used: a new analysis, and the right answer.
  REQUIRE(lu.factor(std::vector<double>{2, 1, 1, 3}).ok);
  CHECK(lu.symbolicAnalyses() == 2);
  rhs = {3, 4};
  lu.solve(rhs);
  CHECK(rhs[0] == doctest::Approx(1));
  CHECK(rhs[1] == doctest::Approx(1));
  // Going back to zero keeps the (larger) pattern: no new analysis.
  REQUIRE(lu.factor(std::vector<double>{2, 1, 0, 3}).ok);
  CHECK(lu.symbolicAnalyses() == 2);
}
