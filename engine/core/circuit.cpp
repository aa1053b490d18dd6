#include "core/circuit.hpp"

#include "core/device_registry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <numeric>
#include <typeinfo>

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

// Names of the circuit's unknowns, for NameIndex lookups.
struct UnknownNames {
  const std::vector<UnknownInfo> *unknowns;
  const std::string &operator()(int i) const { return (*unknowns)[static_cast<size_t>(i)].name; }
};

class Allocator final : public UnknownAllocator {
public:
  Allocator(std::vector<UnknownInfo> &unknowns, NameIndex &index) : unknowns_(unknowns), index_(index) {}
  int addUnknown(const std::string &outputName, UnknownKind kind) override {
    const int index = static_cast<int>(unknowns_.size());
    if (!index_.insert(outputName, index, UnknownNames{&unknowns_}).second) {
      throw std::logic_error("unknown allocated twice: " + outputName);
    }
    unknowns_.push_back({outputName, kind});
    return index;
  }
  int addState(const std::string &outputName, double toleranceScale) override {
    if (!(toleranceScale > 0.0) || !std::isfinite(toleranceScale)) {
      throw std::logic_error("state tolerance scale must be positive: " + outputName);
    }
    const int index = addUnknown(outputName, UnknownKind::State);
    unknowns_.back().toleranceScale = toleranceScale;
    return index;
  }

private:
  std::vector<UnknownInfo> &unknowns_;
  NameIndex &index_;
};

struct PendingEntry {
  int row, col;
  MatrixSlot *slot;
};

class PatternCollector final : public MatrixBuilder {
public:
  explicit PatternCollector(const Circuit &circuit) : circuit_(circuit) {}
  void entry(int row, int col, MatrixSlot *slot) override { entries.push_back({row, col, slot}); }
  Device &device(const std::string &name, const SourceLoc &loc) override {
    return circuit_.requireDevice(name, loc);
  }
  std::vector<PendingEntry> entries;

private:
  const Circuit &circuit_;
};

// Registry lookups memoised per element letter and model: a big netlist asks
// for the same few descriptors 100k times.
class DescriptorCache {
public:
  const DeviceDescriptor *find(const InstanceSpec &inst) {
    if (inst.letter < 'a' || inst.letter > 'z') {
      return lookup(inst);
    }
    Entry &entry = entries_[static_cast<size_t>(inst.letter - 'a')];
    if (!entry.valid || entry.model != inst.model) {
      entry = {true, inst.model, lookup(inst)};
    }
    return entry.descriptor;
  }

private:
  static const DeviceDescriptor *lookup(const InstanceSpec &inst) {
    return DeviceRegistry::instance().find(inst.letter,
                                           inst.model != nullptr ? inst.model->type : std::string());
  }
  struct Entry {
    bool valid = false;
    const ModelSpec *model = nullptr;
    const DeviceDescriptor *descriptor = nullptr;
  };
  std::array<Entry, 26> entries_{};
};

} // namespace

Circuit::Circuit(const CircuitSpec &spec)
    : options_(spec.options), nodesets_(spec.nodesets), initialConditions_(spec.initialConditions) {
  assemble(spec, nullptr);
}

Circuit::Circuit(CircuitSpec &spec, ReleaseInstances /*tag*/)
    : options_(spec.options), nodesets_(spec.nodesets), initialConditions_(spec.initialConditions) {
  assemble(spec, &spec);
}

void Circuit::assemble(const CircuitSpec &spec, CircuitSpec *releasable) {
  unknowns_.push_back({kGroundNode, UnknownKind::Voltage});
  buildDevices(spec, releasable);
  if (releasable != nullptr) {
    std::vector<InstanceSpec>().swap(releasable->instances);
  }
  const TopologyInputs topology = buildPattern();
  checkTopology(topology);
}

Circuit::~Circuit() = default;

