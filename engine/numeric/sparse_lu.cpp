#include "numeric/sparse_lu.hpp"

#include "numeric/fill_reducing_order.hpp"

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
  // The full pattern as given, and which of its entries have ever been
  // nonzero. Circuit patterns carry structural zeros (every branch row has a
  // diagonal slot for gmin); factoring only the entries that are nonzero lets
  // KLU's block-triangular form split off sources and can turn a crossbar
  // into a triangular system.
  std::vector<SuiteSparse_long> fullColumnStarts, fullRowIndices;
  std::vector<char> active;
  std::vector<size_t> activePositions; // full-pattern positions of the compressed entries
  // The compressed (active) pattern and the values KLU factors.
  std::vector<SuiteSparse_long> columnStarts, rowIndices;
  std::vector<double> values;       // values of the current factorisation
  std::vector<double> factoredWith; // copy, to skip identical refactorisations
  klu_l_common common{};
  klu_l_symbolic *symbolic = nullptr;
  klu_l_numeric *numeric = nullptr;
  bool factored = false;
  long fullCount = 0, refactorCount = 0, analyses = 0;

  ~Impl() {
    if (numeric != nullptr) {
      klu_l_free_numeric(&numeric, &common);
    }
    if (symbolic != nullptr) {
      klu_l_free_symbolic(&symbolic, &common);
    }
  }

  [[nodiscard]] SuiteSparse_long n() const {
    return static_cast<SuiteSparse_long>(fullColumnStarts.size()) - 1;
  }

  // Marks newly nonzero entries active; true if the active pattern grew.
  bool activate(std::span<const double> full) {
    bool grew = symbolic == nullptr;
    for (size_t k = 0; k < full.size(); ++k) {
      if (full[k] != 0.0 && active[k] == 0) {
        active[k] = 1;
        grew = true;
      }
    }
    return grew;
  }

  // Rebuilds the compressed pattern and its symbolic analysis.
  void analyze() {
    if (numeric != nullptr) {
      klu_l_free_numeric(&numeric, &common);
    }
    if (symbolic != nullptr) {
      klu_l_free_symbolic(&symbolic, &common);
    }
    // KLU rejects empty columns: an all-zero column keeps its first entry
    // (the factorisation then reports it singular, as it should).
    for (SuiteSparse_long c = 0; c < n(); ++c) {
      const auto begin = active.begin() + fullColumnStarts[static_cast<size_t>(c)];
      const auto end = active.begin() + fullColumnStarts[static_cast<size_t>(c) + 1];
      if (begin != end && std::find(begin, end, char{1}) == end) {
        *begin = 1;
      }
    }
    columnStarts.assign(fullColumnStarts.size(), 0);
    rowIndices.clear();
    activePositions.clear();
    for (SuiteSparse_long c = 0; c < n(); ++c) {
      for (SuiteSparse_long k = fullColumnStarts[static_cast<size_t>(c)];
           k < fullColumnStarts[static_cast<size_t>(c) + 1]; ++k) {
        if (active[static_cast<size_t>(k)] != 0) {
          rowIndices.push_back(fullRowIndices[static_cast<size_t>(k)]);
          activePositions.push_back(static_cast<size_t>(k));
        }
      }
      columnStarts[static_cast<size_t>(c) + 1] = static_cast<SuiteSparse_long>(rowIndices.size());
    }
    values.assign(rowIndices.size(), 0.0);
    ++analyses;
    symbolic = klu_l_analyze(n(), columnStarts.data(), rowIndices.data(), &common);
    checkFatal("symbolic analysis");
    if (symbolic == nullptr) {
      throw std::runtime_error("KLU symbolic analysis returned no result");
    }
  }

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
  impl_->fullColumnStarts.assign(columnStarts.begin(), columnStarts.end());
  impl_->fullRowIndices.assign(rowIndices.begin(), rowIndices.end());
  impl_->active.assign(rowIndices.size(), 0);
  klu_l_defaults(&impl_->common);
  chooseFillReducingOrdering(impl_->common, static_cast<long>(impl_->n()));
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
long SparseLU::symbolicAnalyses() const {
  return impl_->analyses;
}

SparseLU::FactorResult SparseLU::factor(std::span<const double> values) {
  Impl &m = *impl_;
  if (values.size() < m.fullRowIndices.size()) {
    throw std::invalid_argument("SparseLU::factor: too few values");
  }
  const auto used = values.first(m.fullRowIndices.size());
  if (m.n() == 0) {
    m.factored = true;
    return {true, std::nullopt};
  }
  if (m.factored && std::equal(used.begin(), used.end(), m.factoredWith.begin())) {
    return {true, std::nullopt};
  }
  if (m.activate(used)) {
    m.analyze();
  }
  for (size_t k = 0; k < m.activePositions.size(); ++k) {
    m.values[k] = used[m.activePositions[k]];
  }
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
