// Work shared by the instances of one circuit build. A big netlist builds
// 200k synapses from one `.model`: parsing the model's ~45 parameters and
// finding each notch's rest position once per distinct (model, instance
// parameters) instead of once per device is the difference between seconds
// and milliseconds of start-up.
//
// Devices key entries by whatever determines the cached value (typically the
// model's address and the instance's name=value parameters); the value type
// is part of the key, so two devices cannot read each other's entries by
// accident. One cache lives for one Circuit construction (one thread).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <typeindex>
#include <utility>

namespace dwspice {

class BuildCache {
public:
  // The value stored under (T, key), made by `make()` on first use. A
  // `make` that throws stores nothing (the next instance throws again).
  template <class T, class Make> const T &get(const std::string &key, Make &&make) {
    const Key fullKey{std::type_index(typeid(T)), key};
    const auto found = entries_.find(fullKey);
    if (found != entries_.end()) {
      return *static_cast<const T *>(found->second.get());
    }
    auto value = std::make_shared<const T>(std::forward<Make>(make)());
    const T &stored = *value;
    entries_.emplace(fullKey, std::move(value));
    return stored;
  }

private:
  using Key = std::pair<std::type_index, std::string>;
  std::map<Key, std::shared_ptr<const void>> entries_;
};

} // namespace dwspice
