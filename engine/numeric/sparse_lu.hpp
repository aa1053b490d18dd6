// Sparse LU factorisation of a CSC matrix with SuiteSparse KLU (64-bit
// indices, matching SUNDIALS' sunindextype).
//
// Circuit matrices keep one sparsity pattern for a whole analysis, so the
// expensive ordering (symbolic analysis) is done once (again only if an
// entry that was exactly zero so far becomes nonzero: structural zeros are
// left out, see sparse_lu.cpp); later factorisations
// reuse the pivot order through klu_l_refactor and only fall back to a full
// factorisation (new pivots) when the reused pivots turn out poor.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace dwspice {

class SparseLU {
public:
  // `columnStarts` (n+1) and `rowIndices` (nnz) describe the pattern; they
  // are copied, so the caller's arrays need not outlive the object.
  SparseLU(std::span<const int64_t> columnStarts, std::span<const int64_t> rowIndices);
  ~SparseLU();
  SparseLU(const SparseLU &) = delete;
  SparseLU &operator=(const SparseLU &) = delete;
  SparseLU(SparseLU &&) noexcept;
  SparseLU &operator=(SparseLU &&) noexcept;

  struct FactorResult {
    bool ok = false;
    // Solver column (0-based) found singular, when !ok and KLU could tell.
    std::optional<int64_t> singularColumn;
  };

  // Factors the matrix with these values (nnz of them, in pattern order).
  // Values identical to the last successful factorisation are not factored
  // again (linear circuits re-use one factorisation for the whole analysis).
  FactorResult factor(std::span<const double> values);

  // Solves A·x = rhs in place (rhs has n entries). Requires a successful
  // factor().
  void solve(std::span<double> rhs);

  [[nodiscard]] int64_t size() const;
  // Statistics, for tests and logs.
  [[nodiscard]] long fullFactorizations() const;
  [[nodiscard]] long refactorizations() const;
  [[nodiscard]] long symbolicAnalyses() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace dwspice
