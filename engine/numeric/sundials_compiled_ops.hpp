// Compiled replacements for the SUNDIALS operations IDA calls in its loops:
// the serial N_Vector's arithmetic and the sparse matrix's zeroing.
//
// Debian's SUNDIALS 6.4 libraries are built without optimisation (every
// local lives on the stack: ~20 instructions per element of a vector sum),
// and IDA spends its time outside the residual in these loops: about a
// fifth of an MNIST image. SUNDIALS lets each vector and matrix carry its
// own operation table, and clones inherit it, so installing these on the
// objects handed to IDA makes every vector IDA makes for itself use them too.
//
// Each operation does exactly what the SUNDIALS documentation specifies for
// it (including the permitted aliasing: the result may be an input); only
// the order of additions in the reductions may differ from the stock code.
#pragma once

#include <sundials/sundials_matrix.h>
#include <sundials/sundials_nvector.h>

namespace dwspice {

// Replaces the arithmetic of a serial vector (N_VNew_Serial) in place.
void installCompiledVectorOps(N_Vector vector);
// Replaces SUNMatZero of a sparse matrix (SUNSparseMatrix) in place.
void installCompiledMatrixOps(SUNMatrix matrix);

} // namespace dwspice