void Circuit::buildDevices(const CircuitSpec &spec, CircuitSpec *releasable) {
  Allocator allocator(unknowns_, unknownIndex_);
  const UnknownNames nameOfUnknown{&unknowns_};
  // Nodes first, in order of appearance, so that node unknowns come before
  // branch currents (as in SPICE) and output order is predictable. The
  // terminal indices are kept (flat, instance after instance) so that each
  // node name is hashed once. Room for two terminals per instance, the
  // common case (counting them first would be one more pass over 100k
  // instances).
  std::vector<int> terminalIndices;
  terminalIndices.reserve(spec.instances.size() * 2);
  unknownIndex_.reserve(spec.instances.size() / 4 + 16);
  for (const InstanceSpec &inst : spec.instances) {
    for (const std::string &node : inst.nodes) {
      if (node == kGroundNode) {
        terminalIndices.push_back(0);
        continue;
      }
      const int next = static_cast<int>(unknowns_.size());
      const auto [index, inserted] = unknownIndex_.insert(node, next, nameOfUnknown);
      if (inserted) {
        unknowns_.push_back({node, UnknownKind::Voltage});
      }
      terminalIndices.push_back(index);
    }
  }
  nodeCount_ = static_cast<int>(unknowns_.size()) - 1;

  const TranAnalysisSpec *tran = nullptr;
  for (const AnalysisSpec &analysis : spec.analyses) {
    if (const auto *t = std::get_if<TranAnalysisSpec>(&analysis.kind); t != nullptr && tran == nullptr) {
      tran = t;
    }
  }
  devices_.reserve(spec.instances.size());
  // Device i is made from instance i, so elaboration's index of the instance
  // names (which also found any duplicates) serves as the device index.
  const bool adoptIndex = spec.instanceIndex.size() == spec.instances.size();
  if (adoptIndex && releasable != nullptr) {
    deviceIndex_ = std::move(releasable->instanceIndex);
  } else if (adoptIndex) {
    deviceIndex_ = spec.instanceIndex;
  } else {
    deviceIndex_.reserve(spec.instances.size());
  }
  const auto nameOfDevice = [this](int i) -> const std::string & {
    return devices_[static_cast<size_t>(i)]->name();
  };
  DescriptorCache descriptors;
  BuildCache buildCache;
  std::size_t firstTerminal = 0;
  // The duplicate-name probe misses the cache for every device of a big
  // circuit; asking for the slot a few instances ahead hides that latency.
  constexpr std::size_t kPrefetchAhead = 8;
  for (std::size_t i = 0; i < spec.instances.size(); ++i) {
    const InstanceSpec &inst = spec.instances[i];
    if (!adoptIndex && i + kPrefetchAhead < spec.instances.size()) {
      deviceIndex_.prefetch(spec.instances[i + kPrefetchAhead].name);
    }
    const DeviceDescriptor *descriptor = descriptors.find(inst);
    if (descriptor == nullptr) {
      if (inst.model != nullptr) {
        throw UserError(inst.loc, fmt::format("model '{}' of type '{}' cannot be used by element '{}'",
                                              inst.model->name, inst.model->type, inst.name));
      }
      throw UserError(inst.loc, fmt::format("unknown element type '{}'", inst.letter));
    }
    if (descriptor->terminals != static_cast<int>(inst.nodes.size())) {
      throw UserError(inst.loc, fmt::format("'{}' needs {} terminals, got {}", inst.name,
                                            descriptor->terminals, inst.nodes.size()));
    }
    const std::span<const int> terminals(terminalIndices.data() + firstTerminal, inst.nodes.size());
    firstTerminal += inst.nodes.size();
    std::unique_ptr<Device> device =
        descriptor->create(DeviceBuildContext{inst, terminals, options_, tran, &buildCache});
    const int position = static_cast<int>(devices_.size());
    devices_.push_back(std::move(device));
    // Indexed by the name the device reports (its spec's name, as every
    // model passes it on); a device renaming itself must not go unnoticed.
    // Inserting is also the duplicate check for specs that did not come
    // through the flattener (which reports duplicates with both places).
    if (adoptIndex) {
      if (devices_.back()->name() != inst.name) {
        throw std::logic_error(
            fmt::format("device '{}' reports the name '{}'", inst.name, devices_.back()->name()));
      }
    } else if (!deviceIndex_.insert(devices_.back()->name(), position, nameOfDevice).second) {
      throw UserError(inst.loc, fmt::format("duplicate element name '{}'", devices_.back()->name()));
    }
  }
  linearDevices_.reserve(devices_.size());
  // Whether a device is a source, and whether it has an excitation, depends
  // on its class only: one query per run of devices of the same class, not
  // one per device.
  const std::type_info *lastClass = nullptr;
  bool lastClassIsSource = false, lastClassExcites = false;
  for (const auto &device : devices_) {
    device->setupUnknowns(allocator);
    const bool linear = device->isLinear();
    (linear ? linearDevices_ : nonlinearDevices_).push_back(device.get());
    if (const std::type_info &deviceClass = typeid(*device); &deviceClass != lastClass) {
      lastClass = &deviceClass;
      lastClassIsSource = dynamic_cast<const SweepableSource *>(device.get()) != nullptr;
      lastClassExcites = device->hasExcitation();
    }
    if (!linear) {
      (device->needsEveryTimeStep() ? everyStepDevices_ : lastStepDevices_).push_back(device.get());
    }
    if (!linear || lastClassIsSource) {
      timedDevices_.push_back(device.get());
      if (lastClassExcites) {
        excitationDevices_.push_back(device.get());
      }
    }
  }
}

