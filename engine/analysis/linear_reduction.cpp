#include "analysis/linear_reduction.hpp"

#include "analysis/cost_timer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fmt/core.h>
#include <map>
#include <stdexcept>
#include <unordered_map>

namespace dwspice {

namespace {

// Entries of A_LL⁻¹·A_LN and of the Schur complement below this fraction of
// their column's largest entry are rounding noise of exact zeros (e.g. a
// column node held at 0 V by a source) and are dropped.
constexpr double kDropFraction = 1e-14;
// A source row matches its class when it is within this fraction of its
// amplitude of the class prediction.
constexpr double kClassTolerance = 1e-12;
// More classes than this and the per-evaluation sums cost more than a solve.
constexpr size_t kMaxClasses = 256;
// Breakpoints sampled for the class search (the check on every evaluation
// covers the rest).
constexpr size_t kMaxSampledBreakpoints = 200;

// Records the (row, column) entries a device declares, leaving its slots
// alone. Devices declare their entries into members in setupMatrix() and do
// nothing else there (device.hpp), so asking again is read-only.
class DeclarationRecorder final : public MatrixBuilder {
public:
  explicit DeclarationRecorder(const Circuit &circuit) : circuit_(circuit) {}
  void entry(int row, int col, MatrixSlot * /*slot*/) override { entries.emplace_back(row, col); }
  Device &device(const std::string &name, const SourceLoc &loc) override {
    return circuit_.requireDevice(name, loc);
  }
  std::vector<std::pair<int, int>> entries;

private:
  const Circuit &circuit_;
};

// Maximum bipartite matching of columns to rows (BFS augmenting paths) on a
// CSC pattern over positions 0..n-1. Returns the matched row of each column
// (-1: unmatched); the columns and rows left unmatched make the block
// structurally singular.
std::vector<long> matchColumns(const std::vector<std::vector<long>> &rowsOfColumn, long n,
                               std::vector<long> &columnOfRow) {
  std::vector<long> rowOfColumn(static_cast<size_t>(n), -1);
  columnOfRow.assign(static_cast<size_t>(n), -1);
  // Cheap pass: the diagonal, then any free row.
  for (long c = 0; c < n; ++c) {
    const auto &rows = rowsOfColumn[static_cast<size_t>(c)];
    if (std::find(rows.begin(), rows.end(), c) != rows.end() && columnOfRow[static_cast<size_t>(c)] < 0) {
      rowOfColumn[static_cast<size_t>(c)] = c;
      columnOfRow[static_cast<size_t>(c)] = c;
    }
  }
  std::vector<long> stamp(static_cast<size_t>(n), -1), parentColumn(static_cast<size_t>(n), -1);
  std::vector<long> queue;
  for (long start = 0; start < n; ++start) {
    if (rowOfColumn[static_cast<size_t>(start)] >= 0) {
      continue;
    }
    queue.assign(1, start);
    bool augmented = false;
    for (size_t head = 0; head < queue.size() && !augmented; ++head) {
      const long column = queue[head];
      for (const long row : rowsOfColumn[static_cast<size_t>(column)]) {
        if (stamp[static_cast<size_t>(row)] == start) {
          continue;
        }
        stamp[static_cast<size_t>(row)] = start;
        parentColumn[static_cast<size_t>(row)] = column;
        if (columnOfRow[static_cast<size_t>(row)] < 0) {
          // Flip the path back to `start`.
          long current = row;
          while (true) {
            const long via = parentColumn[static_cast<size_t>(current)];
            const long previous = rowOfColumn[static_cast<size_t>(via)];
            rowOfColumn[static_cast<size_t>(via)] = current;
            columnOfRow[static_cast<size_t>(current)] = via;
            if (via == start) {
              break;
            }
            current = previous;
          }
          augmented = true;
          break;
        }
        queue.push_back(columnOfRow[static_cast<size_t>(row)]);
      }
    }
  }
  return rowOfColumn;
}

} // namespace

ReducedSystem::ReducedSystem(BuildKey /*key*/, Circuit &circuit) : circuit_(circuit) {}

ReducedSystem::~ReducedSystem() {
  if (circuit_.boundSlotSpace() == &compactSlots_) {
    circuit_.bindNonlinearSlots(nullptr);
  }
}

void ReducedSystem::RowMajorMatrix::build(const SparsePattern &pattern, std::span<const double> values,
                                          int rows) {
  starts.assign(static_cast<size_t>(rows) + 1, 0);
  const auto columns = static_cast<int64_t>(pattern.columnStarts.size()) - 1;
  for (int64_t k = 0; k < pattern.columnStarts.back(); ++k) {
    if (values[static_cast<size_t>(k)] != 0.0) {
      ++starts[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)]) + 1];
    }
  }
  for (size_t r = 1; r < starts.size(); ++r) {
    starts[r] += starts[r - 1];
  }
  std::vector<int> next(starts.begin(), starts.end() - 1);
  unknowns.assign(static_cast<size_t>(starts.back()), 0);
  entries.assign(static_cast<size_t>(starts.back()), 0.0);
  for (int64_t column = 0; column < columns; ++column) {
    for (int64_t k = pattern.columnStarts[static_cast<size_t>(column)];
         k < pattern.columnStarts[static_cast<size_t>(column) + 1]; ++k) {
      if (values[static_cast<size_t>(k)] != 0.0) {
        const auto at =
            static_cast<size_t>(next[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)])]++);
        unknowns[at] = static_cast<int>(column) + 1;
        entries[at] = values[static_cast<size_t>(k)];
      }
    }
  }
}

void ReducedSystem::RowMajorMatrix::addProduct(std::span<const double> x, std::span<double> f) const {
  for (size_t r = 0; r + 1 < starts.size(); ++r) {
    double sum = 0.0;
    for (auto k = static_cast<size_t>(starts[r]); k < static_cast<size_t>(starts[r + 1]); ++k) {
      sum += entries[k] * x[static_cast<size_t>(unknowns[k])];
    }
    f[r + 1] += sum;
  }
}

