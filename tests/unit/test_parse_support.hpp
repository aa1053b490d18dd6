// Helpers for the frontend tests: load a netlist from text and capture the
// UserError it raises (message and location).
#pragma once

#include "elaborate/load_netlist.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace dwspice::frontend_test {

struct CapturedError {
  std::string message;
  int line = 0;
  int column = 0;
  std::string rendered; // what(): "file:line:col: error: …"
};

inline CircuitSpec load(std::string_view text) {
  return loadNetlistText(text, "t.cir");
}

// The UserError that loading `text` raises; fails the test if there is none
// or if anything other than a UserError escapes.
inline CapturedError errorOf(std::string_view text, const std::filesystem::path &base = ".") {
  try {
    (void)loadNetlistText(text, "t.cir", base);
  } catch (const UserError &e) {
    return {e.message(), e.location().line, e.location().column, e.what()};
  } catch (const std::exception &e) {
    FAIL("not a UserError: " << e.what());
  }
  FAIL("no error raised for:\n" << text);
  return {};
}

inline const InstanceSpec *findInstance(const CircuitSpec &spec, std::string_view name) {
  for (const InstanceSpec &instance : spec.instances) {
    if (instance.name == name) {
      return &instance;
    }
  }
  return nullptr;
}

} // namespace dwspice::frontend_test
