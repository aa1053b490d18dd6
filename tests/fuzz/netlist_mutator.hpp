// Random mutations of netlist text for fuzzing the frontend: byte flips,
// grammar fragments, deletions, duplications, swaps and truncation. Shared by
// the doctest fuzz test and the sanitizer harness (fuzz_frontend_main.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <random>
#include <string>
#include <string_view>

namespace dwspice::fuzz {

// Fragments that steer mutations toward the interesting parts of the grammar.
inline constexpr std::array<std::string_view, 42> kFragments{".subckt s a b\n",
                                                             ".ends\n",
                                                             "x1 a b s\n",
                                                             "{",
                                                             "}",
                                                             "(",
                                                             ")",
                                                             "=",
                                                             "'",
                                                             "\"",
                                                             ",",
                                                             "+",
                                                             "\n+ ",
                                                             "\n",
                                                             "*",
                                                             ";",
                                                             "$ ",
                                                             "1e",
                                                             "..",
                                                             "1meg",
                                                             ".param p=",
                                                             "{p*2}",
                                                             "/0",
                                                             "^",
                                                             "?",
                                                             ":",
                                                             ".model m d\n",
                                                             ".include corpus/params.inc\n",
                                                             ".lib corpus/lib.lib fast\n",
                                                             ".lib s\n",
                                                             ".endl\n",
                                                             ".control\n",
                                                             ".end\n",
                                                             "params:",
                                                             "v(",
                                                             "i(",
                                                             ".dc v1 0 1 0.1\n",
                                                             ".tran 1n 1u\n",
                                                             std::string_view("\0", 1),
                                                             "\xff",
                                                             ".func f(x) = x*2\n",
                                                             "f(1)"};

inline std::string mutate(const std::string &input, std::mt19937 &rng) {
  std::string text = input;
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n)(rng); };
  const int edits = 1 + static_cast<int>(pick(3));
  for (int k = 0; k < edits; ++k) {
    const std::size_t at = pick(text.size());
    switch (pick(5)) {
    case 0: // flip one byte to a printable character
      if (!text.empty()) {
        text[std::min(at, text.size() - 1)] = static_cast<char>(' ' + pick(94));
      }
      break;
    case 1: // insert a fragment
      text.insert(at, kFragments[pick(kFragments.size() - 1)]);
      break;
    case 2: // delete a range
      text.erase(at, pick(16));
      break;
    case 3: { // duplicate a range somewhere else
      const std::string piece = text.substr(at, pick(40));
      text.insert(pick(text.size()), piece);
      break;
    }
    case 4: // swap two bytes
      if (text.size() > 2) {
        const std::size_t other = pick(text.size() - 1);
        std::swap(text[std::min(at, text.size() - 1)], text[other]);
      }
      break;
    default: // truncate
      text.resize(at);
      break;
    }
  }
  return text;
}

} // namespace dwspice::fuzz