MatrixSlot ReducedSystem::CompactSlots::slotOf(int row, int col) const {
  const SparsePattern &pattern = system_.pattern_;
  if (row == 0 || col == 0) {
    nextScratch_ = (nextScratch_ + 1) % kGroundScratchSlots;
    return pattern.nonZeros() + nextScratch_;
  }
  const int reducedRow = system_.reducedOf_[static_cast<size_t>(row)] - 1;
  const int reducedCol = system_.reducedOf_[static_cast<size_t>(col)] - 1;
  if (reducedRow >= 0 && reducedCol >= 0) {
    const auto begin = pattern.rowIndices.begin() + pattern.columnStarts[static_cast<size_t>(reducedCol)];
    const auto end = pattern.rowIndices.begin() + pattern.columnStarts[static_cast<size_t>(reducedCol) + 1];
    const auto found = std::lower_bound(begin, end, static_cast<int64_t>(reducedRow));
    if (found != end && *found == reducedRow) {
      return found - pattern.rowIndices.begin();
    }
  }
  // Every entry of a nonlinear device is in N×N (setUp keeps both ends).
  throw std::logic_error(
      fmt::format("linear reduction: nonlinear entry ({}, {}) has no reduced slot", row, col));
}

std::unique_ptr<ReducedSystem> ReducedSystem::build(Circuit &circuit, std::string *why) {
  std::string reason;
  const auto &extra = circuit.options().extra;
  if (extra.count("noreduce") != 0 && extra.at("noreduce") != 0.0) {
    if (why != nullptr) {
      *why = "linear reduction off (.options noreduce)";
    }
    return nullptr;
  }
  // DWSPICE_NOREDUCE=1 does the same for every netlist a process runs (A/B
  // checks of tools that build their own netlists).
  if (const char *env = std::getenv("DWSPICE_NOREDUCE"); env != nullptr && std::string(env) == "1") {
    if (why != nullptr) {
      *why = "linear reduction off (DWSPICE_NOREDUCE=1)";
    }
    return nullptr;
  }
  // DWSPICE_REDUCE=force: as `.options reduce` on every netlist (runs the
  // ngspice comparison suite through the reduction).
  const char *forceEnv = std::getenv("DWSPICE_REDUCE");
  const bool forced = (extra.count("reduce") != 0 && extra.at("reduce") != 0.0) ||
                      (forceEnv != nullptr && std::string(forceEnv) == "force");
  auto system = std::make_unique<ReducedSystem>(BuildKey{}, circuit);
  if (!system->setUp(reason, forced)) {
    if (why != nullptr) {
      *why = reason;
    }
    return nullptr;
  }
  if (why != nullptr) {
    *why = system->describe();
  }
  return system;
}

std::string ReducedSystem::describe() const {
  return fmt::format(
      "linear reduction: {} of {} unknowns eliminated, {} integrated ({} matrix entries, {} of "
      "them nonlinear)",
      eliminated_.size(), circuit_.size(), size(), pattern_.nonZeros(), nonlinearSlots_.size());
}

