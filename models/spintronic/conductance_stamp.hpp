// Jacobian slots of a two-terminal branch current I(V+ − V−) (KCL rows +/−
// against columns +/−), plus optional extra columns the current depends on.
#pragma once

#include "core/device.hpp"

namespace dwspice::spintronic {

class BranchStamp {
public:
  void declare(MatrixBuilder &builder, int plus, int minus) {
    plus_ = plus;
    minus_ = minus;
    builder.entry(plus, plus, &pp_);
    builder.entry(plus, minus, &pm_);
    builder.entry(minus, plus, &mp_);
    builder.entry(minus, minus, &mm_);
  }
  // Adds the current I flowing from + to − through the device and dI/dV.
  void load(LoadTarget &out, double current, double dCurrentdV) const {
    out.addF(plus_, current);
    out.addF(minus_, -current);
    out.addG(pp_, dCurrentdV);
    out.addG(pm_, -dCurrentdV);
    out.addG(mp_, -dCurrentdV);
    out.addG(mm_, dCurrentdV);
  }
  [[nodiscard]] int plus() const { return plus_; }
  [[nodiscard]] int minus() const { return minus_; }

private:
  int plus_ = 0, minus_ = 0;
  MatrixSlot pp_ = 0, pm_ = 0, mp_ = 0, mm_ = 0;
};

} // namespace dwspice::spintronic
