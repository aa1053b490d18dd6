// Support for the linear-device tests: build a whole Circuit from instance
// specs (without the parser) and solve its DC operating point directly. All
// linear devices give F(x) = G·x − b, so one dense solve of G·x = b is the
// exact answer; that checks stamps, signs and branch-current conventions
// end to end, independently of the Newton solver.
#pragma once

#include "core/circuit.hpp"
#include "device_test_kit.hpp"

#include <cmath>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace dwspice::testkit {

inline std::shared_ptr<const SourceFile> fakeFile(const std::string &line) {
  auto file = std::make_shared<SourceFile>();
  file->path = "test.cir";
  file->addLine(line);
  return keepSourceFile(std::move(file));
}

// Gives an arg a location (line 1, `column`) so tests can check where errors point.
inline CardArg at(CardArg arg, const std::shared_ptr<const SourceFile> &file, int column) {
  arg.loc = SourceLoc{file.get(), 1, column};
  return arg;
}

struct DcResult {
  std::unique_ptr<Circuit> circuit;
  std::vector<double> x; // x[0] = ground

  [[nodiscard]] double at(const std::string &unknown) const {
    const auto index = circuit->findUnknown(unknown);
    REQUIRE_MESSAGE(index.has_value(), "no unknown " << unknown);
    return x[static_cast<size_t>(*index)];
  }
};

inline CircuitSpec circuitOf(std::vector<InstanceSpec> instances) {
  CircuitSpec spec;
  spec.instances = std::move(instances);
  return spec;
}

// Solves G·x = b for a purely linear circuit at the operating point.
inline DcResult solveDc(const CircuitSpec &spec, LoadContext ctx = {}) {
  DcResult result{std::make_unique<Circuit>(spec), {}};
  Circuit &circuit = *result.circuit;
  const auto n = static_cast<size_t>(circuit.size());
  std::vector<double> x(n + 1, 0.0);
  ctx.x = x;
  const Evaluation &eval = circuit.evaluate(ctx);
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
  const SparsePattern &pattern = circuit.pattern();
  for (size_t c = 0; c < n; ++c) {
    for (auto k = pattern.columnStarts[c]; k < pattern.columnStarts[c + 1]; ++k) {
      a[static_cast<size_t>(pattern.rowIndices[static_cast<size_t>(k)])][c] =
          eval.dfdx[static_cast<size_t>(k)];
    }
  }
  for (size_t r = 0; r < n; ++r) {
    a[r][n] = eval.b[r + 1] - eval.f[r + 1]; // f(0) = 0 for linear devices
  }
  for (size_t col = 0; col < n; ++col) { // Gaussian elimination, partial pivoting
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r) {
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) {
        pivot = r;
      }
    }
    if (std::abs(a[pivot][col]) < 1e-300) {
      throw std::runtime_error("singular test circuit");
    }
    std::swap(a[col], a[pivot]);
    for (size_t r = 0; r < n; ++r) {
      if (r != col) {
        const double factor = a[r][col] / a[col][col];
        for (size_t c = col; c <= n; ++c) {
          a[r][c] -= factor * a[col][c];
        }
      }
    }
  }
  result.x.assign(n + 1, 0.0);
  for (size_t r = 0; r < n; ++r) {
    result.x[r + 1] = a[r][n] / a[r][r];
  }
  return result;
}

} // namespace dwspice::testkit
