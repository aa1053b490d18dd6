// MNIST cell characterisation. Each curve comes from one dwspice run of a
// netlist with many copies of the cell, one per input current (as the neuron
// transfer does): the copies do not interact, so one transient measures them
// all, with the same supplies, clocks and time grid the classifier uses.
#include "mnist_cells.hpp"

#include "design_config.hpp"

#include "analysis/analysis.hpp"
#include "core/circuit.hpp"
#include "core/diagnostics.hpp"
#include "elaborate/load_netlist.hpp"
#include "output/solution_observer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fmt/core.h>
#include <fmt/os.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <variant>
#include <vector>

namespace dwspice::characterize {

namespace {

// Current density that drives the seed neuron's wall to the end of its track
// within the 3 ns window (the transfer is flat beyond it), times the HM
// cross-section (64 nm × 2 nm): the sweeps reach past saturation.
constexpr double kSaturatingHmCurrent = 1.0e12 * 64e-9 * 2e-9; // A
constexpr int kSweepPoints = 201;                              // ≥ 61 (spec), dense for interpolation
constexpr int kNegativePoints = 12;                            // of them below zero (flat: wall held home)

std::string readText(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw UserError(fmt::format("{}: error: cannot open the file", file.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string pulse(double amplitude, double delay, double rise, double width) {
  // One pulse per run: the period is longer than any simulation.
  return fmt::format("pulse(0 {:.9g} {:.9g} {:.9g} {:.9g} {:.9g} 1)", amplitude, delay, rise, rise, width);
}

// Netlist head shared by every bench: the design constants as .param lines,
// cells.inc verbatim, supplies and the two enable clocks as dwgen writes them.
std::string benchHead(const std::string &title, const mnist::DesignConfig &design, const std::string &cells) {
  std::string text = title + "\n";
  for (const auto &[key, value] : design.entries()) {
    text += fmt::format(".param {}={:.12g}\n", key, value);
  }
  text += cells;
  if (!text.empty() && text.back() != '\n') {
    text += '\n';
  }
  const double rise = design["t_rise"];
  text += fmt::format("vsupp vdd 0 dc {:.9g}\nvsupn vss 0 dc {:.9g}\n", design["vdd"], design["vss"]);
  text += fmt::format("vrden rden 0 {}\n", pulse(design["vdd"], design["t_l2"], rise, design["t_write"]));
  text += fmt::format("vrdout rdout 0 {}\n", pulse(design["vdd"], design["t_read"], rise, design["t_readw"]));
  return text;
}

std::string tranCard(const mnist::DesignConfig &design) {
  const double tstop = design["tstop"];
  const double tmax = design["tmax"];
  return tmax > 0 ? fmt::format(".tran {:.9g} {:.9g} 0 {:.9g}\n", tstop / 50, tstop, tmax)
                  : fmt::format(".tran {:.9g} {:.9g}\n", tstop / 50, tstop);
}

// Records chosen unknowns at every point of the netlist's transient (or its
// operating point), resolving names when the plot begins.
class Probe final : public SolutionObserver {
public:
  explicit Probe(std::vector<std::string> names) : names_(std::move(names)), values_(names_.size()) {}

  void beginPlot(const Circuit &circuit, const PlotInfo &) override {
    indices_.clear();
    for (const std::string &name : names_) {
      const auto index = circuit.findUnknown(name);
      if (!index) {
        throw std::runtime_error(fmt::format("characterisation bench has no unknown '{}'", name));
      }
      indices_.push_back(*index);
    }
    times_.clear();
    for (auto &series : values_) {
      series.clear();
    }
  }
  void addPoint(double scale, std::span<const double> x) override {
    times_.push_back(scale);
    for (size_t k = 0; k < indices_.size(); ++k) {
      values_[k].push_back(x[static_cast<size_t>(indices_[k])]);
    }
  }
  void endPlot() override {}

  [[nodiscard]] const std::vector<double> &times() const { return times_; }
  [[nodiscard]] const std::vector<double> &series(size_t k) const { return values_[k]; }

  // Linear interpolation of series k at time t.
  [[nodiscard]] double at(size_t k, double t) const {
    const auto upper = std::lower_bound(times_.begin(), times_.end(), t);
    if (upper == times_.begin()) {
      return values_[k].front();
    }
    if (upper == times_.end()) {
      return values_[k].back();
    }
    const auto i = static_cast<size_t>(upper - times_.begin());
    const double t0 = times_[i - 1], t1 = times_[i];
    const double w = t1 > t0 ? (t - t0) / (t1 - t0) : 1.0;
    return values_[k][i - 1] + w * (values_[k][i] - values_[k][i - 1]);
  }
  // Mean of series k over [t0, t1] (trapezoidal over the accepted points).
  [[nodiscard]] double mean(size_t k, double t0, double t1) const {
    double integral = 0.0, previousT = t0, previousV = at(k, t0);
    for (size_t i = 0; i < times_.size(); ++i) {
      if (times_[i] <= t0 || times_[i] >= t1) {
        continue;
      }
      integral += 0.5 * (previousV + values_[k][i]) * (times_[i] - previousT);
      previousT = times_[i];
      previousV = values_[k][i];
    }
    integral += 0.5 * (previousV + at(k, t1)) * (t1 - previousT);
    return integral / (t1 - t0);
  }

private:
  std::vector<std::string> names_;
  std::vector<int> indices_;
  std::vector<double> times_;
  std::vector<std::vector<double>> values_;
};

double runBench(const std::string &text, const std::string &displayName, Probe &probe) {
  const auto start = std::chrono::steady_clock::now();
  const CircuitSpec spec = loadNetlistText(text, displayName);
  Circuit circuit(spec);
  for (const AnalysisSpec &analysis : spec.analyses) {
    runAnalysis(circuit, analysis, probe, RunSettings{});
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<double> sweepCurrents(double maximum) {
  std::vector<double> currents;
  currents.reserve(kSweepPoints);
  const double negative = -0.25 * maximum;
  for (int i = 0; i < kNegativePoints; ++i) {
    currents.push_back(negative * (kNegativePoints - i) / kNegativePoints);
  }
  const int positive = kSweepPoints - kNegativePoints;
  for (int i = 0; i < positive; ++i) {
    currents.push_back(maximum * i / (positive - 1));
  }
  return currents;
}

// Monotone within this fraction of the curve's range (solver tolerance; the
// measured curves are monotone to the last digit).
constexpr double kMonotoneTolerance = 1e-4;

// Non-decreasing (sign = +1) or non-increasing (−1) within
// kMonotoneTolerance of the curve's range, with a range of at least
// `minimumRange`. Throws naming the curve and the offending point otherwise.
void requireMonotone(const std::string &curve, const std::vector<double> &x, const std::vector<double> &y,
                     int sign, double minimumRange) {
  const auto [low, high] = std::minmax_element(y.begin(), y.end());
  const double range = *high - *low;
  if (!(range >= minimumRange)) {
    throw std::runtime_error(
        fmt::format("{}: the curve is flat (range {:.4g}, need {:.4g}): the cell does not respond", curve,
                    range, minimumRange));
  }
  for (size_t i = 1; i < y.size(); ++i) {
    if (sign * (y[i] - y[i - 1]) < -kMonotoneTolerance * range) {
      throw std::runtime_error(fmt::format("{}: not monotone at input {:.6g} A ({:.6g} after {:.6g})", curve,
                                           x[i], y[i], y[i - 1]));
    }
  }
}

// The curve must be flat over its last points: the sweep reached saturation.
void requireSaturated(const std::string &curve, const std::vector<double> &y) {
  const auto [low, high] = std::minmax_element(y.begin(), y.end());
  const double tail = std::abs(y.back() - y[y.size() - 6]);
  if (tail > 2e-3 * (*high - *low)) {
    throw std::runtime_error(fmt::format("{}: the sweep ends before the curve saturates", curve));
  }
}

// The reset phase must bring every neuron wall back to where it started
// (within 1 nm), whatever its input: series first … first+count−1 are wall
// positions in nm.
void requireWallsHome(const std::string &cell, const Probe &probe, size_t first, size_t count) {
  for (size_t k = first; k < first + count; ++k) {
    const auto &q = probe.series(k);
    if (std::abs(q.back() - q.front()) > 1.0) {
      throw std::runtime_error(
          fmt::format("{} copy {}: the reset left the wall at {:.2f} nm, not home ({:.2f} nm)", cell,
                      k - first, q.back(), q.front()));
    }
  }
}

struct HiddenCurve {
  std::vector<double> current, outp, outn;
  double settleSeconds = 0; // worst 5 % settling of outp after rden rises, among outputs ≥ 10 % of full scale
};

HiddenCurve hiddenTransfer(const mnist::DesignConfig &design, const std::string &cells, double &seconds) {
  const double rise = design["t_rise"];
  const double tWrite = design["t_write"];
  HiddenCurve curve;
  curve.current = sweepCurrents(kSaturatingHmCurrent / design["k1"]);
  std::string text =
      benchHead("* hidden_cell transfer: rectangular column current in the layer-1 window", design, cells);
  std::vector<std::string> names;
  for (size_t k = 0; k < curve.current.size(); ++k) {
    text += fmt::format("iin{0} 0 c{0} {1}\nxh{0} c{0} op{0} on{0} vdd vss rden hidden_cell\n"
                        "rlp{0} op{0} 0 {{rload2}}\nrln{0} on{0} 0 {{rload2}}\n",
                        k, pulse(curve.current[k], design["t_in"], rise, tWrite));
    names.push_back(fmt::format("op{}", k));
    names.push_back(fmt::format("on{}", k));
  }
  for (size_t k = 0; k < curve.current.size(); ++k) {
    names.push_back(fmt::format("n.xh{}.nneu#q", k)); // wall position, nm
  }
  text += tranCard(design) + ".end\n";
  Probe probe(names);
  seconds = runBench(text, "<hidden_cell transfer>", probe);
  // What the output neuron integrates is the charge the row pushes through
  // the layer-2 synapses, so each output is reported as the amplitude of the
  // ideal rden-shaped trapezoid (area t_write + t_rise per volt) carrying the
  // same ∫v dt from t_l2 to t_read (both edges, the driver's settling and its
  // turn-off tail included). The output cell is characterised with exactly
  // that trapezoid, so the behavioural chain then matches the circuit; the
  // plain flat-top mean overstated the drive by the settling lag (~1 %, which
  // read ~0.65 µA high in every output of a full-netlist run).
  const double chargeStart = design["t_l2"];
  const double chargeEnd = design["t_read"];
  const double trapezoidArea = tWrite + rise;
  for (size_t k = 0; k < curve.current.size(); ++k) {
    const double span = chargeEnd - chargeStart;
    curve.outp.push_back(probe.mean(2 * k, chargeStart, chargeEnd) * span / trapezoidArea);
    curve.outn.push_back(probe.mean(2 * k + 1, chargeStart, chargeEnd) * span / trapezoidArea);
  }
  // Settling is judged on the flat top.
  const double t0 = design["t_l2"] + rise;
  const double t1 = t0 + tWrite;
  requireWallsHome("hidden_cell", probe, 2 * curve.current.size(), curve.current.size());
  const double fullScale = *std::max_element(curve.outp.begin(), curve.outp.end());
  for (size_t k = 0; k < curve.current.size(); ++k) {
    const double final = probe.at(2 * k, t1);
    if (final < 0.1 * fullScale) {
      continue;
    }
    double last = t0;
    for (size_t i = 0; i < probe.times().size(); ++i) {
      const double t = probe.times()[i];
      if (t > t0 && t < t1 && std::abs(probe.series(2 * k)[i] - final) > 0.05 * final) {
        last = t;
      }
    }
    curve.settleSeconds = std::max(curve.settleSeconds, last - t0);
  }
  return curve;
}

struct OutputCurve {
  std::vector<double> current, sense;
};

OutputCurve outputTransfer(const mnist::DesignConfig &design, const std::string &cells, double &seconds) {
  OutputCurve curve;
  curve.current = sweepCurrents(kSaturatingHmCurrent / design["k2"]);
  std::string text =
      benchHead("* output_cell transfer: rectangular column current in the layer-2 window", design, cells);
  std::vector<std::string> names;
  for (size_t k = 0; k < curve.current.size(); ++k) {
    text += fmt::format("iin{0} 0 c{0} {1}\nxo{0} c{0} vdd vss rdout output_cell\n", k,
                        pulse(curve.current[k], design["t_l2"], design["t_rise"], design["t_write"]));
    names.push_back(fmt::format("i(v.xo{}.vout)", k));
  }
  for (size_t k = 0; k < curve.current.size(); ++k) {
    names.push_back(fmt::format("n.xo{}.nneu#q", k)); // wall position, nm
  }
  text += tranCard(design) + ".end\n";
  Probe probe(names);
  seconds = runBench(text, "<output_cell transfer>", probe);
  const double tClassify = design["t_classify"];
  for (size_t k = 0; k < curve.current.size(); ++k) {
    curve.sense.push_back(probe.at(k, tClassify));
  }
  requireWallsHome("output_cell", probe, curve.current.size(), curve.current.size());
  return curve;
}

// Read-mode conductance of states 0..N with the syn1/syn2 card dwgen writes.
std::vector<double> synapseLevels(const mnist::DesignConfig &design, int notches, double ra) {
  const double bias = design["vread"];
  std::string text =
      fmt::format("* read-mode synapse levels\n.model syn dwsynapse(nnotch={} ra={:.9g} read=1 "
                  "vrd={:.9g})\n",
                  notches, ra, design["vrd"]);
  std::vector<std::string> names;
  for (int s = 0; s <= notches; ++s) {
    text += fmt::format("vr{0} r{0} 0 dc {1:.9g}\nn{0} 0 0 r{0} 0 syn state={0}\n", s, bias);
    names.push_back(fmt::format("i(vr{})", s));
  }
  text += ".op\n.end\n";
  Probe probe(names);
  runBench(text, fmt::format("<synapse levels {} notches>", notches), probe);
  std::vector<double> levels;
  for (int s = 0; s <= notches; ++s) {
    // The source's branch current flows + → − through it, i.e. out of the synapse.
    levels.push_back(-probe.series(static_cast<size_t>(s)).back() / bias);
  }
  for (size_t s = 1; s < levels.size(); ++s) {
    if (!(levels[s] > levels[s - 1])) {
      throw std::runtime_error(fmt::format(
          "synapse levels ({} notches, ra={:g}): G does not rise strictly at state {}", notches, ra, s));
    }
  }
  return levels;
}

} // namespace

void characterizeMnistCells(const MnistCellsInputs &inputs) {
  const mnist::DesignConfig design = mnist::DesignConfig::read(inputs.design);
  const std::string cells = readText(inputs.cells);
  std::filesystem::create_directories(inputs.output);

  double hiddenSeconds = 0, outputSeconds = 0;
  const HiddenCurve hidden = hiddenTransfer(design, cells, hiddenSeconds);
  auto hiddenCsv = fmt::output_file((inputs.output / "hidden_transfer.csv").string());
  hiddenCsv.print("i_col_A,v_outp_V,v_outn_V\n");
  for (size_t k = 0; k < hidden.current.size(); ++k) {
    hiddenCsv.print("{:.10g},{:.10g},{:.10g}\n", hidden.current[k], hidden.outp[k], hidden.outn[k]);
  }
  hiddenCsv.close();
  // Checked after writing, so that a failing curve can be inspected.
  requireMonotone("hidden_transfer v_outp", hidden.current, hidden.outp, +1, 1e-2);
  requireMonotone("hidden_transfer v_outn", hidden.current, hidden.outn, -1, 1e-2);
  requireSaturated("hidden_transfer v_outp", hidden.outp);

  const OutputCurve output = outputTransfer(design, cells, outputSeconds);
  auto outputCsv = fmt::output_file((inputs.output / "output_transfer.csv").string());
  outputCsv.print("i_col_A,i_sense_A\n");
  for (size_t k = 0; k < output.current.size(); ++k) {
    outputCsv.print("{:.10g},{:.10g}\n", output.current[k], output.sense[k]);
  }
  outputCsv.close();
  requireMonotone("output_transfer i_sense", output.current, output.sense, +1, 1e-7);
  requireSaturated("output_transfer i_sense", output.sense);

  for (const int notches : {5, 10}) {
    for (const auto &[layer, raKey] : {std::pair{"l1", "ra_l1"}, std::pair{"l2", "ra_l2"}}) {
      const std::vector<double> levels = synapseLevels(design, notches, design[raKey]);
      auto csv = fmt::output_file(
          (inputs.output / fmt::format("synapse_levels_{}notch_{}.csv", notches, layer)).string());
      csv.print("state,G_S\n");
      for (size_t s = 0; s < levels.size(); ++s) {
        csv.print("{},{:.12g}\n", s, levels[s]);
      }
      csv.close();
      fmt::print("synapse levels {} notches {}: G {:.5g} .. {:.5g} S\n", notches, layer, levels.front(),
                 levels.back());
    }
  }

  // Where the hidden output starts to rise: the first input with outp above 1 % of full scale.
  const double fullScale = *std::max_element(hidden.outp.begin(), hidden.outp.end());
  double onset = hidden.current.back();
  for (size_t k = 0; k < hidden.current.size(); ++k) {
    if (hidden.outp[k] > 0.01 * fullScale) {
      onset = hidden.current[k];
      break;
    }
  }
  fmt::print("hidden_cell: {} currents {:.4g}..{:.4g} A in {:.2f} s; outp rises from {:.4g} A to {:.4g} V, "
             "outn down to {:.4g} V; settles (5 %) within {:.3g} s of rden\n",
             hidden.current.size(), hidden.current.front(), hidden.current.back(), hiddenSeconds, onset,
             fullScale, *std::min_element(hidden.outn.begin(), hidden.outn.end()), hidden.settleSeconds);
  fmt::print("output_cell: {} currents {:.4g}..{:.4g} A in {:.2f} s; i_sense {:.5g}..{:.5g} A\n",
             output.current.size(), output.current.front(), output.current.back(), outputSeconds,
             *std::min_element(output.sense.begin(), output.sense.end()),
             *std::max_element(output.sense.begin(), output.sense.end()));
}

} // namespace dwspice::characterize
