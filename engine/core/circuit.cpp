#include "core/circuit.hpp"

#include "core/device_registry.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <numeric>

namespace dwspice {

namespace {

// Union-find over unknown indices (0 = ground), used by the topology checks.
class DisjointSets {
public:
  explicit DisjointSets(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int find(int i) {
    while (parent_[static_cast<size_t>(i)] != i) {
      parent_[static_cast<size_t>(i)] = parent_[static_cast<size_t>(parent_[static_cast<size_t>(i)])];
      i = parent_[static_cast<size_t>(i)];
    }
    return i;
  }
  bool unite(int a, int b) { // false if already joined
    a = find(a);
    b = find(b);
    if (a == b) {
      return false;
    }
    parent_[static_cast<size_t>(a)] = b;
    return true;
  }

private:
  std::vector<int> parent_;
};

class Allocator final : public UnknownAllocator {
public:
  Allocator(std::vector<UnknownInfo> &unknowns, std::unordered_map<std::string, int> &byName)
      : unknowns_(unknowns), byName_(byName) {}
  int addUnknown(const std::string &outputName, UnknownKind kind) override {
    if (byName_.count(outputName) != 0) {
      throw std::logic_error("unknown allocated twice: " + outputName);
    }
    const int index = static_cast<int>(unknowns_.size());
    unknowns_.push_back({outputName, kind});
    byName_[outputName] = index;
    return index;
  }

private:
  std::vector<UnknownInfo> &unknowns_;
  std::unordered_map<std::string, int> &byName_;
};

struct PendingEntry {
  int row, col;
  MatrixSlot *slot;
};

class PatternCollector final : public MatrixBuilder {
public:
  explicit PatternCollector(const std::unordered_map<std::string, Device *> &devices) : devices_(devices) {}
  void entry(int row, int col, MatrixSlot *slot) override { entries.push_back({row, col, slot}); }
  Device &device(const std::string &name, const SourceLoc &loc) override {
    const auto it = devices_.find(name);
    if (it == devices_.end()) {
      throw UserError(loc, fmt::format("no element named '{}'", name));
    }
    return *it->second;
  }
  std::vector<PendingEntry> entries;

private:
  const std::unordered_map<std::string, Device *> &devices_;
};

} // namespace

Circuit::Circuit(const CircuitSpec &spec)
    : options_(spec.options), nodesets_(spec.nodesets), initialConditions_(spec.initialConditions) {
  unknowns_.push_back({kGroundNode, UnknownKind::Voltage});
  nodeIndex_[kGroundNode] = 0;
  buildDevices(spec);
  buildPattern();
  checkTopology();
}

Circuit::~Circuit() = default;

void Circuit::buildDevices(const CircuitSpec &spec) {
  const DeviceRegistry &registry = DeviceRegistry::instance();
  Allocator allocator(unknowns_, unknownByName_);
  // Nodes first, in order of appearance, so that node unknowns come before
  // branch currents (as in SPICE) and output order is predictable.
  for (const InstanceSpec &inst : spec.instances) {
    for (const std::string &node : inst.nodes) {
      if (nodeIndex_.count(node) == 0) {
        nodeIndex_[node] = allocator.addUnknown(node, UnknownKind::Voltage);
      }
    }
  }
  const TranAnalysisSpec *tran = nullptr;
  for (const AnalysisSpec &analysis : spec.analyses) {
    if (const auto *t = std::get_if<TranAnalysisSpec>(&analysis.kind); t != nullptr && tran == nullptr) {
      tran = t;
    }
  }
  std::vector<int> terminals;
  for (const InstanceSpec &inst : spec.instances) {
    const std::string modelType = inst.model != nullptr ? inst.model->type : std::string();
    const DeviceDescriptor *descriptor = registry.find(inst.letter, modelType);
    if (descriptor == nullptr) {
      if (inst.model != nullptr) {
        throw UserError(inst.loc, fmt::format("model '{}' of type '{}' cannot be used by element '{}'",
                                              inst.model->name, modelType, inst.name));
      }
      throw UserError(inst.loc, fmt::format("unknown element type '{}'", inst.letter));
    }
    if (descriptor->terminals != static_cast<int>(inst.nodes.size())) {
      throw UserError(inst.loc, fmt::format("'{}' needs {} terminals, got {}", inst.name,
                                            descriptor->terminals, inst.nodes.size()));
    }
    if (deviceByName_.count(inst.name) != 0) {
      throw UserError(inst.loc, fmt::format("duplicate element name '{}'", inst.name));
    }
    terminals.clear();
    for (const std::string &node : inst.nodes) {
      terminals.push_back(nodeIndex_.at(node));
    }
    std::unique_ptr<Device> device = descriptor->create(DeviceBuildContext{inst, terminals, options_, tran});
    deviceByName_[inst.name] = device.get();
    devices_.push_back(std::move(device));
  }
  for (const auto &device : devices_) {
    device->setupUnknowns(allocator);
    (device->isLinear() ? linearDevices_ : nonlinearDevices_).push_back(device.get());
  }
}

void Circuit::buildPattern() {
  PatternCollector collector(deviceByName_);
  std::vector<int> entryOwner; // device index of each entry, for the topology check
  for (size_t d = 0; d < devices_.size(); ++d) {
    devices_[d]->setupMatrix(collector);
    entryOwner.resize(collector.entries.size(), static_cast<int>(d));
  }
  const int n = size();
  // Every node gets a diagonal entry so that gmin to ground can be added.
  diagonalSlots_.assign(static_cast<size_t>(n) + 1, 0);
  for (int k = 1; k <= n; ++k) {
    collector.entries.push_back({k, k, &diagonalSlots_[static_cast<size_t>(k)]});
    entryOwner.push_back(-1);
  }

  // Column-wise sorted unique (row, col) pairs among non-ground entries.
  std::vector<std::vector<int64_t>> columns(static_cast<size_t>(n));
  for (const PendingEntry &e : collector.entries) {
    if (e.row > 0 && e.col > 0) {
      columns[static_cast<size_t>(e.col - 1)].push_back(e.row - 1);
    }
  }
  pattern_.columnStarts.assign(static_cast<size_t>(n) + 1, 0);
  for (int c = 0; c < n; ++c) {
    auto &rows = columns[static_cast<size_t>(c)];
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    pattern_.columnStarts[static_cast<size_t>(c) + 1] =
        pattern_.columnStarts[static_cast<size_t>(c)] + static_cast<int64_t>(rows.size());
  }
  pattern_.rowIndices.reserve(static_cast<size_t>(pattern_.columnStarts.back()));
  for (const auto &rows : columns) {
    pattern_.rowIndices.insert(pattern_.rowIndices.end(), rows.begin(), rows.end());
  }

  MatrixSlot scratch = pattern_.nonZeros();
  declared_.clear();
  for (size_t i = 0; i < collector.entries.size(); ++i) {
    const PendingEntry &e = collector.entries[i];
    if (e.row == 0 || e.col == 0) {
      *e.slot = scratch++; // private, so topology checks can read its value
    } else {
      const auto begin = pattern_.rowIndices.begin() + pattern_.columnStarts[static_cast<size_t>(e.col - 1)];
      const auto end = pattern_.rowIndices.begin() + pattern_.columnStarts[static_cast<size_t>(e.col)];
      *e.slot = std::lower_bound(begin, end, e.row - 1) - pattern_.rowIndices.begin();
    }
    if (entryOwner[i] >= 0) {
      declared_.push_back({e.row, e.col, devices_[static_cast<size_t>(entryOwner[i])].get(), *e.slot});
    }
  }
  const auto values = static_cast<size_t>(scratch);
  eval_.dfdx.assign(values, 0.0);
  eval_.dqdx.assign(values, 0.0);
  eval_.f.assign(static_cast<size_t>(n) + 1, 0.0);
  eval_.q.assign(static_cast<size_t>(n) + 1, 0.0);
  eval_.b.assign(static_cast<size_t>(n) + 1, 0.0);
}

void Circuit::checkTopology() const {
  const int n = size();
  // Voltage-source (and inductor) loops: ideal voltage edges forming a cycle.
  {
    DisjointSets sets(static_cast<size_t>(n) + 1);
    std::vector<std::pair<int, int>> edges;
    std::vector<Device *> loopDevices;
    for (const auto &device : devices_) {
      edges.clear();
      device->idealVoltageEdges(edges);
      for (const auto &[a, b] : edges) {
        if (!sets.unite(a, b)) {
          throw UserError(device->location(),
                          fmt::format("'{}' closes a loop of voltage sources/inductors between nodes "
                                      "'{}' and '{}' (the loop has no unique DC solution)",
                                      device->name(), unknowns_[static_cast<size_t>(a)].name,
                                      unknowns_[static_cast<size_t>(b)].name));
        }
      }
    }
  }
  // Nodes with no DC path to ground: join unknowns through every nonzero
  // DC conductance at a probe point (x = 0, junctions at gmin).
  {
    std::vector<double> x(static_cast<size_t>(n) + 1, 0.0);
    LoadContext ctx;
    ctx.x = x;
    ctx.gmin = options_.gmin;
    ctx.mode = AnalysisMode::OperatingPoint;
    ctx.temperature = options_.temp + 273.15;
    ctx.options = &options_;
    Evaluation probe;
    probe.f.assign(x.size(), 0.0);
    probe.q.assign(x.size(), 0.0);
    probe.b.assign(x.size(), 0.0);
    probe.dfdx.assign(eval_.dfdx.size(), 0.0);
    probe.dqdx.assign(eval_.dqdx.size(), 0.0);
    LoadTarget target(probe.f, probe.q, probe.b, probe.dfdx, probe.dqdx);
    for (const auto &device : devices_) {
      device->load(ctx, target);
    }
    DisjointSets sets(static_cast<size_t>(n) + 1);
    for (const DeclaredEntry &e : declared_) {
      if (e.row != e.col && probe.dfdx[static_cast<size_t>(e.slot)] != 0.0) {
        sets.unite(e.row, e.col);
      }
    }
    std::vector<std::string> floating;
    for (int k = 1; k <= n; ++k) {
      if (unknowns_[static_cast<size_t>(k)].kind == UnknownKind::Voltage && sets.find(k) != sets.find(0)) {
        floating.push_back(unknowns_[static_cast<size_t>(k)].name);
      }
    }
    if (!floating.empty()) {
      const size_t shown = std::min<size_t>(floating.size(), 10);
      const std::vector<std::string> head(floating.begin(), floating.begin() + static_cast<long>(shown));
      // Point at the first device touching the first floating node.
      SourceLoc where;
      const int first = nodeIndex_.at(floating.front());
      for (const DeclaredEntry &e : declared_) {
        if (e.row == first || e.col == first) {
          where = e.device->location();
          break;
        }
      }
      throw UserError(where, fmt::format("{} node{} with no DC path to ground: {}{}", floating.size(),
                                         floating.size() == 1 ? "" : "s", fmt::join(head, ", "),
                                         floating.size() > shown ? ", …" : ""));
    }
  }
}

std::optional<int> Circuit::findNode(const std::string &node) const {
  const auto it = nodeIndex_.find(node);
  return it == nodeIndex_.end() ? std::nullopt : std::optional<int>(it->second);
}

std::optional<int> Circuit::findUnknown(const std::string &name) const {
  const auto it = unknownByName_.find(name);
  return it == unknownByName_.end() ? std::nullopt : std::optional<int>(it->second);
}

Device *Circuit::findDevice(const std::string &name) const {
  const auto it = deviceByName_.find(name);
  return it == deviceByName_.end() ? nullptr : it->second;
}

const Evaluation &Circuit::evaluate(const LoadContext &ctx) {
  std::fill(eval_.f.begin(), eval_.f.end(), 0.0);
  std::fill(eval_.q.begin(), eval_.q.end(), 0.0);
  std::fill(eval_.b.begin(), eval_.b.end(), 0.0);
  LoadTarget target(eval_.f, eval_.q, eval_.b, eval_.dfdx, eval_.dqdx);
  if (!linearCached_) {
    std::fill(eval_.dfdx.begin(), eval_.dfdx.end(), 0.0);
    std::fill(eval_.dqdx.begin(), eval_.dqdx.end(), 0.0);
    for (Device *device : linearDevices_) {
      device->load(ctx, target);
    }
    linearG_ = eval_.dfdx;
    linearC_ = eval_.dqdx;
    linearCached_ = true;
    // f and q of linear devices are recomputed below from the cached matrices.
    std::fill(eval_.f.begin(), eval_.f.end(), 0.0);
    std::fill(eval_.q.begin(), eval_.q.end(), 0.0);
  }
  std::copy(linearG_.begin(), linearG_.end(), eval_.dfdx.begin());
  std::copy(linearC_.begin(), linearC_.end(), eval_.dqdx.begin());
  // f += G_lin·x, q += C_lin·x over the pattern (ground entries multiply x[0] = 0
  // or land in row 0, so they are skipped).
  const int n = size();
  for (int c = 0; c < n; ++c) {
    const double xc = ctx.x[static_cast<size_t>(c) + 1];
    if (xc == 0.0) {
      continue;
    }
    for (int64_t k = pattern_.columnStarts[static_cast<size_t>(c)]; k < pattern_.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
      const auto row = static_cast<size_t>(pattern_.rowIndices[static_cast<size_t>(k)]) + 1;
      eval_.f[row] += linearG_[static_cast<size_t>(k)] * xc;
      eval_.q[row] += linearC_[static_cast<size_t>(k)] * xc;
    }
  }
  for (Device *device : nonlinearDevices_) {
    device->load(ctx, target);
  }
  for (const auto &device : devices_) {
    device->loadExcitation(ctx, target);
  }
  return eval_;
}

std::vector<double> Circuit::breakpoints(double tstop) const {
  std::vector<double> times;
  for (const auto &device : devices_) {
    device->breakpoints(tstop, times);
  }
  std::sort(times.begin(), times.end());
  // Merge corners closer than a relative 1e-12 of tstop; they are one event.
  std::vector<double> merged;
  for (double t : times) {
    if (t > 0.0 && t <= tstop && (merged.empty() || t - merged.back() > 1e-12 * tstop)) {
      merged.push_back(t);
    }
  }
  return merged;
}

double Circuit::maxTimeStep() const {
  double step = std::numeric_limits<double>::infinity();
  for (const auto &device : devices_) {
    step = std::min(step, device->maxTimeStep());
  }
  return step;
}

void Circuit::acceptStep(std::span<const double> x, double time) {
  for (Device *device : nonlinearDevices_) {
    device->acceptStep(x, time);
  }
}

} // namespace dwspice
