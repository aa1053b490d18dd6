// Entry point of the frontend: netlist text to elaborated circuit.
#pragma once

#include "core/circuit_spec.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace dwspice {

// Reads a netlist file (following .include/.lib relative to the including
// file), elaborates it and returns the flat circuit. Throws UserError with
// file:line:col for every problem in the input; warnings go to stderr.
CircuitSpec loadNetlist(const std::filesystem::path &file);

// The same for netlist text held in memory (tests, generated netlists).
// .include paths are relative to `baseDirectory`.
CircuitSpec loadNetlistText(std::string_view text, const std::string &displayName = "<string>",
                            const std::filesystem::path &baseDirectory = ".");

} // namespace dwspice