Circuit::TopologyInputs Circuit::buildPattern() {
  PatternCollector collector(*this);
  const int n = size();
  TopologyInputs topology;
  topology.firstDeviceAt.assign(static_cast<size_t>(n) + 1, -1);
  collector.entries.reserve(devices_.size() * 4 + static_cast<size_t>(n));
  for (size_t d = 0; d < devices_.size(); ++d) {
    const size_t before = collector.entries.size();
    devices_[d]->setupMatrix(collector);
    for (size_t i = before; i < collector.entries.size(); ++i) {
      for (const int k : {collector.entries[i].row, collector.entries[i].col}) {
        int &first = topology.firstDeviceAt[static_cast<size_t>(k)];
        if (first < 0) {
          first = static_cast<int>(d);
        }
      }
    }
  }
  const size_t deviceEntries = collector.entries.size();
  // Every node gets a diagonal entry so that gmin to ground can be added.
  diagonalSlots_.assign(static_cast<size_t>(n) + 1, 0);
  for (int k = 1; k <= n; ++k) {
    collector.entries.push_back({k, k, &diagonalSlots_[static_cast<size_t>(k)]});
  }
  const std::vector<PendingEntry> &entries = collector.entries;

  // Compressed columns with sorted, unique rows, in linear time: bucket the
  // non-ground entries by row, then walk the rows in ascending order and
  // append each row to the columns it touches (a repeated (row, col) pair
  // shows up as the column's last row being the current one).
  const auto solverIndex = [](int unknown) { return static_cast<size_t>(unknown) - 1; };
  std::vector<int> rowStarts(static_cast<size_t>(n) + 1, 0);
  for (const PendingEntry &e : entries) {
    if (e.row > 0 && e.col > 0) {
      ++rowStarts[solverIndex(e.row) + 1];
    }
  }
  for (size_t r = 0; r < static_cast<size_t>(n); ++r) {
    rowStarts[r + 1] += rowStarts[r];
  }
  // Each bucket item carries its column so that the passes below read the
  // buckets sequentially instead of gathering from `entries`; slots are
  // collected per entry and handed to the devices in declaration order
  // (device memory is then written front to back, not scattered by row).
  struct RowItem {
    int col;   // solver column
    int entry; // index into entries
  };
  std::vector<RowItem> byRow(static_cast<size_t>(rowStarts.back()));
  {
    std::vector<int> next(rowStarts.begin(), rowStarts.end() - 1);
    for (size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].row > 0 && entries[i].col > 0) {
        byRow[static_cast<size_t>(next[solverIndex(entries[i].row)]++)] = {
            static_cast<int>(solverIndex(entries[i].col)), static_cast<int>(i)};
      }
    }
  }
  std::vector<int64_t> lastRow(static_cast<size_t>(n), -1);
  pattern_.columnStarts.assign(static_cast<size_t>(n) + 1, 0);
  for (size_t r = 0; r < static_cast<size_t>(n); ++r) {
    for (int k = rowStarts[r]; k < rowStarts[r + 1]; ++k) {
      const auto c = static_cast<size_t>(byRow[static_cast<size_t>(k)].col);
      if (lastRow[c] != static_cast<int64_t>(r)) {
        lastRow[c] = static_cast<int64_t>(r);
        ++pattern_.columnStarts[c + 1];
      }
    }
  }
  for (size_t c = 0; c < static_cast<size_t>(n); ++c) {
    pattern_.columnStarts[c + 1] += pattern_.columnStarts[c];
  }
  pattern_.rowIndices.assign(static_cast<size_t>(pattern_.columnStarts.back()), 0);
  std::vector<MatrixSlot> slotOfEntry(entries.size(), 0);
  {
    std::vector<int64_t> next(pattern_.columnStarts.begin(), pattern_.columnStarts.end() - 1);
    std::vector<MatrixSlot> lastSlot(static_cast<size_t>(n), 0);
    std::fill(lastRow.begin(), lastRow.end(), -1);
    for (size_t r = 0; r < static_cast<size_t>(n); ++r) {
      for (int k = rowStarts[r]; k < rowStarts[r + 1]; ++k) {
        const RowItem &item = byRow[static_cast<size_t>(k)];
        const auto c = static_cast<size_t>(item.col);
        if (lastRow[c] != static_cast<int64_t>(r)) {
          lastRow[c] = static_cast<int64_t>(r);
          lastSlot[c] = next[c]++;
          pattern_.rowIndices[static_cast<size_t>(lastSlot[c])] = static_cast<int64_t>(r);
        }
        slotOfEntry[static_cast<size_t>(item.entry)] = lastSlot[c];
      }
    }
  }

  // Slots to the devices. Entries in row or column 0 get private scratch
  // slots past the pattern, numbered in declaration order, so topology
  // checks can read their values.
  MatrixSlot scratch = pattern_.nonZeros();
  for (size_t i = 0; i < entries.size(); ++i) {
    const PendingEntry &e = entries[i];
    if (e.row == 0 || e.col == 0) {
      *e.slot = scratch++;
      if (i < deviceEntries && e.row != e.col) {
        topology.groundEntries.push_back({e.row == 0 ? e.col : e.row, *e.slot});
      }
    } else {
      *e.slot = slotOfEntry[i];
    }
  }
  const auto values = static_cast<size_t>(scratch);
  eval_.dfdx.assign(values, 0.0);
  eval_.dqdx.assign(values, 0.0);
  eval_.f.assign(static_cast<size_t>(n) + 1, 0.0);
  eval_.q.assign(static_cast<size_t>(n) + 1, 0.0);
  eval_.b.assign(static_cast<size_t>(n) + 1, 0.0);
  return topology;
}

