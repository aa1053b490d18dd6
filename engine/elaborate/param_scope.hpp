// Parameter scopes: the top level and each subcircuit instance. A scope sees
// its own parameters and, through its parent, those of the instances that
// contain it (so parameters are visible to nested instances).
#pragma once

#include "parse/expression.hpp"
#include "parse/syntax_tree.hpp"

#include <string>
#include <unordered_map>

namespace dwspice {

class ParamScope final : public ParamLookup {
public:
  explicit ParamScope(const ParamScope *parent = nullptr) : parent_(parent) {}

  [[nodiscard]] const double *find(std::string_view name) const override {
    for (const ParamScope *scope = this; scope != nullptr; scope = scope->parent_) {
      const auto it = scope->values_.find(name);
      if (it != scope->values_.end()) {
        return &it->second;
      }
    }
    return nullptr;
  }

  void set(const std::string &name, double value) { values_[name] = value; }
  [[nodiscard]] bool hasOwn(const std::string &name) const { return values_.count(name) != 0; }

private:
  // Transparent hashing: lookups by string_view allocate nothing.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  const ParamScope *parent_;
  std::unordered_map<std::string, double, NameHash, std::equal_to<>> values_;
};

// Value of a parsed value in `scope` (plain numbers skip the expression engine).
inline double evaluateValue(const ValueSyntax &value, const ParamLookup &scope) {
  return value.expr ? evaluate(*value.expr, scope) : value.number;
}

} // namespace dwspice
