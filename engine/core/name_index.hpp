// A hash index from names to small integers for the circuit's node, unknown
// and device tables.
//
// Assembly looks up ~3 names per element (two nodes and the element itself);
// with 100k elements std::unordered_map<std::string, int> spends most of
// assembly allocating one node per entry and chasing pointers. This index
// stores no strings at all: each slot holds the entry's value (an index into
// the owner's own table) and its hash; the owner supplies the name of entry
// `value` when a probe needs to compare. One flat array, linear probing,
// no allocation per insert.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace dwspice {

class NameIndex {
public:
  // FNV-1a: names are short ("r12", "x1.mid"), so a byte loop is as fast as
  // anything cleverer and has no alignment concerns.
  [[nodiscard]] static std::uint32_t hash(std::string_view name) {
    std::uint32_t h = 2166136261U;
    for (const char c : name) {
      h = (h ^ static_cast<unsigned char>(c)) * 16777619U;
    }
    return h;
  }

  // Prepares for `count` entries without rehashing.
  void reserve(std::size_t count) {
    std::size_t capacity = 16;
    while (capacity * 3 < count * 4 + 4) { // keep the load factor below 3/4
      capacity *= 2;
    }
    if (capacity > slots_.size()) {
      rehash(capacity);
    }
  }

  // The value stored under `name`, if any. `nameOf(value)` must return the
  // name of the entry that holds `value`.
  template <class NameOf>
  [[nodiscard]] std::optional<int> find(std::string_view name, const NameOf &nameOf) const {
    if (slots_.empty()) {
      return std::nullopt;
    }
    const std::uint32_t h = hash(name);
    for (std::size_t i = h & mask(); slots_[i].value != kEmpty; i = (i + 1) & mask()) {
      if (slots_[i].hash == h && std::string_view(nameOf(slots_[i].value)) == name) {
        return slots_[i].value;
      }
    }
    return std::nullopt;
  }

  // Stores `value` under `name` unless the name is present; returns the
  // value stored under `name` afterwards and whether it was inserted.
  template <class NameOf>
  std::pair<int, bool> insert(std::string_view name, int value, const NameOf &nameOf) {
    if ((size_ + 1) * 4 > slots_.size() * 3) {
      rehash(slots_.empty() ? 16 : slots_.size() * 2);
    }
    const std::uint32_t h = hash(name);
    std::size_t i = h & mask();
    for (; slots_[i].value != kEmpty; i = (i + 1) & mask()) {
      if (slots_[i].hash == h && std::string_view(nameOf(slots_[i].value)) == name) {
        return {slots_[i].value, false};
      }
    }
    slots_[i] = {h, value};
    ++size_;
    return {value, true};
  }

  // Hint that `name` is looked up soon: starts loading its home slot. Big
  // tables are probed in no particular order, so each probe otherwise waits
  // for memory.
  void prefetch(std::string_view name) const {
    if (!slots_.empty()) {
      __builtin_prefetch(&slots_[hash(name) & mask()]);
    }
  }

  [[nodiscard]] std::size_t size() const { return size_; }

private:
  static constexpr int kEmpty = -1;
  struct Slot {
    std::uint32_t hash = 0;
    int value = kEmpty;
  };

  [[nodiscard]] std::size_t mask() const { return slots_.size() - 1; }

  void rehash(std::size_t capacity) { // capacity: a power of two
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    for (const Slot &slot : old) {
      if (slot.value == kEmpty) {
        continue;
      }
      std::size_t i = slot.hash & mask();
      while (slots_[i].value != kEmpty) {
        i = (i + 1) & mask();
      }
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_; // size 0 or a power of two
  std::size_t size_ = 0;
};

} // namespace dwspice