bool ReducedSystem::setUp(std::string &why, bool forced) {
  const int n = circuit_.size();
  const SparsePattern &full = circuit_.pattern();
  const size_t values = circuit_.lastEvaluation().dfdx.size();

  // Linear G and C, loaded once as the circuit does (x = 0: they are constant).
  xFull_.assign(static_cast<size_t>(n) + 1, 0.0);
  fFull_.assign(xFull_.size(), 0.0);
  qFull_.assign(xFull_.size(), 0.0);
  bFull_.assign(xFull_.size(), 0.0);
  std::vector<double> linearG(values, 0.0), linearC(values, 0.0);
  {
    LoadContext ctx;
    ctx.x = xFull_;
    ctx.options = &circuit_.options();
    ctx.temperature = circuit_.options().temp + 273.15;
    LoadTarget target(fFull_, qFull_, bFull_, linearG, linearC);
    // The constant C of nonlinear devices that promise one joins the linear
    // charges (their G, f and q at this point are not wanted).
    std::vector<double> discardedG(values, 0.0);
    LoadTarget chargesOnly(fFull_, qFull_, bFull_, discardedG, linearC);
    circuit_.bindNonlinearSlots(nullptr);
    for (const auto &device : circuit_.devices()) {
      if (device->isLinear()) {
        device->load(ctx, target);
      } else if (device->hasConstantCharges()) {
        device->load(ctx, chargesOnly);
      } else {
        ++chargeWriters_;
      }
    }
  }

  // N: unknowns touched by a nonlinear device, or carrying charge, or held by .ic.
  std::vector<std::pair<int, int>> nonlinearEntries; // (row, col) declared by nonlinear devices
  std::vector<char> keep(static_cast<size_t>(n) + 1, 0);
  keep[0] = 1;
  excitationDevices_ = circuit_.excitationDevices();
  excitationScales_.clear();
  for (Device *device : excitationDevices_) {
    excitationScales_.push_back(dynamic_cast<const ScalableSource *>(device));
  }
  for (const auto &device : circuit_.devices()) {
    if (device->isLinear()) {
      continue;
    }
    nonlinearDevices_.push_back(device.get());
    DeclarationRecorder recorder(circuit_);
    device->setupMatrix(recorder);
    for (const auto &[row, col] : recorder.entries) {
      keep[static_cast<size_t>(row)] = 1;
      keep[static_cast<size_t>(col)] = 1;
      if (row > 0 && col > 0) {
        nonlinearEntries.emplace_back(row, col);
      }
    }
  }
  std::sort(nonlinearEntries.begin(), nonlinearEntries.end());
  nonlinearEntries.erase(std::unique(nonlinearEntries.begin(), nonlinearEntries.end()),
                         nonlinearEntries.end());
  for (int c = 0; c < n; ++c) {
    for (int64_t k = full.columnStarts[static_cast<size_t>(c)];
         k < full.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
      if (linearC[static_cast<size_t>(k)] != 0.0) {
        keep[static_cast<size_t>(c) + 1] = 1;
        keep[static_cast<size_t>(full.rowIndices[static_cast<size_t>(k)]) + 1] = 1;
      }
    }
  }
  for (const NodeValue &ic : circuit_.initialConditions()) {
    if (const std::optional<int> node = circuit_.findNode(ic.node)) {
      keep[static_cast<size_t>(*node)] = 1;
    }
  }

  // Drop structurally singular parts of A_LL until it has a perfect matching.
  while (true) {
    std::vector<long> position(static_cast<size_t>(n) + 1, -1);
    std::vector<int> candidates;
    for (int k = 1; k <= n; ++k) {
      if (keep[static_cast<size_t>(k)] == 0) {
        position[static_cast<size_t>(k)] = static_cast<long>(candidates.size());
        candidates.push_back(k);
      }
    }
    if (candidates.empty()) {
      why = "linear reduction: no eliminable linear block";
      return false;
    }
    std::vector<std::vector<long>> rowsOfColumn(candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
      const int c = candidates[i] - 1;
      for (int64_t k = full.columnStarts[static_cast<size_t>(c)];
           k < full.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
        const long row = position[static_cast<size_t>(full.rowIndices[static_cast<size_t>(k)]) + 1];
        if (row >= 0 && linearG[static_cast<size_t>(k)] != 0.0) {
          rowsOfColumn[i].push_back(row);
        }
      }
    }
    std::vector<long> columnOfRow;
    const std::vector<long> rowOfColumn =
        matchColumns(rowsOfColumn, static_cast<long>(candidates.size()), columnOfRow);
    bool complete = true;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (rowOfColumn[i] < 0 || columnOfRow[i] < 0) {
        keep[static_cast<size_t>(candidates[i])] = 1;
        complete = false;
      }
    }
    if (complete) {
      eliminated_ = std::move(candidates);
      break;
    }
  }
  eliminatedAbsTol_.resize(eliminated_.size());
  for (size_t i = 0; i < eliminated_.size(); ++i) {
    eliminatedAbsTol_[i] = circuit_.absoluteTolerance(eliminated_[i]);
  }

  // Is it worth it?
  long eliminatedEntries = 0;
  for (int c = 0; c < n; ++c) {
    for (int64_t k = full.columnStarts[static_cast<size_t>(c)];
         k < full.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
      if (keep[static_cast<size_t>(c) + 1] == 0 ||
          keep[static_cast<size_t>(full.rowIndices[static_cast<size_t>(k)]) + 1] == 0) {
        ++eliminatedEntries;
      }
    }
  }
  if (!forced &&
      (static_cast<int>(eliminated_.size()) < kMinEliminated || 2 * eliminatedEntries < full.nonZeros())) {
    why = fmt::format("linear reduction not worth it ({} of {} unknowns, {} of {} matrix entries eliminable)",
                      eliminated_.size(), n, eliminatedEntries, full.nonZeros());
    return false;
  }

  // Index maps.
  lIndexOf_.assign(static_cast<size_t>(n) + 1, -1);
  for (size_t i = 0; i < eliminated_.size(); ++i) {
    lIndexOf_[static_cast<size_t>(eliminated_[i])] = static_cast<int>(i);
  }
  reducedOf_.assign(static_cast<size_t>(n) + 1, 0);
  fullOf_.assign(1, 0);
  for (int k = 1; k <= n; ++k) {
    if (keep[static_cast<size_t>(k)] != 0) {
      reducedOf_[static_cast<size_t>(k)] = static_cast<int>(fullOf_.size());
      fullOf_.push_back(k);
    }
  }
  const int reducedSize = size();
  const auto nL = static_cast<long>(eliminated_.size());
  if (reducedSize == 0) {
    why = "linear reduction: nothing would be left to integrate (linear, charge-free circuit)";
    return false;
  }

  // A_LL (CSC over L positions), A_NL per L column, A_LN per reduced column.
  lPattern_.columnStarts.assign(1, 0);
  couplingNL_.assign(static_cast<size_t>(nL), {});
  couplingLN_.assign(static_cast<size_t>(reducedSize) + 1, {});
  for (long i = 0; i < nL; ++i) {
    const int c = eliminated_[static_cast<size_t>(i)] - 1;
    std::vector<std::pair<long, double>> column;
    for (int64_t k = full.columnStarts[static_cast<size_t>(c)];
         k < full.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
      const double value = linearG[static_cast<size_t>(k)];
      const int rowUnknown = static_cast<int>(full.rowIndices[static_cast<size_t>(k)]) + 1;
      if (value == 0.0) {
        continue;
      }
      if (const int l = lIndexOf_[static_cast<size_t>(rowUnknown)]; l >= 0) {
        column.emplace_back(l, value);
      } else {
        couplingNL_[static_cast<size_t>(i)].push_back({reducedOf_[static_cast<size_t>(rowUnknown)], value});
      }
    }
    std::sort(column.begin(), column.end());
    for (const auto &[row, value] : column) {
      lPattern_.rowIndices.push_back(row);
      lValues_.push_back(value);
    }
    lPattern_.columnStarts.push_back(static_cast<int64_t>(lPattern_.rowIndices.size()));
  }
  lFactor_ = std::make_unique<SparseLU>(lPattern_.columnStarts, lPattern_.rowIndices);
  const SparseLU::FactorResult factored = lFactor_->factor(lValues_);
  if (!factored.ok) {
    why = "linear reduction: the linear block is numerically singular";
    return false;
  }

  // Reduced pattern: the N×N block plus the Schur complement's fill.
  std::vector<std::vector<std::pair<int64_t, MatrixSlot>>> rowsOf(
      static_cast<size_t>(reducedSize)); // (row, full slot)
  std::vector<std::vector<std::pair<int64_t, double>>> schurOf(static_cast<size_t>(reducedSize));
  for (int r = 1; r <= reducedSize; ++r) {
    const int c = fullOf_[static_cast<size_t>(r)] - 1;
    for (int64_t k = full.columnStarts[static_cast<size_t>(c)];
         k < full.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
      const int rowUnknown = static_cast<int>(full.rowIndices[static_cast<size_t>(k)]) + 1;
      const double value = linearG[static_cast<size_t>(k)];
      if (const int reducedRow = reducedOf_[static_cast<size_t>(rowUnknown)]; reducedRow > 0) {
        rowsOf[static_cast<size_t>(r) - 1].emplace_back(reducedRow - 1, k);
      } else if (value != 0.0) {
        couplingLN_[static_cast<size_t>(r)].push_back({lIndexOf_[static_cast<size_t>(rowUnknown)], value});
      }
    }
  }
  schurP_.assign(static_cast<size_t>(reducedSize) + 1, {});
  scratchL_.assign(static_cast<size_t>(nL), 0.0);
  std::vector<double> dense(static_cast<size_t>(reducedSize) + 1, 0.0);
  std::vector<int> touched;
  for (int r = 1; r <= reducedSize; ++r) {
    const auto &coupling = couplingLN_[static_cast<size_t>(r)];
    if (coupling.empty()) {
      continue;
    }
    std::fill(scratchL_.begin(), scratchL_.end(), 0.0);
    for (const Entry &e : coupling) {
      scratchL_[static_cast<size_t>(e.index)] += e.value;
    }
    lFactor_->solve(scratchL_);
    double largest = 0.0;
    for (const double y : scratchL_) {
      largest = std::max(largest, std::abs(y));
    }
    touched.clear();
    for (long i = 0; i < nL; ++i) {
      const double y = scratchL_[static_cast<size_t>(i)];
      if (std::abs(y) <= kDropFraction * largest) {
        continue;
      }
      schurP_[static_cast<size_t>(r)].push_back({static_cast<int>(i), y});
      for (const Entry &e : couplingNL_[static_cast<size_t>(i)]) {
        if (dense[static_cast<size_t>(e.index)] == 0.0) {
          touched.push_back(e.index);
        }
        dense[static_cast<size_t>(e.index)] += e.value * y;
      }
    }
    double columnScale = 0.0;
    for (const int row : touched) {
      columnScale = std::max(columnScale, std::abs(dense[static_cast<size_t>(row)]));
    }
    for (const int row : touched) {
      const double s = dense[static_cast<size_t>(row)];
      dense[static_cast<size_t>(row)] = 0.0;
      if (std::abs(s) > kDropFraction * columnScale) {
        schurOf[static_cast<size_t>(r) - 1].emplace_back(row - 1, s);
      }
    }
  }

  std::vector<int> weightedPosition(static_cast<size_t>(nL), -1);
  weightedColumns_.clear();
  weightEntries_.clear();
  for (size_t r = 1; r < schurP_.size(); ++r) {
    if (schurP_[r].empty()) {
      continue;
    }
    const auto begin = static_cast<int>(weightEntries_.size());
    for (const Entry &e : schurP_[r]) {
      int &position = weightedPosition[static_cast<size_t>(e.index)];
      if (position < 0) {
        position = static_cast<int>(weightedEliminated_.size());
        weightedEliminated_.push_back(e.index);
      }
      weightEntries_.push_back({position, e.value});
    }
    weightedColumns_.push_back({static_cast<int>(r), begin, static_cast<int>(weightEntries_.size())});
  }
  coupledWeights_.assign(weightedColumns_.size(), 0.0);
  weightedValues_.assign(weightedEliminated_.size(), 0.0);
  weightedScratch_.assign(weightedEliminated_.size(), 0.0);

  pattern_.columnStarts.assign(1, 0);
  pattern_.rowIndices.clear();
  reducedG_.clear();
  reducedC_.clear();
  nonlinearSlots_.clear();
  linearCharges_.clear();
  diagonalSlots_.assign(static_cast<size_t>(reducedSize) + 1, 0);
  for (int c = 0; c < reducedSize; ++c) {
    auto &rows = rowsOf[static_cast<size_t>(c)];
    auto &schur = schurOf[static_cast<size_t>(c)];
    std::sort(rows.begin(), rows.end());
    std::sort(schur.begin(), schur.end());
    size_t a = 0, b = 0;
    while (a < rows.size() || b < schur.size()) {
      const int64_t rowA = a < rows.size() ? rows[a].first : std::numeric_limits<int64_t>::max();
      const int64_t rowB = b < schur.size() ? schur[b].first : std::numeric_limits<int64_t>::max();
      const int64_t row = std::min(rowA, rowB);
      const auto slot = static_cast<MatrixSlot>(pattern_.rowIndices.size());
      double g = 0.0, cap = 0.0;
      if (rowA == row) {
        const MatrixSlot fullSlot = rows[a].second;
        g = linearG[static_cast<size_t>(fullSlot)];
        cap = linearC[static_cast<size_t>(fullSlot)];
        if (std::binary_search(nonlinearEntries.begin(), nonlinearEntries.end(),
                               std::pair<int, int>(fullOf_[static_cast<size_t>(row) + 1],
                                                   fullOf_[static_cast<size_t>(c) + 1]))) {
          nonlinearSlots_.push_back({slot, static_cast<int>(row), c});
        }
        ++a;
      }
      if (rowB == row) {
        g -= schur[b].second;
        ++b;
      }
      if (row == c) {
        diagonalSlots_[static_cast<size_t>(c) + 1] = slot;
      }
      pattern_.rowIndices.push_back(row);
      reducedG_.push_back(g);
      reducedC_.push_back(cap);
      if (cap != 0.0) {
        linearCharges_.push_back({static_cast<int>(row), c, cap});
      }
    }
    pattern_.columnStarts.push_back(static_cast<int64_t>(pattern_.rowIndices.size()));
  }
  linearByRow_.build(pattern_, reducedG_, reducedSize);

  const size_t reducedValues = pattern_.rowIndices.size();
  nonlinearG_.assign(reducedValues + kGroundScratchSlots, 0.0);
  nonlinearC_.assign(reducedValues + kGroundScratchSlots, 0.0);
  eval_.f.assign(static_cast<size_t>(reducedSize) + 1, 0.0);
  eval_.q.assign(eval_.f.size(), 0.0);
  linearQ_.assign(eval_.f.size(), 0.0);
  evaluatedX_.assign(eval_.f.size(), 0.0);
  eval_.b.assign(eval_.f.size(), 0.0);
  eval_.dfdx.assign(reducedValues, 0.0);
  eval_.dqdx.assign(reducedValues, 0.0);
  scratchL2_.assign(static_cast<size_t>(nL), 0.0);
  excitationScratch_.assign(xFull_.size(), 0.0);
  classOfRow_.assign(static_cast<size_t>(nL), -1);
  scaleOfRow_.assign(static_cast<size_t>(nL), 0.0);
  // Until prepareRun() groups the sources, every evaluation takes the exact path.
  for (long i = 0; i < nL; ++i) {
    classOfRow_[static_cast<size_t>(i)] = -2;
  }
  std::map<std::vector<double>, int> keys;
  shapedOfRow_.assign(static_cast<size_t>(n) + 1, -1);
  for (Device *device : excitationDevices_) {
    const auto *shaped = dynamic_cast<const ShapedExcitation *>(device);
    if (shaped == nullptr) {
      continue;
    }
    std::vector<double> key = shaped->shapeKey();
    if (key.empty()) {
      continue;
    }
    const int shape = keys.emplace(std::move(key), static_cast<int>(keys.size())).first->second;
    const int row = shaped->excitationRow();
    shapedOfRow_[static_cast<size_t>(row)] = static_cast<int>(shapedSources_.size());
    shapedSources_.push_back({device, row, shape});
  }
  shapeCount_ = static_cast<int>(keys.size());
  chooseInferredSources();
  if (fullOf_.size() - 1 + eliminated_.size() != static_cast<size_t>(n)) {
    throw std::logic_error(
        "linear reduction: N and L do not partition the unknowns"); // expand() relies on it
  }
  return true;
}

