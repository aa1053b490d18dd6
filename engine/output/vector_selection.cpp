#include "output/vector_selection.hpp"

#include <fmt/core.h>
#include <optional>
#include <set>
#include <unordered_map>

namespace dwspice {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// "v(x)" → "x" for prefix 'v'; nullopt when `name` is not of that form.
std::optional<std::string_view> argumentOf(std::string_view name, char prefix) {
  if (name.size() >= 4 && name[0] == prefix && name[1] == '(' && name.back() == ')') {
    return name.substr(2, name.size() - 3);
  }
  return std::nullopt;
}

SelectedVector vectorForUnknown(const UnknownInfo &unknown, int index) {
  switch (unknown.kind) {
  case UnknownKind::Voltage:
    return {{fmt::format("v({})", unknown.name), VectorType::Voltage}, index, 0};
  case UnknownKind::Current:
    return {{unknown.name, VectorType::Current}, index, 0};
  case UnknownKind::Charge:
  case UnknownKind::State:
    return {{unknown.name, VectorType::NoType}, index, 0};
  }
  return {{unknown.name, VectorType::NoType}, index, 0};
}

class Resolver {
public:
  Resolver(std::span<const UnknownInfo> unknowns, DifferenceOutput differences)
      : unknowns_(unknowns), differences_(differences) {}

  void addAll() {
    for (std::size_t i = 1; i < unknowns_.size(); ++i) {
      add(vectorForUnknown(unknowns_[i], static_cast<int>(i)));
    }
  }

  void addRequested(const RequestedOutput &request) {
    const std::string_view name = trim(request.name);
    if (name == "all") {
      addAll();
      return;
    }
    ensureIndexed();
    if (const auto nodes = argumentOf(name, 'v')) {
      addVoltage(*nodes, request);
    } else if (argumentOf(name, 'i')) {
      const auto it = byName_.find(std::string(name));
      if (it == byName_.end() || unknowns_[static_cast<size_t>(it->second)].kind != UnknownKind::Current) {
        throw UserError(request.loc, fmt::format("cannot output '{}': the circuit has no such branch current "
                                                 "(only voltage sources, inductors and current-controlled "
                                                 "elements carry one)",
                                                 name));
      }
      add(vectorForUnknown(unknowns_[static_cast<size_t>(it->second)], it->second));
    } else if (!name.empty() && name.front() == '@') {
      throw UserError(request.loc,
                      fmt::format("cannot output '{}': device parameters (@…) are not supported", name));
    } else {
      // A bare name: a node (ngspice's `.save out`) or a device state ("n1#q").
      const auto it = byName_.find(std::string(name));
      if (it == byName_.end()) {
        throw UserError(request.loc,
                        fmt::format("cannot output '{}': no node or unknown of that name", name));
      }
      add(vectorForUnknown(unknowns_[static_cast<size_t>(it->second)], it->second));
    }
  }

  std::vector<SelectedVector> take() { return std::move(selected_); }

private:
  // The name tables, built on the first named request: the common case
  // (everything, no .save) never needs them, and a big circuit has
  // thousands of unknowns.
  void ensureIndexed() {
    if (indexed_) {
      return;
    }
    indexed_ = true;
    byName_.reserve(unknowns_.size());
    nodeByName_.reserve(unknowns_.size());
    for (std::size_t i = 1; i < unknowns_.size(); ++i) {
      const auto index = static_cast<int>(i);
      byName_.emplace(unknowns_[i].name, index);
      if (unknowns_[i].kind == UnknownKind::Voltage) {
        nodeByName_.emplace(unknowns_[i].name, index);
      }
    }
    nodeByName_.emplace(kGroundNode, 0);
  }

  int node(std::string_view name, const RequestedOutput &request) const {
    const auto it = nodeByName_.find(std::string(trim(name)));
    if (it == nodeByName_.end()) {
      throw UserError(request.loc, fmt::format("cannot output '{}': no node '{}'", request.name, trim(name)));
    }
    return it->second;
  }

  void addVoltage(std::string_view nodes, const RequestedOutput &request) {
    const auto comma = nodes.find(',');
    if (comma == std::string_view::npos) {
      addNode(node(nodes, request));
      return;
    }
    const int plus = node(nodes.substr(0, comma), request);
    const int minus = node(nodes.substr(comma + 1), request);
    if (differences_ == DifferenceOutput::BothNodes) {
      addNode(plus);
      addNode(minus);
      return;
    }
    add({{fmt::format("v({},{})", unknowns_[static_cast<size_t>(plus)].name,
                      unknowns_[static_cast<size_t>(minus)].name),
          VectorType::Voltage},
         plus,
         minus});
  }

  void addNode(int index) {
    if (index == 0) {
      if (differences_ == DifferenceOutput::DifferenceColumn) {
        add({{fmt::format("v({})", kGroundNode), VectorType::Voltage}, 0, 0});
      }
      return; // ground is not a saved vector; ngspice computes v(a,0) from v(a)
    }
    add(vectorForUnknown(unknowns_[static_cast<size_t>(index)], index));
  }

  void add(SelectedVector vector) {
    if (seen_.insert(vector.info.name).second) {
      selected_.push_back(std::move(vector));
    }
  }

  std::span<const UnknownInfo> unknowns_;
  DifferenceOutput differences_;
  bool indexed_ = false;
  std::unordered_map<std::string, int> byName_;
  std::unordered_map<std::string, int> nodeByName_;
  std::set<std::string> seen_;
  std::vector<SelectedVector> selected_;
};

} // namespace

std::vector<SelectedVector> selectVectors(std::span<const UnknownInfo> unknowns,
                                          const VectorRequest &request) {
  Resolver resolver(unknowns, request.differences);
  if (request.outputs.empty()) {
    resolver.addAll();
  }
  for (const RequestedOutput &output : request.outputs) {
    resolver.addRequested(output);
  }
  return resolver.take();
}

VectorRequest saveRequest(const std::vector<OutputRequest> &saves) {
  VectorRequest request;
  request.differences = DifferenceOutput::BothNodes;
  for (const OutputRequest &save : saves) {
    for (std::size_t k = 0; k < save.outputs.size(); ++k) {
      request.outputs.push_back({save.outputs[k], save.locOf(k)});
    }
  }
  return request;
}

std::string_view printAnalysisName(PlotKind kind) {
  switch (kind) {
  case PlotKind::OperatingPoint:
    return "op";
  case PlotKind::DcSweep:
    return "dc";
  case PlotKind::Transient:
    return "tran";
  }
  return "";
}

std::optional<VectorRequest> printRequest(const std::vector<OutputRequest> &prints, PlotKind kind) {
  std::optional<VectorRequest> request;
  for (const OutputRequest &print : prints) {
    if (print.analysis != printAnalysisName(kind)) {
      continue;
    }
    if (!request) {
      request.emplace();
      request->differences = DifferenceOutput::DifferenceColumn;
    }
    for (std::size_t k = 0; k < print.outputs.size(); ++k) {
      request->outputs.push_back({print.outputs[k], print.locOf(k)});
    }
  }
  return request;
}

} // namespace dwspice
