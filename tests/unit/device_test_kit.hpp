// Test kit for device models: build one device from a netlist-like spec
// without the parser, evaluate it, and compare its analytic Jacobians (G =
// df/dx and C = dq/dx) with central finite differences.
#pragma once

#include "core/circuit.hpp"
#include "core/device_registry.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dwspice::testkit {

// A tiny stand-alone system around one device (plus optional helpers such as
// the V source an F element refers to): owns the unknowns, a dense slot map
// and the evaluation buffers.
class DeviceBench final : public UnknownAllocator, public MatrixBuilder {
public:
  explicit DeviceBench(int nodes) : size_(nodes) {}

  // Builds a device through the registry. `nodes` are 1-based node indices
  // (0 = ground). The spec must outlive the bench (it is copied).
  Device &add(InstanceSpec spec, const std::vector<int> &nodes, const SimOptions &options = {}) {
    specs_.push_back(std::make_unique<InstanceSpec>(std::move(spec)));
    const InstanceSpec &s = *specs_.back();
    const std::string type = s.model != nullptr ? s.model->type : std::string();
    const DeviceDescriptor *d = DeviceRegistry::instance().find(s.letter, type);
    REQUIRE_MESSAGE(d != nullptr, "device not registered: " << s.letter << " " << type);
    devices_.push_back(d->create(DeviceBuildContext{s, nodes, options}));
    return *devices_.back();
  }

  // Call once after all add() calls.
  void setup() {
    for (auto &d : devices_) {
      d->setupUnknowns(*this);
    }
    for (auto &d : devices_) {
      d->setupMatrix(*this);
    }
  }

  int addUnknown(const std::string &outputName, UnknownKind) override {
    names_.push_back(outputName);
    return ++size_;
  }
  int addState(const std::string &outputName, double /*toleranceScale*/) override {
    return addUnknown(outputName, UnknownKind::State);
  }
  void entry(int row, int col, MatrixSlot *slot) override {
    const auto key = std::make_pair(row, col);
    auto it = slotOf_.find(key);
    if (it == slotOf_.end()) {
      it = slotOf_.emplace(key, static_cast<MatrixSlot>(slotOf_.size())).first;
    }
    *slot = it->second;
  }
  Device &device(const std::string &name, const SourceLoc &loc) override {
    for (auto &d : devices_) {
      if (d->name() == name) {
        return *d;
      }
    }
    throw UserError(loc, "no element named " + name);
  }

  [[nodiscard]] int size() const { return size_; }

  struct Result {
    std::vector<double> f, q, b;
    std::vector<std::vector<double>> G, C; // dense (size+1)^2, row 0/col 0 = ground
  };

  Result evaluate(const std::vector<double> &x, LoadContext ctx = {}) {
    REQUIRE(x.size() == static_cast<size_t>(size_) + 1);
    const size_t n = x.size();
    std::vector<double> f(n), q(n), b(n), g(slotOf_.size() + 1), c(slotOf_.size() + 1);
    ctx.x = x;
    LoadTarget target(f, q, b, g, c);
    for (auto &d : devices_) {
      d->load(ctx, target);
      d->loadExcitation(ctx, target);
    }
    Result r{f, q, b, std::vector<std::vector<double>>(n, std::vector<double>(n)),
             std::vector<std::vector<double>>(n, std::vector<double>(n))};
    for (const auto &[key, slot] : slotOf_) {
      r.G[static_cast<size_t>(key.first)][static_cast<size_t>(key.second)] = g[static_cast<size_t>(slot)];
      r.C[static_cast<size_t>(key.first)][static_cast<size_t>(key.second)] = c[static_cast<size_t>(slot)];
    }
    return r;
  }