void ReducedSystem::prepareRun(double tstop) {
  const long nL = static_cast<long>(eliminated_.size());
  // Sample times: 0, the corners (subsampled if there are very many), the
  // midpoints between them and a few irrational fractions of tstop.
  std::vector<double> corners = circuit_.breakpoints(tstop);
  if (corners.size() > kMaxSampledBreakpoints) {
    std::vector<double> kept;
    for (size_t i = 0; i < kMaxSampledBreakpoints; ++i) {
      kept.push_back(corners[i * corners.size() / kMaxSampledBreakpoints]);
    }
    corners = std::move(kept);
  }
  std::vector<double> times{0.0};
  double previous = 0.0;
  for (const double corner : corners) {
    times.push_back(0.5 * (previous + corner));
    times.push_back(corner);
    previous = corner;
  }
  if (tstop > previous) {
    times.push_back(0.5 * (previous + tstop));
    times.push_back(tstop);
  }
  for (int k = 1; k <= 7; ++k) {
    const double fraction = std::fmod(0.5 + k * 0.6180339887498949, 1.0);
    times.push_back(fraction * tstop);
  }
  const size_t probes = times.size();
  std::vector<double> samples(static_cast<size_t>(nL) * probes, 0.0);
  // A source scaled by 0 (a dark pixel: most of an MNIST image) adds exact
  // zeros to b at every time, so sampling it changes nothing.
  std::vector<Device *> sampled;
  for (size_t k = 0; k < excitationDevices_.size(); ++k) {
    const ScalableSource *scalable = excitationScales_[k];
    if (scalable == nullptr || scalable->waveformScale() != 0.0) {
      sampled.push_back(excitationDevices_[k]);
    }
  }
  std::fill(xFull_.begin(), xFull_.end(), 0.0);
  for (size_t p = 0; p < probes; ++p) {
    LoadContext ctx;
    ctx.x = xFull_;
    ctx.time = times[p];
    ctx.mode = AnalysisMode::Transient;
    ctx.options = &circuit_.options();
    ctx.temperature = circuit_.options().temp + 273.15;
    std::fill(excitationScratch_.begin(), excitationScratch_.end(), 0.0);
    LoadTarget target(fFull_, qFull_, excitationScratch_, nonlinearG_, nonlinearC_);
    for (Device *device : sampled) {
      device->loadExcitation(ctx, target);
    }
    for (long i = 0; i < nL; ++i) {
      samples[static_cast<size_t>(i) * probes + p] =
          excitationScratch_[static_cast<size_t>(eliminated_[static_cast<size_t>(i)])];
    }
  }

  // Group rows whose sample vectors are proportional.
  classes_.clear();
  std::vector<std::vector<double>> shapes; // per class: representative samples / its reference value
  std::unordered_multimap<size_t, size_t> byKey;
  bool tooMany = false;
  for (long i = 0; i < nL && !tooMany; ++i) {
    const double *v = &samples[static_cast<size_t>(i) * probes];
    size_t reference = 0;
    for (size_t p = 1; p < probes; ++p) {
      if (std::abs(v[p]) > std::abs(v[reference])) {
        reference = p;
      }
    }
    if (v[reference] == 0.0) {
      classOfRow_[static_cast<size_t>(i)] = -1;
      scaleOfRow_[static_cast<size_t>(i)] = 0.0;
      continue;
    }
    size_t key = reference;
    for (size_t p = 0; p < probes; ++p) {
      const auto rounded = static_cast<long long>(std::llround(v[p] / v[reference] * 1e6));
      key = key * 1000003u + static_cast<size_t>(rounded);
    }
    int found = -1;
    double foundScale = 0.0;
    const auto [begin, end] = byKey.equal_range(key);
    for (auto it = begin; it != end && found < 0; ++it) {
      const std::vector<double> &shape = shapes[it->second];
      double dot = 0.0, norm = 0.0;
      for (size_t p = 0; p < probes; ++p) {
        dot += v[p] * shape[p];
        norm += shape[p] * shape[p];
      }
      const double scale = dot / norm;
      bool matches = true;
      for (size_t p = 0; p < probes && matches; ++p) {
        matches = std::abs(v[p] - scale * shape[p]) <= kClassTolerance * std::abs(scale);
      }
      if (matches) {
        found = static_cast<int>(it->second);
        foundScale = scale;
      }
    }
    if (found < 0) {
      if (classes_.size() >= kMaxClasses) {
        tooMany = true;
        break;
      }
      found = static_cast<int>(classes_.size());
      foundScale = v[reference];
      std::vector<double> shape(v, v + probes);
      for (double &s : shape) {
        s /= v[reference];
      }
      shapes.push_back(std::move(shape));
      ShapeClass shapeClass;
      shapeClass.representative = eliminated_[static_cast<size_t>(i)];
      shapeClass.representativeScale = v[reference];
      classes_.push_back(std::move(shapeClass));
      byKey.emplace(key, static_cast<size_t>(found));
    }
    classOfRow_[static_cast<size_t>(i)] = found;
    scaleOfRow_[static_cast<size_t>(i)] = foundScale;
  }
  if (tooMany) {
    // Sources of too many shapes: every evaluation takes the exact path.
    classes_.clear();
    std::fill(classOfRow_.begin(), classOfRow_.end(), -2);
    weights_.clear();
    chooseInferredSources();
    excitationCached_ = false;
    return;
  }
  // The rows of c_k are the class members' scales.
  for (size_t k = 0; k < classes_.size(); ++k) {
    ShapeClass &shapeClass = classes_[k];
    shapeClass.peak = 0.0;
    for (const double s : shapes[k]) {
      shapeClass.peak = std::max(shapeClass.peak, std::abs(s));
    }
    shapeClass.solved.assign(static_cast<size_t>(nL), 0.0);
    for (long i = 0; i < nL; ++i) {
      if (classOfRow_[static_cast<size_t>(i)] == static_cast<int>(k)) {
        shapeClass.solved[static_cast<size_t>(i)] = scaleOfRow_[static_cast<size_t>(i)];
      }
    }
    lFactor_->solve(shapeClass.solved);
    shapeClass.reducedEffect.assign(static_cast<size_t>(size()) + 1, 0.0);
    for (long i = 0; i < nL; ++i) {
      const double y = shapeClass.solved[static_cast<size_t>(i)];
      if (y != 0.0) {
        for (const Entry &e : couplingNL_[static_cast<size_t>(i)]) {
          shapeClass.reducedEffect[static_cast<size_t>(e.index)] += e.value * y;
        }
      }
    }
  }
  weights_.assign(classes_.size(), 0.0);
  chooseInferredSources();
  excitationCached_ = false;
}

