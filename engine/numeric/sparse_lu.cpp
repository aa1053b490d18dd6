#include "numeric/sparse_lu.hpp"

#include <klu.h>

#include <algorithm>
#include <fmt/core.h>
#include <stdexcept>

namespace dwspice {

namespace {

// Reused pivots whose smallest |U(k,k)| falls this far below the largest are
// distrusted and the matrix is factored again with fresh pivoting. Circuit
// matrices legitimately span many decades (gmin next to milliohm wires), so
// the bar is low; a needless full factorisation only costs time.
constexpr double kRefactorMinRcond = 1e-14;

} // namespace

struct SparseLU::Impl {
  std::vector<SuiteSparse_long> columnStarts, rowIndices;
  std::vector<double> values;       // values of the current factorisation
  std::vector<double> factoredWith; // copy, to skip identical refactorisations
  klu_l_common common{};
  klu_l_symbolic *symbolic = nullptr;
  klu_l_numeric *numeric = nullptr;
  bool factored = false;
  long fullCount = 0, refactorCount = 0;

  ~Impl() {
    if (numeric != nullptr) {
      klu_l_free_numeric(&numeric, &common);
    }
    if (symbolic != nullptr) {
      klu_l_free_symbolic(&symbolic, &common);
    }
  }

  [[nodiscard]] SuiteSparse_long n() const { return static_cast<SuiteSparse_long>(columnStarts.size()) - 1; }

  FactorResult singular() {
    factored = false;
    FactorResult result;
    if (common.singular_col >= 0 && common.singular_col < n()) {
      result.singularColumn = common.singular_col;
    }
    return result;
  }

  void checkFatal(const char *what) const {
    if (common.status < KLU_OK) {
      throw std::runtime_error(fmt::format("KLU {} failed (status {})", what, common.status));
    }
  }

  FactorResult fullFactor() {
    if (numeric != nullptr) {
      klu_l_free_numeric(&numeric, &common);
    }
    ++fullCount;
    numeric = klu_l_factor(columnStarts.data(), rowIndices.data(), values.data(), symbolic, &common);
    if (common.status == KLU_SINGULAR) {
      if (numeric != nullptr) {
        klu_l_free_numeric(&numeric, &common);
      }
      return singular();
    }
    checkFatal("factorisation");
    if (numeric == nullptr) {
      throw std::runtime_error("KLU factorisation returned no result");
    }
    factored = true;
    return {true, std::nullopt};
  }
};

SparseLU::SparseLU(std::span<const int64_t> columnStarts, std::span<const int64_t> rowIndices)
    : impl_(std::make_unique<Impl>()) {
  if (columnStarts.empty() || static_cast<size_t>(columnStarts.back()) != rowIndices.size()) {
    throw std::invalid_argument("SparseLU: inconsistent CSC pattern");
  }
  impl_->columnStarts.assign(columnStarts.begin(), columnStarts.end());
  impl_->rowIndices.assign(rowIndices.begin(), rowIndices.end());
  impl_->values.assign(rowIndices.size(), 0.0);
  klu_l_defaults(&impl_->common);
  if (impl_->n() > 0) {
    impl_->symbolic =
        klu_l_analyze(impl_->n(), impl_->columnStarts.data(), impl_->rowIndices.data(), &impl_->common);
    impl_->checkFatal("symbolic analysis");
    if (impl_->symbolic == nullptr) {
      throw std::runtime_error("KLU symbolic analysis returned no result");
    }
  }
}

SparseLU::~SparseLU() = default;
SparseLU::SparseLU(SparseLU &&) noexcept = default;
SparseLU &SparseLU::operator=(SparseLU &&) noexcept = default;

int64_t SparseLU::size() const {
  return impl_->n();
}
long SparseLU::fullFactorizations() const {
  return impl_->fullCount;
}
long SparseLU::refactorizations() const {
  return impl_->refactorCount;
}

SparseLU::FactorResult SparseLU::factor(std::span<const double> values) {
  Impl &m = *impl_;
  if (values.size() < m.values.size()) {
    throw std::invalid_argument("SparseLU::factor: too few values");
  }
  const auto used = values.first(m.values.size());
  if (m.n() == 0) {
    m.factored = true;
    return {true, std::nullopt};
  }
  if (m.factored && std::equal(used.begin(), used.end(), m.factoredWith.begin())) {
    return {true, std::nullopt};
  }
  std::copy(used.begin(), used.end(), m.values.begin());
  FactorResult result;
  if (m.numeric == nullptr) {
    result = m.fullFactor();
  } else {
    ++m.refactorCount;
    const auto ok = klu_l_refactor(m.columnStarts.data(), m.rowIndices.data(), m.values.data(), m.symbolic,
                                   m.numeric, &m.common);
    if (m.common.status < KLU_OK) {
      m.checkFatal("refactorisation");
    }
    bool trusted = ok != 0 && m.common.status == KLU_OK;
    if (trusted) {
      // rcond is KLU's cheap min|U(k,k)|/max|U(k,k)| estimate.
      trusted = klu_l_rcond(m.symbolic, m.numeric, &m.common) != 0 && m.common.rcond >= kRefactorMinRcond;
    }
    result = trusted ? FactorResult{true, std::nullopt} : m.fullFactor();
    m.factored = result.ok;
  }
  if (result.ok) {
    m.factoredWith.assign(used.begin(), used.end());
  }
  return result;
}

void SparseLU::solve(std::span<double> rhs) {
  Impl &m = *impl_;
  if (!m.factored) {
    throw std::logic_error("SparseLU::solve without a successful factorisation");
  }
  if (static_cast<SuiteSparse_long>(rhs.size()) != m.n()) {
    throw std::invalid_argument("SparseLU::solve: wrong right-hand side size");
  }
  if (m.n() == 0) {
    return;
  }
  if (klu_l_solve(m.symbolic, m.numeric, m.n(), 1, rhs.data(), &m.common) == 0) {
    m.checkFatal("solve");
    throw std::runtime_error("KLU solve failed");
  }
}

} // namespace dwspice
