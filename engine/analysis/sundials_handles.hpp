// Owning handles for the SUNDIALS objects the transient analysis uses, so
// that every exit path (including exceptions thrown from callbacks) frees
// them in the right order.
#pragma once

#include "numeric/sundials_compiled_ops.hpp"

#include <ida/ida.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <memory>
#include <stdexcept>

namespace dwspice::sundials {

class Context {
public:
  Context() {
    if (SUNContext_Create(nullptr, &context_) != 0) {
      throw std::runtime_error("SUNDIALS: cannot create a context");
    }
  }
  ~Context() { SUNContext_Free(&context_); }
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;
  [[nodiscard]] SUNContext get() const { return context_; }

private:
  SUNContext context_ = nullptr;
};

struct VectorDeleter {
  void operator()(N_Vector v) const { N_VDestroy(v); }
};
struct MatrixDeleter {
  void operator()(SUNMatrix m) const { SUNMatDestroy(m); }
};
struct LinearSolverDeleter {
  void operator()(SUNLinearSolver s) const { SUNLinSolFree(s); }
};

using Vector = std::unique_ptr<std::remove_pointer_t<N_Vector>, VectorDeleter>;
using Matrix = std::unique_ptr<std::remove_pointer_t<SUNMatrix>, MatrixDeleter>;
using LinearSolver = std::unique_ptr<std::remove_pointer_t<SUNLinearSolver>, LinearSolverDeleter>;

inline Vector makeVector(sunindextype length, const Context &context) {
  Vector v(N_VNew_Serial(length, context.get()));
  if (!v) {
    throw std::runtime_error("SUNDIALS: cannot allocate a vector");
  }
  installCompiledVectorOps(v.get());
  return v;
}

inline double *data(const Vector &v) {
  return N_VGetArrayPointer(v.get());
}

class Integrator {
public:
  explicit Integrator(const Context &context) : memory_(IDACreate(context.get())) {
    if (memory_ == nullptr) {
      throw std::runtime_error("SUNDIALS: cannot create IDA");
    }
  }
  ~Integrator() { IDAFree(&memory_); }
  Integrator(const Integrator &) = delete;
  Integrator &operator=(const Integrator &) = delete;
  [[nodiscard]] void *get() const { return memory_; }

private:
  void *memory_ = nullptr;
};

} // namespace dwspice::sundials
