// Crossbar netlists for the benchmark (and the 16x16 case of the ngspice
// suite). Both kinds are plain SPICE that ngspice 39 and dwspice accept.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dwspice::bench {

// Deterministic uniform numbers in [0, 1) from a fixed seed. Spelled out
// (not std::uniform_real_distribution) so the netlists are identical with
// every standard library.
class UniformSource {
public:
  explicit UniformSource(std::uint64_t seed) : state_(seed) {}
  double next(); // splitmix64 mapped to [0, 1)
  double between(double lo, double hi) { return lo + (hi - lo) * next(); }

private:
  std::uint64_t state_;
};

struct CrossbarNetlist {
  std::string text;
  long unknowns = 0;                       // nodes (without ground) + branch currents
  std::vector<std::string> checkedVectors; // lower-case raw names the agreement check uses
};

// Ideal rows x cols resistive crossbar, .op: row i driven by a DC source in
// 0..0.2 V, every cell a resistor between row i and column j with a random
// conductance, each column to ground through a small sense resistor and a
// 0 V source whose current is the column output.
CrossbarNetlist idealCrossbarOp(int rows, int cols, std::uint64_t seed);

enum class WiredAnalysis { Op, Tran };

// N x N crossbar with wire resistance and capacitance on every row and
// column segment. Rows are driven at their left end; columns are sensed at
// their bottom end. Tran: 10 ns run with a pulsed read on every row.
CrossbarNetlist wiredCrossbar(int n, WiredAnalysis analysis, std::uint64_t seed);

} // namespace dwspice::bench