void Circuit::cacheLinearMatrices(const LoadContext &ctx) {
  linearG_.assign(eval_.dfdx.size(), 0.0);
  linearC_.assign(eval_.dqdx.size(), 0.0);
  // f and q of linear devices are formed from the cached matrices at every
  // evaluation; what load() writes into them here is discarded.
  std::vector<double> f(eval_.f.size(), 0.0), q(eval_.q.size(), 0.0), b(eval_.b.size(), 0.0);
  LoadTarget target(f, q, b, linearG_, linearC_);
  for (Device *device : linearDevices_) {
    device->load(ctx, target);
  }
  // A resistive network (the crossbar .op) has no linear charge at all:
  // then no C is kept, copied or multiplied on each evaluation.
  if (std::all_of(linearC_.begin(), linearC_.end(), [](double c) { return c == 0.0; })) {
    std::vector<double>().swap(linearC_);
  }
}

void Circuit::checkTopology(const TopologyInputs &inputs) {
  const int n = size();
  // Voltage-source (and inductor) loops: ideal voltage edges forming a cycle.
  {
    DisjointSets sets(static_cast<size_t>(n) + 1);
    std::vector<std::pair<int, int>> edges;
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
  // DC conductance at a probe point (x = 0, junctions at gmin). Linear
  // devices contribute their cached G (loaded here once, for good); only
  // nonlinear devices are loaded at the probe point.
  std::vector<double> x(static_cast<size_t>(n) + 1, 0.0);
  LoadContext ctx;
  ctx.x = x;
  ctx.gmin = options_.gmin;
  ctx.mode = AnalysisMode::OperatingPoint;
  ctx.temperature = options_.temp + 273.15;
  ctx.options = &options_;
  cacheLinearMatrices(ctx);
  std::vector<double> nonlinearProbe;
  if (!nonlinearDevices_.empty()) {
    Evaluation probe;
    probe.f.assign(x.size(), 0.0);
    probe.q.assign(x.size(), 0.0);
    probe.b.assign(x.size(), 0.0);
    probe.dfdx = linearG_;
    probe.dqdx.assign(eval_.dqdx.size(), 0.0);
    LoadTarget target(probe.f, probe.q, probe.b, probe.dfdx, probe.dqdx);
    for (Device *device : nonlinearDevices_) {
      device->load(ctx, target);
    }
    nonlinearProbe = std::move(probe.dfdx);
  }
  const std::vector<double> &dcConductance = nonlinearDevices_.empty() ? linearG_ : nonlinearProbe;
  DisjointSets sets(static_cast<size_t>(n) + 1);
  for (int c = 0; c < n; ++c) {
    for (int64_t k = pattern_.columnStarts[static_cast<size_t>(c)];
         k < pattern_.columnStarts[static_cast<size_t>(c) + 1]; ++k) {
      const auto r = static_cast<int>(pattern_.rowIndices[static_cast<size_t>(k)]);
      if (r != c && dcConductance[static_cast<size_t>(k)] != 0.0) {
        sets.unite(r + 1, c + 1);
      }
    }
  }
  for (const GroundEntry &e : inputs.groundEntries) {
    if (dcConductance[static_cast<size_t>(e.slot)] != 0.0) {
      sets.unite(0, e.node);
    }
  }
  std::vector<std::string> floating;
  int firstFloating = 0;
  for (int k = 1; k <= n; ++k) {
    if (unknowns_[static_cast<size_t>(k)].kind == UnknownKind::Voltage && sets.find(k) != sets.find(0)) {
      floating.push_back(unknowns_[static_cast<size_t>(k)].name);
      firstFloating = firstFloating == 0 ? k : firstFloating;
    }
  }
  if (!floating.empty()) {
    const size_t shown = std::min<size_t>(floating.size(), 10);
    const std::vector<std::string> head(floating.begin(), floating.begin() + static_cast<long>(shown));
    // Point at the first device touching the first floating node.
    SourceLoc where;
    const int device = inputs.firstDeviceAt[static_cast<size_t>(firstFloating)];
    if (device >= 0) {
      where = devices_[static_cast<size_t>(device)]->location();
    }
    throw UserError(where, fmt::format("{} node{} with no DC path to ground: {}{}", floating.size(),
                                       floating.size() == 1 ? "" : "s", fmt::join(head, ", "),
                                       floating.size() > shown ? ", …" : ""));
  }
}

std::optional<int> Circuit::findNode(const std::string &node) const {
  if (node == kGroundNode) {
    return 0;
  }
  const std::optional<int> index = findUnknown(node);
  return index && *index <= nodeCount_ ? index : std::nullopt;
}

std::optional<int> Circuit::findUnknown(const std::string &name) const {
  return unknownIndex_.find(name, UnknownNames{&unknowns_});
}

Device *Circuit::findDevice(const std::string &name) const {
  const std::optional<int> index = deviceIndex_.find(
      name, [this](int i) -> const std::string & { return devices_[static_cast<size_t>(i)]->name(); });
  return index ? devices_[static_cast<size_t>(*index)].get() : nullptr;
}

Device &Circuit::requireDevice(const std::string &name, const SourceLoc &loc) const {
  Device *found = findDevice(name);
  if (found == nullptr) {
    throw UserError(loc, fmt::format("no element named '{}'", name));
  }
  return *found;
}

namespace {

// Declares the nonlinear devices' entries again and re-points each slot:
// into `space` (saving the pattern slots first when they are what is bound),
// or back to the saved pattern slots. setupMatrix() only declares entries
// into members (device.hpp), so declaring again touches nothing else.
class SlotRebinder final : public MatrixBuilder {
public:
  SlotRebinder(const Circuit &circuit, const SlotSpace *space, bool savePattern,
               std::vector<MatrixSlot> &patternSlots)
      : circuit_(circuit), space_(space), savePattern_(savePattern), patternSlots_(patternSlots) {}
  void entry(int row, int col, MatrixSlot *slot) override {
    if (space_ == nullptr) {
      *slot = patternSlots_[next_++];
      return;
    }
    if (savePattern_) {
      patternSlots_.push_back(*slot);
    }
    *slot = space_->slotOf(row, col);
  }
  Device &device(const std::string &name, const SourceLoc &loc) override {
    return circuit_.requireDevice(name, loc);
  }

private:
  const Circuit &circuit_;
  const SlotSpace *space_;
  bool savePattern_;
  std::vector<MatrixSlot> &patternSlots_;
  size_t next_ = 0;
};

} // namespace

void Circuit::bindNonlinearSlots(const SlotSpace *space) {
  if (space == boundSpace_) {
    return;
  }
  const bool savePattern = boundSpace_ == nullptr;
  if (savePattern) {
    patternSlots_.clear();
  }
  SlotRebinder rebinder(*this, space, savePattern, patternSlots_);
  for (Device *device : nonlinearDevices_) {
    device->setupMatrix(rebinder);
  }
  boundSpace_ = space;
  if (space == nullptr) {
    patternSlots_.clear();
    patternSlots_.shrink_to_fit();
  }
}

const Evaluation &Circuit::evaluate(const LoadContext &ctx) {
  bindNonlinearSlots(nullptr);
  std::fill(eval_.f.begin(), eval_.f.end(), 0.0);
  std::fill(eval_.q.begin(), eval_.q.end(), 0.0);
  std::fill(eval_.b.begin(), eval_.b.end(), 0.0);
  LoadTarget target(eval_.f, eval_.q, eval_.b, eval_.dfdx, eval_.dqdx);
  std::copy(linearG_.begin(), linearG_.end(), eval_.dfdx.begin());
  if (!linearC_.empty()) {
    std::copy(linearC_.begin(), linearC_.end(), eval_.dqdx.begin());
  } else if (!nonlinearDevices_.empty()) {
    std::fill(eval_.dqdx.begin(), eval_.dqdx.end(), 0.0);
  } // else nothing ever writes dqdx: it stays as allocated, zero
  // f += G_lin·x, q += C_lin·x over the pattern (ground entries multiply x[0] = 0
  // or land in row 0, so they are skipped).
  addPatternProducts(pattern_, linearG_, linearC_, ctx.x, eval_.f, eval_.q);
  for (Device *device : nonlinearDevices_) {
    device->load(ctx, target);
  }
  for (Device *device : excitationDevices_) {
    device->loadExcitation(ctx, target);
  }
  return eval_;
}

std::vector<double> Circuit::breakpoints(double tstop) const {
  std::vector<double> times;
  for (const Device *device : timedDevices_) {
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
  for (const Device *device : timedDevices_) {
    step = std::min(step, device->maxTimeStep());
  }
  return step;
}

double Circuit::absoluteTolerance(int unknown) const {
  const UnknownInfo &info = unknowns_[static_cast<size_t>(unknown)];
  return info.toleranceScale * defaultAbsoluteTolerance(info.kind, options_);
}

void Circuit::acceptStep(std::span<const double> x, double time) {
  for (Device *device : nonlinearDevices_) {
    device->acceptStep(x, time);
  }
}

void Circuit::acceptTimeStep(std::span<const double> x, double time) {
  for (Device *device : everyStepDevices_) {
    device->acceptStep(x, time);
  }
}

void Circuit::acceptLastTimeStep(std::span<const double> x, double time) {
  for (Device *device : lastStepDevices_) {
    device->acceptStep(x, time);
  }
}

void addPatternProducts(const SparsePattern &pattern, std::span<const double> g, std::span<const double> c,
                        std::span<const double> x, std::span<double> f, std::span<double> q) {
  const auto n = static_cast<int64_t>(pattern.columnStarts.size()) - 1;
  const bool withCharge = !c.empty();
  for (int64_t column = 0; column < n; ++column) {
    const double xc = x[static_cast<size_t>(column) + 1];
    if (xc == 0.0) {
      continue;
    }
    const int64_t begin = pattern.columnStarts[static_cast<size_t>(column)];
    const int64_t end = pattern.columnStarts[static_cast<size_t>(column) + 1];
    for (int64_t k = begin; k < end; ++k) {
      f[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)]) + 1] +=
          g[static_cast<size_t>(k)] * xc;
    }
    if (withCharge) {
      for (int64_t k = begin; k < end; ++k) {
        q[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)]) + 1] +=
            c[static_cast<size_t>(k)] * xc;
      }
    }
  }
}

} // namespace dwspice
