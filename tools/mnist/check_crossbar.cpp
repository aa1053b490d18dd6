// check_crossbar: verifies from a simulated image that the generated
// crossbars compute exactly the spec's behavioural model:
//   I1_j = vread·Σ_i x_i (G1[a_ij] − G1[b_ij]) + vread·(G1[a_bias,j] − G1[b_bias,j])
//   I2_k = Σ_j (G2[a_jk]·outp_j + G2[b_jk]·outn_j) + vbias2·(G2[a_bias,k] − G2[b_bias,k])
// I1 is compared with the hidden cells' sense currents i(v.xh<j>.vsns) at a
// time inside the layer-1 window; I2 with i(v.xo<k>.vsns) inside the layer-2
// window, using the circuit's own outp/outn (v(hp<j>), v(hn<j>)) at that time,
// so the check isolates the crossbars from the cells' transfer curves.
//
//   check_crossbar --weights W --raw R --image K --t1 T --t2 T [--tolerance 1e-6]
//
// The raw file comes from a netlist written with `dwgen --save-crossbar-currents`
// and `dwspice -b net.cir --save K -r R`. Errors are relative to the largest
// |I| of the layer. Exit 0 within tolerance, 1 beyond it, 2 on bad input.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "core/diagnostics.hpp"
#include "crossbar_weights.hpp"
#include "dataset/idx.hpp"
#include "output/raw_reader.hpp"

namespace {

using namespace dwspice;

struct Arguments {
  std::string weights, raw;
  int image = -1;
  double t1 = -1.0, t2 = -1.0, tolerance = 1e-6;
};

// Value of a saved vector at the stored point nearest to `time`.
double valueAt(const RawPlot &plot, std::string_view name, double time) {
  const auto *values = plot.values(name);
  const auto *times = plot.values("time");
  if (values == nullptr || times == nullptr) {
    throw UserError(
        fmt::format("the raw file has no vector '{}' (generate with --save-crossbar-currents)", name));
  }
  const auto nearest = std::min_element(times->begin(), times->end(), [&](double a, double b) {
    return std::abs(a - time) < std::abs(b - time);
  });
  return (*values)[static_cast<std::size_t>(nearest - times->begin())];
}

// Largest |circuit − model| relative to the largest |model|, printed per layer.
double compare(std::string_view layer, const std::vector<double> &model, const std::vector<double> &circuit) {
  double scale = 0.0;
  double worst = 0.0;
  for (std::size_t k = 0; k < model.size(); ++k) {
    scale = std::max(scale, std::abs(model[k]));
    worst = std::max(worst, std::abs(circuit[k] - model[k]));
  }
  const double relative = scale > 0.0 ? worst / scale : worst;
  fmt::print("{}: {} columns, largest |I| {:.6g} A, largest difference {:.3g} A (relative {:.3g})\n", layer,
             model.size(), scale, worst, relative);
  return relative;
}

} // namespace

int main(int argc, char **argv) {
  Arguments args;
  const std::vector<std::string_view> words(argv + 1, argv + argc);
  for (std::size_t k = 0; k + 1 < words.size(); k += 2) {
    const std::string value(words[k + 1]);
    if (words[k] == "--weights") {
      args.weights = value;
    } else if (words[k] == "--raw") {
      args.raw = value;
    } else if (words[k] == "--image") {
      args.image = std::atoi(value.c_str());
    } else if (words[k] == "--t1") {
      args.t1 = std::atof(value.c_str());
    } else if (words[k] == "--t2") {
      args.t2 = std::atof(value.c_str());
    } else if (words[k] == "--tolerance") {
      args.tolerance = std::atof(value.c_str());
    } else {
      fmt::print(stderr, "check_crossbar: error: unknown option '{}'\n", words[k]);
      return 2;
    }
  }
  if (words.size() % 2 != 0 || args.weights.empty() || args.raw.empty() || args.image < 0 || args.t1 < 0 ||
      args.t2 < 0 || !(args.tolerance > 0)) {
    fmt::print(stderr,
               "usage: check_crossbar --weights W --raw R --image K --t1 T --t2 T [--tolerance 1e-6]\n");
    return 2;
  }
  try {
    const auto weights = mnist::readCrossbarWeights(args.weights);
    const auto data = dataset::loadDataset(weights.dataset, "test");
    if (args.image >= data.images.count) {
      throw UserError(fmt::format("image {} is beyond the {} test images", args.image, data.images.count));
    }
    const auto plots = readRawFile(args.raw);
    const auto transient = std::find_if(plots.begin(), plots.end(), [](const RawPlot &plot) {
      return plot.plotName.find("Transient") != std::string::npos;
    });
    if (transient == plots.end()) {
      throw UserError(fmt::format("{} has no transient plot", args.raw));
    }
    const std::size_t pixels = static_cast<std::size_t>(weights.inputs);
    const auto *image = data.images.pixels.data() + static_cast<std::size_t>(args.image) * pixels;

    std::vector<double> model1(static_cast<std::size_t>(weights.hidden));
    std::vector<double> circuit1(model1.size());
    for (int j = 0; j < weights.hidden; ++j) {
      double sum = 0.0;
      for (int i = 0; i <= weights.inputs; ++i) {
        const double x = i < weights.inputs ? image[i] / 255.0 : 1.0; // last row: bias
        sum += x * (weights.levels1[static_cast<std::size_t>(weights.layer1.plus(i, j))] -
                    weights.levels1[static_cast<std::size_t>(weights.layer1.minus(i, j))]);
      }
      model1[static_cast<std::size_t>(j)] = weights.vread * sum;
      circuit1[static_cast<std::size_t>(j)] = valueAt(*transient, fmt::format("i(v.xh{}.vsns)", j), args.t1);
    }
    std::vector<double> model2(static_cast<std::size_t>(weights.outputs));
    std::vector<double> circuit2(model2.size());
    for (int k = 0; k < weights.outputs; ++k) {
      const auto g2 = [&](int state) { return weights.levels2[static_cast<std::size_t>(state)]; };
      double sum = 0.0;
      for (int j = 0; j < weights.hidden; ++j) {
        sum += g2(weights.layer2.plus(j, k)) * valueAt(*transient, fmt::format("v(hp{})", j), args.t2) +
               g2(weights.layer2.minus(j, k)) * valueAt(*transient, fmt::format("v(hn{})", j), args.t2);
      }
      sum += weights.vbias2 *
             (g2(weights.layer2.plus(weights.hidden, k)) - g2(weights.layer2.minus(weights.hidden, k)));
      model2[static_cast<std::size_t>(k)] = sum;
      circuit2[static_cast<std::size_t>(k)] = valueAt(*transient, fmt::format("i(v.xo{}.vsns)", k), args.t2);
    }
    const double error1 = compare(fmt::format("layer 1 at t = {:.4g} s", args.t1), model1, circuit1);
    const double error2 = compare(fmt::format("layer 2 at t = {:.4g} s", args.t2), model2, circuit2);
    if (!(error1 <= args.tolerance && error2 <= args.tolerance)) {
      fmt::print(stderr,
                 "check_crossbar: FAILED: the crossbar currents differ from the model by more than {:.3g}\n",
                 args.tolerance);
      return 1;
    }
    fmt::print("check_crossbar: both crossbars compute the behavioural model's column currents\n");
    return 0;
  } catch (const UserError &error) {
    fmt::print(stderr, "{}\n", error.what());
    return 2;
  }
}
