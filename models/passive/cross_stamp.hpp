// The four Jacobian entries that couple a pair of rows (+, −) to a pair of
// columns (+, −) with the pattern [+v −v; −v +v]. A conductance between two
// nodes is the case rows == columns; a transconductance (G element) uses the
// controlling nodes as columns. Ground terminals are stamped like any other
// (the engine gives them scratch slots), so callers never branch on them.
#pragma once

#include "core/device.hpp"

namespace dwspice::models {

class CrossStamp {
public:
  void declare(MatrixBuilder &builder, int rowPlus, int rowMinus, int colPlus, int colMinus) {
    builder.entry(rowPlus, colPlus, &plusPlus_);
    builder.entry(rowPlus, colMinus, &plusMinus_);
    builder.entry(rowMinus, colPlus, &minusPlus_);
    builder.entry(rowMinus, colMinus, &minusMinus_);
  }
  void addG(LoadTarget &out, double value) const {
    out.addG(plusPlus_, value);
    out.addG(plusMinus_, -value);
    out.addG(minusPlus_, -value);
    out.addG(minusMinus_, value);
  }
  void addC(LoadTarget &out, double value) const {
    out.addC(plusPlus_, value);
    out.addC(plusMinus_, -value);
    out.addC(minusPlus_, -value);
    out.addC(minusMinus_, value);
  }

private:
  MatrixSlot plusPlus_ = 0, plusMinus_ = 0, minusPlus_ = 0, minusMinus_ = 0;
};

// Entries tying a branch-current unknown k to the nodes (+, −) it flows
// through: column k in rows + and − (the current leaves + and enters −) and
// row k in columns + and − (the branch equation reads v+ − v−). Shared by
// V, L, E and H, whose branch equations all start with v+ − v−.
class BranchStamp {
public:
  void declare(MatrixBuilder &builder, int plus, int minus, int branch) {
    builder.entry(plus, branch, &plusBranch_);
    builder.entry(minus, branch, &minusBranch_);
    builder.entry(branch, plus, &branchPlus_);
    builder.entry(branch, minus, &branchMinus_);
  }
  // Adds the ±1 entries and the matching f contributions at x.
  void load(std::span<const double> x, int plus, int minus, int branch, LoadTarget &out) const {
    const double current = x[static_cast<size_t>(branch)];
    out.addF(plus, current);
    out.addF(minus, -current);
    out.addF(branch, x[static_cast<size_t>(plus)] - x[static_cast<size_t>(minus)]);
    out.addG(plusBranch_, 1.0);
    out.addG(minusBranch_, -1.0);
    out.addG(branchPlus_, 1.0);
    out.addG(branchMinus_, -1.0);
  }

private:
  MatrixSlot plusBranch_ = 0, minusBranch_ = 0, branchPlus_ = 0, branchMinus_ = 0;
};

} // namespace dwspice::models