void ReducedSystem::chooseInferredSources() {
  evaluatedExcitation_.clear();
  inferredExcitation_.clear();
  checkedRows_.clear();
  // A source is inferred when its row is in a class whose representative
  // row belongs to another source of the same shape key: the two are then
  // proportional at every time (ShapedExcitation), and the class weight
  // comes from the representative, which stays evaluated. A source whose
  // samples were all zero (class −1, a black pixel) is inferred to be zero
  // when its key is a representative's: that shape is nonzero at one of the
  // common sample times, so the source's amplitude is zero.
  std::vector<int> representativeShape(classes_.size(), -1);
  std::vector<char> sampledShape(static_cast<size_t>(shapeCount_), 0); // by shape: some representative has it
  for (size_t k = 0; k < classes_.size(); ++k) {
    const int owner = shapedOfRow_[static_cast<size_t>(classes_[k].representative)];
    if (owner >= 0) {
      representativeShape[k] = shapedSources_[static_cast<size_t>(owner)].shape;
      sampledShape[static_cast<size_t>(representativeShape[k])] = 1;
    }
  }
  std::vector<char> inferredRow(eliminated_.size(), 0);
  std::vector<const Device *> inferred;
  for (const ShapedSource &source : shapedSources_) {
    const int position = lIndexOf_[static_cast<size_t>(source.row)];
    if (position < 0) {
      continue;
    }
    const int shapeClass = classOfRow_[static_cast<size_t>(position)];
    const bool proportional = shapeClass >= 0 &&
                              source.row != classes_[static_cast<size_t>(shapeClass)].representative &&
                              representativeShape[static_cast<size_t>(shapeClass)] == source.shape;
    const bool zero = shapeClass == -1 && sampledShape[static_cast<size_t>(source.shape)] != 0;
    if (proportional || zero) {
      inferredRow[static_cast<size_t>(position)] = 1;
      inferred.push_back(source.device);
    }
  }
  std::sort(inferred.begin(), inferred.end());
  for (Device *device : excitationDevices_) {
    (std::binary_search(inferred.begin(), inferred.end(), device) ? inferredExcitation_
                                                                  : evaluatedExcitation_)
        .push_back(device);
  }
  for (size_t i = 0; i < eliminated_.size(); ++i) {
    if (inferredRow[i] == 0) {
      checkedRows_.push_back(static_cast<int>(i));
    }
  }
}

