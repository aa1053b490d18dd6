// Where the nonlinear devices' Jacobian slots point.
//
// By default every device slot indexes the circuit's own value arrays (its
// sparsity pattern, ground entries on scratch slots past it). A system that
// integrates only part of the unknowns (the linear reduction) gives the
// nonlinear devices a compact value space of its own instead, so that their
// stamps land in a few kilobytes rather than scattered over the values of
// 10^5 linear entries, and need no gathering afterwards.
// Circuit::bindNonlinearSlots() switches between spaces.
#pragma once

#include "core/device.hpp"

namespace dwspice {

class SlotSpace {
public:
  SlotSpace() = default;
  virtual ~SlotSpace() = default;
  SlotSpace(const SlotSpace &) = delete;
  SlotSpace &operator=(const SlotSpace &) = delete;
  SlotSpace(SlotSpace &&) = delete;
  SlotSpace &operator=(SlotSpace &&) = delete;

  // The slot of entry (row, col), circuit unknowns (0 = ground, whose
  // entries may share one scratch slot). Asked only for entries that a
  // nonlinear device declared.
  [[nodiscard]] virtual MatrixSlot slotOf(int row, int col) const = 0;
};

} // namespace dwspice
