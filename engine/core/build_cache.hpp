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
    return *share<T>(key, std::forward<Make>(make));
  }
  // The same value, shared: for devices that keep it after the build, so
  // that instances of one model hold one copy of it instead of one each
  // (1280 MOSFETs whose copies of their model filled the L2 cache).
  template <class T, class Make> std::shared_ptr<const T> share(const std::string &key, Make &&make) {
    const Key fullKey{std::type_index(typeid(T)), key};
    const auto found = entries_.find(fullKey);
    if (found != entries_.end()) {
      return std::static_pointer_cast<const T>(found->second);
    }
    auto value = std::make_shared<const T>(std::forward<Make>(make)());
    entries_.emplace(fullKey, value);
    return value;
  }

private:
  using Key = std::pair<std::type_index, std::string>;
  std::map<Key, std::shared_ptr<const void>> entries_;
};

} // namespace dwspice