bool ReducedSystem::loadExcitation(const LoadContext &ctx, std::vector<double> &b,
                                   std::vector<double> &weights) {
  // Excitation writes b only (device.hpp).
  LoadTarget target(fFull_, qFull_, b, nonlinearG_, nonlinearC_);
  // The shapes are promised for a transient and the operating point that
  // starts it; anything else loads and checks every source.
  const bool inferring = ctx.mode == AnalysisMode::Transient || ctx.transientStart;
  for (Device *device : inferring ? evaluatedExcitation_ : excitationDevices_) {
    device->loadExcitation(ctx, target);
  }
  if (matchClasses(b, weights, !inferring)) {
    return true;
  }
  if (inferring) {
    for (Device *device : inferredExcitation_) {
      device->loadExcitation(ctx, target);
    }
  }
  return false;
}

bool ReducedSystem::matchClasses(const std::vector<double> &b, std::vector<double> &weights,
                                 bool allRows) const {
  for (size_t k = 0; k < classes_.size(); ++k) {
    weights[k] = b[static_cast<size_t>(classes_[k].representative)] / classes_[k].representativeScale;
  }
  const size_t rows = allRows ? eliminated_.size() : checkedRows_.size();
  for (size_t r = 0; r < rows; ++r) {
    const size_t i = allRows ? r : static_cast<size_t>(checkedRows_[r]);
    const double value = b[static_cast<size_t>(eliminated_[i])];
    const int shapeClass = classOfRow_[i];
    if (shapeClass == -2) {
      return false;
    }
    if (shapeClass < 0) {
      if (value != 0.0) {
        return false;
      }
      continue;
    }
    const double scale = scaleOfRow_[i];
    const double predicted = scale * weights[static_cast<size_t>(shapeClass)];
    const double tolerance = kClassTolerance * std::abs(scale) *
                             std::max(classes_[static_cast<size_t>(shapeClass)].peak,
                                      std::abs(weights[static_cast<size_t>(shapeClass)]));
    if (!(std::abs(value - predicted) <= tolerance)) {
      return false;
    }
  }
  return true;
}