  // Checks G and C against central differences of f and q at x, for every
  // non-ground row and column. Tolerance relative to the entry scale.
  void checkJacobian(const std::vector<double> &x, const LoadContext &ctx = {}, double relTol = 1e-5,
                     double absTol = 1e-12) {
    const Result at = evaluate(x, ctx);
    for (size_t j = 1; j < x.size(); ++j) {
      const double h = 1e-7 * std::max(1.0, std::abs(x[j]));
      std::vector<double> xp = x, xm = x;
      xp[j] += h;
      xm[j] -= h;
      const Result rp = evaluate(xp, ctx);
      const Result rm = evaluate(xm, ctx);
      for (size_t i = 1; i < x.size(); ++i) {
        const double fdG = (rp.f[i] - rm.f[i]) / (2 * h);
        const double fdC = (rp.q[i] - rm.q[i]) / (2 * h);
        const double scaleG = std::max({std::abs(fdG), std::abs(at.G[i][j]), 1.0}) * relTol + absTol;
        const double scaleC = std::max({std::abs(fdC), std::abs(at.C[i][j]), 1e-15}) * relTol * 10 + absTol;
        CHECK_MESSAGE(
            std::abs(fdG - at.G[i][j]) <= scaleG,
            fmt::format("df{}/dx{}: analytic {:.9g} vs finite difference {:.9g}", i, j, at.G[i][j], fdG));
        CHECK_MESSAGE(
            std::abs(fdC - at.C[i][j]) <= scaleC,
            fmt::format("dq{}/dx{}: analytic {:.9g} vs finite difference {:.9g}", i, j, at.C[i][j], fdC));
      }
    }
  }

  // The hasConstantCharges() promise at a set of points (each a full x):
  // C is the same everywhere, q = C·x, and with ctx.constantChargesHeld the
  // device leaves q and C alone while f and G stay exactly as they were.
  void checkConstantCharges(const std::vector<std::vector<double>> &points, LoadContext ctx = {}) {
    REQUIRE(!points.empty());
    const Result first = evaluate(points.front(), ctx);
    for (const std::vector<double> &x : points) {
      const Result at = evaluate(x, ctx);
      for (size_t i = 1; i < x.size(); ++i) {
        double charge = 0.0;
        for (size_t j = 1; j < x.size(); ++j) {
          CHECK_MESSAGE(at.C[i][j] == first.C[i][j], fmt::format("dq{}/dx{} varies with x", i, j));
          charge += at.C[i][j] * x[j];
        }
        const double scale = std::abs(at.q[i]) + std::abs(charge) + 1e-30;
        CHECK_MESSAGE(std::abs(at.q[i] - charge) <= 1e-12 * scale,
                      fmt::format("q{} = {:.9g}, C·x = {:.9g}", i, at.q[i], charge));
      }
      LoadContext held = ctx;
      held.constantChargesHeld = true;
      const Result skipped = evaluate(x, held);
      CHECK(skipped.f == at.f);
      CHECK(skipped.G == at.G);
      for (size_t i = 1; i < x.size(); ++i) {
        CHECK(skipped.q[i] == 0.0);
        for (size_t j = 1; j < x.size(); ++j) {
          CHECK(skipped.C[i][j] == 0.0);
        }
      }
    }
  }

private:
  int size_;
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<InstanceSpec>> specs_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::map<std::pair<int, int>, MatrixSlot> slotOf_;
};

// Convenience builders for specs in tests.
inline CardArg value(double v) {
  return CardArg{CardArg::Kind::Value, "", v, {}, {}};
}
inline CardArg assign(const std::string &name, double v) {
  return CardArg{CardArg::Kind::Assign, name, v, {}, {}};
}
inline CardArg word(const std::string &w) {
  return CardArg{CardArg::Kind::Word, w, 0, {}, {}};
}
inline CardArg group(const std::string &name, std::vector<double> vs) {
  return CardArg{CardArg::Kind::Group, name, 0, std::move(vs), {}};
}

inline InstanceSpec instance(const std::string &name, std::vector<std::string> nodes,
                             std::vector<CardArg> args, const ModelSpec *model = nullptr,
                             std::vector<std::string> references = {}) {
  InstanceSpec s;
  s.name = name;
  s.letter = name.at(0);
  s.nodes.assign(std::make_move_iterator(nodes.begin()), std::make_move_iterator(nodes.end()));
  s.references = std::move(references);
  s.model = model;
  s.args.assign(std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
  return s;
}

} // namespace dwspice::testkit
