#include "numeric/fill_reducing_order.hpp"

#include <amd.h>
#include <cholmod.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace dwspice {

namespace {

// Below this block size AMD's ordering is as good and much cheaper.
constexpr SuiteSparse_long kNestedDissectionMinSize = 2000;

// AMD through KLU's own interface shape, for small blocks and as fallback.
SuiteSparse_long amdOrder(SuiteSparse_long n, SuiteSparse_long *Ap, SuiteSparse_long *Ai,
                          SuiteSparse_long *Perm) {
  double control[AMD_CONTROL];
  double info[AMD_INFO];
  amd_l_defaults(control);
  return amd_l_order(n, Ap, Ai, Perm, control, info) >= AMD_OK ? 1 : 0;
}

struct CholmodSession {
  cholmod_common common{};
  CholmodSession() {
    cholmod_l_start(&common);
    common.print = 0;
  }
  ~CholmodSession() { cholmod_l_finish(&common); }
  CholmodSession(const CholmodSession &) = delete;
  CholmodSession &operator=(const CholmodSession &) = delete;
};

} // namespace

SuiteSparse_long nestedDissectionOrder(SuiteSparse_long n, SuiteSparse_long *Ap, SuiteSparse_long *Ai,
                                       SuiteSparse_long *Perm, klu_l_common * /*common*/) {
  if (n < kNestedDissectionMinSize) {
    return amdOrder(n, Ap, Ai, Perm);
  }
  // Upper triangle of the pattern of A + Aᵀ (no diagonal), column-wise.
  std::vector<std::vector<SuiteSparse_long>> columns(static_cast<size_t>(n));
  for (SuiteSparse_long j = 0; j < n; ++j) {
    for (SuiteSparse_long k = Ap[j]; k < Ap[j + 1]; ++k) {
      const SuiteSparse_long i = Ai[k];
      if (i != j) {
        columns[static_cast<size_t>(std::max(i, j))].push_back(std::min(i, j));
      }
    }
  }
  size_t entries = 0;
  for (auto &column : columns) {
    std::sort(column.begin(), column.end());
    column.erase(std::unique(column.begin(), column.end()), column.end());
    entries += column.size();
  }
  CholmodSession session;
  cholmod_sparse *symmetric =
      cholmod_l_allocate_sparse(static_cast<size_t>(n), static_cast<size_t>(n), std::max<size_t>(entries, 1),
                                1, 1, 1, CHOLMOD_PATTERN, &session.common);
  if (symmetric == nullptr) {
    return amdOrder(n, Ap, Ai, Perm);
  }
  auto *starts = static_cast<SuiteSparse_long *>(symmetric->p);
  auto *rows = static_cast<SuiteSparse_long *>(symmetric->i);
  starts[0] = 0;
  for (SuiteSparse_long j = 0; j < n; ++j) {
    const auto &column = columns[static_cast<size_t>(j)];
    std::copy(column.begin(), column.end(), rows + starts[j]);
    starts[j + 1] = starts[j] + static_cast<SuiteSparse_long>(column.size());
  }
  const int ok = cholmod_l_metis(symmetric, nullptr, 0, 1, Perm, &session.common);
  cholmod_l_free_sparse(&symmetric, &session.common);
  return ok != 0 ? 1 : amdOrder(n, Ap, Ai, Perm);
}

void chooseFillReducingOrdering(klu_l_common &common, long n) {
  if (n >= kNestedDissectionMinSize) {
    common.ordering = 3;
    common.user_order = nestedDissectionOrder;
  } else {
    // AMD, not SUNLinSol_KLU's default COLAMD: on the reduced MNIST
    // classifier (1326 unknowns, a few dense conveyor rows) COLAMD's fill
    // made each refactorisation ~4x dearer and the whole image ~2x slower.
    common.ordering = 0;
  }
}

} // namespace dwspice