void ReducedSystem::computeExcitation(const LoadContext &fullCtx) {
  const int reducedSize = size();
  std::fill(excitationScratch_.begin(), excitationScratch_.end(), 0.0);
  const bool matched = loadExcitation(fullCtx, excitationScratch_, weights_);
  excitationMatched_ = matched;
  reducedExcitation_.assign(static_cast<size_t>(reducedSize) + 1, 0.0);
  for (int r = 1; r <= reducedSize; ++r) {
    reducedExcitation_[static_cast<size_t>(r)] =
        excitationScratch_[static_cast<size_t>(fullOf_[static_cast<size_t>(r)])];
  }
  // − A_NL·A_LL⁻¹·b_L, from the classes or by a solve.
  if (matched) {
    for (size_t k = 0; k < classes_.size(); ++k) {
      const double w = weights_[k];
      if (w == 0.0) {
        continue;
      }
      const std::vector<double> &effect = classes_[k].reducedEffect;
      for (int r = 1; r <= reducedSize; ++r) {
        reducedExcitation_[static_cast<size_t>(r)] -= w * effect[static_cast<size_t>(r)];
      }
    }
    return;
  }
  ++classMisses_;
  CostCounters &costs = circuit_.costCounters();
  const CostTimer timer(costs.solveSeconds);
  for (size_t i = 0; i < eliminated_.size(); ++i) {
    scratchL2_[i] = excitationScratch_[static_cast<size_t>(eliminated_[i])];
  }
  lFactor_->solve(scratchL2_);
  ++costs.solves;
  for (size_t i = 0; i < eliminated_.size(); ++i) {
    const double y = scratchL2_[i];
    if (y != 0.0) {
      for (const Entry &e : couplingNL_[i]) {
        reducedExcitation_[static_cast<size_t>(e.index)] -= e.value * y;
      }
    }
  }
}

const Evaluation &ReducedSystem::evaluate(const LoadContext &ctx) {
  evaluateResidual(ctx);
  completeJacobian();
  return eval_;
}

void ReducedSystem::completeCharges() {
  if (!chargesStale_) {
    return;
  }
  const CostTimer timer(circuit_.costCounters().assemblySeconds);
  // q = q_nonlinear + C_lin·x and dq/dx = C_lin + C_nonlinear, at the point
  // of the last evaluation.
  std::fill(linearQ_.begin(), linearQ_.end(), 0.0);
  for (const LinearCharge &charge : linearCharges_) {
    linearQ_[static_cast<size_t>(charge.row) + 1] +=
        charge.value * evaluatedX_[static_cast<size_t>(charge.col) + 1];
  }
  for (size_t r = 1; r < eval_.q.size(); ++r) {
    eval_.q[r] = qFull_[static_cast<size_t>(fullOf_[r])] + linearQ_[r];
  }
  completeCapacitance();
  chargesStale_ = false;
}

void ReducedSystem::completeCapacitance() {
  if (!capacitanceStale_) {
    return;
  }
  for (size_t k = 0; k < reducedC_.size(); ++k) {
    eval_.dqdx[k] = reducedC_[k] + nonlinearC_[k];
  }
  capacitanceStale_ = false;
}

void ReducedSystem::addChargeTimes(std::span<const double> dx, std::span<double> r) const {
  for (const LinearCharge &charge : linearCharges_) {
    r[static_cast<size_t>(charge.row)] += charge.value * dx[static_cast<size_t>(charge.col)];
  }
  if (chargeWriters_ == 0) {
    return; // every nonlinear C is in linearCharges_
  }
  for (const NonlinearSlot &s : nonlinearSlots_) {
    r[static_cast<size_t>(s.row)] +=
        nonlinearC_[static_cast<size_t>(s.reduced)] * dx[static_cast<size_t>(s.col)];
  }
}

void ReducedSystem::completeJacobian() {
  completeCharges();
  if (!jacobianStale_) {
    return;
  }
  const CostTimer timer(circuit_.costCounters().assemblySeconds);
  for (size_t k = 0; k < reducedG_.size(); ++k) {
    eval_.dfdx[k] = reducedG_[k] + nonlinearG_[k];
  }
  jacobianStale_ = false;
}

const Evaluation &ReducedSystem::evaluateResidual(const LoadContext &ctx) {
  CostCounters &costs = circuit_.costCounters();
  ++costs.residualEvaluations;
  const double start = phaseClockSeconds();
  const double nestedBefore = costs.deviceSeconds + costs.solveSeconds;
  const int reducedSize = size();
  for (int r = 1; r <= reducedSize; ++r) {
    xFull_[static_cast<size_t>(fullOf_[static_cast<size_t>(r)])] = ctx.x[static_cast<size_t>(r)];
  }
  // Nonlinear devices write only rows of N (and ground's scratch row 0).
  for (const int full : fullOf_) {
    fFull_[static_cast<size_t>(full)] = 0.0;
    qFull_[static_cast<size_t>(full)] = 0.0;
    bFull_[static_cast<size_t>(full)] = 0.0;
  }
  std::fill(nonlinearG_.begin(), nonlinearG_.end(), 0.0);
  if (chargeWriters_ > 0) {
    std::fill(nonlinearC_.begin(), nonlinearC_.end(), 0.0);
  }

  LoadContext fullCtx = ctx;
  fullCtx.x = xFull_;
  fullCtx.constantChargesHeld = true;
  circuit_.bindNonlinearSlots(&compactSlots_);
  {
    const CostTimer timer(costs.deviceSeconds);
    LoadTarget target(fFull_, qFull_, bFull_, nonlinearG_, nonlinearC_);
    for (Device *device : nonlinearDevices_) {
      device->load(fullCtx, target);
    }
  }
  const ExcitationKey key{ctx.time, ctx.sourceFactor, ctx.mode, ctx.transientStart};
  if (!excitationCached_ || !(key == excitationKey_)) {
    computeExcitation(fullCtx);
    excitationKey_ = key;
    excitationCached_ = true;
  }

  for (int r = 0; r <= reducedSize; ++r) {
    const auto full = static_cast<size_t>(fullOf_[static_cast<size_t>(r)]);
    eval_.f[static_cast<size_t>(r)] = r == 0 ? 0.0 : fFull_[full];
    eval_.q[static_cast<size_t>(r)] = r == 0 ? 0.0 : qFull_[full];
    // (bFull_ holds anything a device's load() put into b; sources use loadExcitation.)
    eval_.b[static_cast<size_t>(r)] =
        r == 0 ? 0.0 : bFull_[full] + reducedExcitation_[static_cast<size_t>(r)];
  }
  // f += G·x only; q and dq/dx wait for completeCharges() (the residual
  // takes C·x' from addChargeTimes).
  linearByRow_.addProduct(ctx.x, eval_.f);
  // completeCharges() forms C_lin·x at this x (expand() reuses xFull_).
  std::copy(ctx.x.begin(), ctx.x.end(), evaluatedX_.begin());
  jacobianStale_ = true;
  chargesStale_ = true;
  capacitanceStale_ = capacitanceStale_ || chargeWriters_ > 0; // else dq/dx = C_lin, constant
  const double elapsed = phaseClockSeconds() - start;
  // Device loads (and a fallback solve) have their own counters.
  costs.assemblySeconds += std::max(0.0, elapsed - (costs.deviceSeconds + costs.solveSeconds - nestedBefore));
  return eval_;
}

