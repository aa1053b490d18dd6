// The flattened element names: name -> position in CircuitSpec::instances.
//
// Elaboration checks every element name for duplicates and later resolves
// the names that directives mention (`.dc` sources, `.bind` sources,
// `.readout` currents). A hash index over the spec's own strings (NameIndex)
// does this without a second copy of 100k names or an allocation per entry.
#pragma once

#include "core/circuit_spec.hpp"
#include "core/name_index.hpp"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace dwspice {

class InstanceNames {
public:
  explicit InstanceNames(const std::vector<InstanceSpec> &instances) : instances_(instances) {}

  void reserve(std::size_t count) { index_.reserve(count); }

  // Indexes instances[position] under its name. If an earlier instance has
  // that name, nothing is added and its position is returned.
  std::optional<std::size_t> add(std::size_t position) {
    const auto [stored, inserted] =
        index_.insert(instances_[position].name, static_cast<int>(position), nameOf());
    if (inserted) {
      return std::nullopt;
    }
    return static_cast<std::size_t>(stored);
  }

  // Starts loading the slot `name` will probe (see NameIndex::prefetch).
  void prefetch(std::string_view name) const { index_.prefetch(name); }

  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const {
    const std::optional<int> found = index_.find(name, nameOf());
    if (!found) {
      return std::nullopt;
    }
    return static_cast<std::size_t>(*found);
  }
  [[nodiscard]] bool contains(std::string_view name) const { return find(name).has_value(); }
  [[nodiscard]] std::size_t size() const { return index_.size(); }

  // Hands the index over (CircuitSpec::instanceIndex); this object is empty afterwards.
  [[nodiscard]] NameIndex release() { return std::exchange(index_, NameIndex{}); }

private:
  struct NameOf {
    const std::vector<InstanceSpec> *instances;
    const std::string &operator()(int position) const {
      return (*instances)[static_cast<size_t>(position)].name;
    }
  };
  [[nodiscard]] NameOf nameOf() const { return NameOf{&instances_}; }

  const std::vector<InstanceSpec> &instances_;
  NameIndex index_;
};

} // namespace dwspice
