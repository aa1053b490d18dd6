// Neuron transfer curve: G after a 3 ns pulse versus J, normalised as in the
// seed (x_norm = (x − x_min)/(x_max − x_min)), with J normalised over the
// non-negative sweep [0, J_max] (negative J gives negative J_norm) and a
// polynomial fit of G_norm(J_norm) on 0 ≤ J_norm ≤ 1 for the training step.
#include "characterize.hpp"
#include "dw_trace.hpp"
#include "polynomial_fit.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <fmt/os.h>
#include <stdexcept>

namespace dwspice::characterize {

namespace {

// The pulse's current density: the extreme value reached in the run (signed).
double maxAbsCurrentDensity(const std::vector<DwSample> &samples) {
  double j = 0.0;
  for (const DwSample &s : samples) {
    if (std::abs(s.currentDensity) > std::abs(j)) {
      j = s.currentDensity;
    }
  }
  return j;
}

} // namespace

void characterizeNeuron(const Folders &folders) {
  const DwTraces traces = traceNetlistFile(folders.netlists / "dwneuron_transfer.cir");
  struct Point {
    double j, g;
  };
  std::vector<Point> points;
  for (const std::string &name : traces.order) {
    const auto &samples = traces.byDevice.at(name);
    if (samples.empty()) {
      throw std::runtime_error("neuron netlist produced no transient points");
    }
    points.push_back({maxAbsCurrentDensity(samples), samples.back().conductance});
  }
  std::sort(points.begin(), points.end(), [](const Point &a, const Point &b) { return a.j < b.j; });
  double gMin = points.front().g, gMax = points.front().g, jMax = 0.0;
  for (const Point &p : points) {
    gMin = std::min(gMin, p.g);
    gMax = std::max(gMax, p.g);
    jMax = std::max(jMax, p.j);
  }
  if (!(gMax > gMin) || !(jMax > 0)) {
    throw std::runtime_error("neuron transfer curve is flat: no pulse moved the wall under the detector");
  }
  std::vector<double> jNorm, gNorm;
  auto csv = fmt::output_file((folders.output / "dwneuron_transfer.csv").string());
  csv.print("J_A_per_m2,G_S,G_norm,J_norm\n");
  for (const Point &p : points) {
    const double gn = (p.g - gMin) / (gMax - gMin);
    const double jn = p.j / jMax;
    csv.print("{:.8g},{:.10g},{:.8g},{:.8g}\n", p.j, p.g, gn, jn);
    if (jn >= -1e-12) {
      jNorm.push_back(jn);
      gNorm.push_back(gn);
    }
  }
  csv.close();

  const PolynomialFit fit = fitPolynomial(jNorm, gNorm);
  auto out = fmt::output_file((folders.output / "dwneuron_transfer_fit.csv").string());
  out.print(
      "# G_norm = sum_k c_k * J_norm^k on 0 <= J_norm <= 1; G_norm = 0 for J_norm < 0 (wall moves away)\n");
  out.print(
      "# J_norm = J / J_max, G_norm = (G - G_min)/(G_max - G_min); degree chosen by leave-one-out CV\n");
  out.print("name,value\n");
  out.print("degree,{}\n", fit.degree);
  out.print("rms_residual,{:.6g}\n", fit.rmsResidual);
  out.print("loo_cv_rms,{:.6g}\n", fit.crossValidationRms);
  out.print("J_max_A_per_m2,{:.8g}\n", jMax);
  out.print("G_min_S,{:.10g}\n", gMin);
  out.print("G_max_S,{:.10g}\n", gMax);
  for (size_t k = 0; k < fit.coefficients.size(); ++k) {
    out.print("c{},{:.12g}\n", k, fit.coefficients[k]);
  }
  out.close();
  // Dense samples of the fit, for plotting.
  auto curve = fmt::output_file((folders.output / "dwneuron_transfer_fit_curve.csv").string());
  curve.print("J_norm,G_norm_fit\n");
  for (int i = 0; i <= 200; ++i) {
    const double x = i / 200.0;
    curve.print("{:.6g},{:.6g}\n", x, fit(x));
  }
  curve.close();

  // Wall trajectories q(t) of every neuron (all share the circuit's time points).
  auto trajectories = fmt::output_file((folders.output / "dwneuron_trajectories.csv").string());
  trajectories.print("time_s");
  for (const std::string &name : traces.order) {
    trajectories.print(",q_m_J{:.4g}", maxAbsCurrentDensity(traces.byDevice.at(name)));
  }
  trajectories.print("\n");
  const size_t count = traces.byDevice.at(traces.order.front()).size();
  for (size_t i = 0; i < count; ++i) {
    trajectories.print("{:.8g}", traces.byDevice.at(traces.order.front())[i].time);
    for (const std::string &name : traces.order) {
      trajectories.print(",{:.8g}", traces.byDevice.at(name)[i].position);
    }
    trajectories.print("\n");
  }
  trajectories.close();

  fmt::print("neuron: {} pulses in {:.2f} s; G {:.4g}..{:.4g} S; fit degree {} (rms {:.3g}, LOO-CV {:.3g})\n",
             points.size(), traces.seconds, gMin, gMax, fit.degree, fit.rmsResidual, fit.crossValidationRms);
}

} // namespace dwspice::characterize