void ReducedSystem::solveEliminated(const std::vector<double> &b, std::span<const double> x,
                                    std::vector<double> &xL) {
  for (size_t i = 0; i < eliminated_.size(); ++i) {
    xL[i] = b[static_cast<size_t>(eliminated_[i])];
  }
  for (int r = 1; r <= size(); ++r) {
    const double xr = x[static_cast<size_t>(r)];
    if (xr != 0.0) {
      for (const Entry &e : couplingLN_[static_cast<size_t>(r)]) {
        xL[static_cast<size_t>(e.index)] -= e.value * xr;
      }
    }
  }
  lFactor_->solve(xL);
  ++circuit_.costCounters().solves;
}

void ReducedSystem::expand(std::span<const double> x, const LoadContext &ctx, std::span<double> full) {
  const int reducedSize = size();
  // N and L partition the unknowns: every entry of full is written below.
  full[0] = 0.0;
  for (int r = 1; r <= reducedSize; ++r) {
    full[static_cast<size_t>(fullOf_[static_cast<size_t>(r)])] = x[static_cast<size_t>(r)];
    xFull_[static_cast<size_t>(fullOf_[static_cast<size_t>(r)])] = x[static_cast<size_t>(r)];
  }
  LoadContext fullCtx = ctx;
  fullCtx.x = xFull_;
  // Usually the point of the last evaluation: its class weights are known.
  const ExcitationKey key{ctx.time, ctx.sourceFactor, ctx.mode, ctx.transientStart};
  std::vector<double> &weights = expandWeights_;
  weights.assign(classes_.size(), 0.0);
  bool matched = false;
  if (excitationCached_ && key == excitationKey_ && excitationMatched_) {
    weights = weights_;
    matched = true;
  } else {
    std::fill(excitationScratch_.begin(), excitationScratch_.end(), 0.0);
    matched = loadExcitation(fullCtx, excitationScratch_, weights);
  }
  if (matched) {
    bool written = false; // the first class with a weight assigns instead of adding to zeros
    for (size_t k = 0; k < classes_.size(); ++k) {
      const double w = weights[k];
      if (w != 0.0) {
        const std::vector<double> &solved = classes_[k].solved;
        if (written) {
          for (size_t i = 0; i < scratchL_.size(); ++i) {
            scratchL_[i] += w * solved[i];
          }
        } else {
          for (size_t i = 0; i < scratchL_.size(); ++i) {
            scratchL_[i] = w * solved[i];
          }
          written = true;
        }
      }
    }
    if (!written) {
      std::fill(scratchL_.begin(), scratchL_.end(), 0.0);
    }
    for (int r = 1; r <= reducedSize; ++r) {
      const double xr = x[static_cast<size_t>(r)];
      if (xr != 0.0) {
        for (const Entry &e : schurP_[static_cast<size_t>(r)]) {
          scratchL_[static_cast<size_t>(e.index)] -= e.value * xr;
        }
      }
    }
  } else {
    ++classMisses_;
    solveEliminated(excitationScratch_, x, scratchL_);
  }
  for (size_t i = 0; i < eliminated_.size(); ++i) {
    full[static_cast<size_t>(eliminated_[i])] = scratchL_[i];
  }
  for (size_t m = 0; m < weightedEliminated_.size(); ++m) {
    weightedValues_[m] = scratchL_[static_cast<size_t>(weightedEliminated_[m])];
  }
}

void ReducedSystem::adjustErrorWeights(std::span<double> weights) const {
  const SimOptions &options = circuit_.options();
  const double dilution = std::sqrt(static_cast<double>(size()) / static_cast<double>(circuit_.size()));
  for (size_t m = 0; m < weightedEliminated_.size(); ++m) {
    weightedScratch_[m] = 1.0 / (options.reltol * std::abs(weightedValues_[m]) +
                                 eliminatedAbsTol_[static_cast<size_t>(weightedEliminated_[m])]);
  }
  for (size_t m = 0; m < weightedColumns_.size(); ++m) {
    const WeightedColumn &column = weightedColumns_[m];
    const double weight = weights[static_cast<size_t>(column.column) - 1];
    double squared = weight * weight;
    for (int k = column.begin; k < column.end; ++k) {
      const Entry &e = weightEntries_[static_cast<size_t>(k)];
      const double coupled = weightedScratch_[static_cast<size_t>(e.index)] * e.value;
      squared += coupled * coupled;
    }
    coupledWeights_[m] = dilution * std::sqrt(squared);
  }
  for (double &weight : weights) {
    weight *= dilution; // sqrt(w²) of a positive weight
  }
  for (size_t m = 0; m < weightedColumns_.size(); ++m) {
    weights[static_cast<size_t>(weightedColumns_[m].column) - 1] = coupledWeights_[m];
  }
}

void ReducedSystem::restrict(std::span<const double> full, std::span<double> x) const {
  x[0] = 0.0;
  for (int r = 1; r <= size(); ++r) {
    x[static_cast<size_t>(r)] = full[static_cast<size_t>(fullOf_[static_cast<size_t>(r)])];
  }
}

std::unique_ptr<DaeSystem> makeTransientSystem(Circuit &circuit, std::string &log) {
  std::unique_ptr<ReducedSystem> reduced = ReducedSystem::build(circuit, &log);
  if (reduced) {
    return reduced;
  }
  return std::make_unique<FullSystem>(circuit);
}

} // namespace dwspice
