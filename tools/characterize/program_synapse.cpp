// Write-verify programming of a notched synapse (issue 3, "Programming").
//
// Each cycle is one netlist run that continues from the previous state
// (instance q0= and phi0=): a 10 ns write pulse through the heavy metal, then
// 5 ns of rest with the MTJ read at 10 mV. The read conductance is matched to
// the nearest pinned level; the next pulse starts just above the depinning
// current of the site the wall is in, rises by 5 % after a pulse that did not
// move the wall, and is reversed (negative J moves the wall back) after an
// overshoot. The pulses used are also written as one PWL replay netlist.
#include "characterize.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <fmt/os.h>
#include <limits>
#include <vector>

namespace dwspice::characterize {

namespace {

constexpr double kWriteArea = 150e-9 * 2e-9; // m², default synapse HM cross-section
constexpr double kPulse = 10e-9, kEdge = 200e-12, kRest = 5e-9;
constexpr int kMaxPulses = 40;

// The pinned level (0 = home, n = notch n) a read conductance belongs to, or
// −1 when it lies between levels (a wall stopped mid-track when the pulse
// ended): accepted within a tenth of the smallest level spacing.
int siteOf(const SynapseLevels &levels, const DwSample &home, double conductance) {
  std::vector<double> g{home.conductance};
  for (const DwSample &level : levels.levels) {
    g.push_back(level.conductance);
  }
  double spacing = std::numeric_limits<double>::infinity();
  for (size_t n = 1; n < g.size(); ++n) {
    spacing = std::min(spacing, std::abs(g[n] - g[n - 1]));
  }
  for (size_t n = 0; n < g.size(); ++n) {
    if (std::abs(conductance - g[n]) < 0.1 * spacing) {
      return static_cast<int>(n);
    }
  }
  return -1;
}

} // namespace

bool programSynapse(const Folders &folders, const SynapseLevels &levels, int target) {
  const std::string model = fmt::format(".model syn dwsynapse(nnotch={})\n", levels.notches);
  const auto cycle = [&](double j, double q0, double phi0) {
    const std::string text =
        fmt::format("* write-verify cycle\n{}iw 0 hp pulse(0 {:.9g} 0 {} {} {} 1)\nvr rp 0 dc 10m\n"
                    "n1 hp 0 rp 0 syn q0={:.12g} phi0={:.12g}\n.tran 100p {}\n.end\n",
                    model, j * kWriteArea, kEdge, kEdge, kPulse, q0, phi0, kPulse + 2 * kEdge + kRest);
    return traceNetlistText(text, "<write-verify>").byDevice.at("n1");
  };

  // Home state: read before the first pulse.
  const auto start = cycle(0.0, levels.sites.front(), 0.0);
  const DwSample home = start.back();
  double q = home.position, phi = home.phi, energy = 0.0, time = 0.0, lastConductance = home.conductance;
  int site = 0, pulses = 0;
  double j = levels.thresholds.front() * 1.02;
  auto csv = fmt::output_file(
      (folders.output / fmt::format("dwsynapse_program_{}notch.csv", levels.notches)).string());
  csv.print("pulse,J_A_per_m2,q_after_m,G_after_S,site_after,energy_J\n");
  std::vector<double> pulseTrain;
  while (site != target && pulses < kMaxPulses) {
    if (site > target) {
      j = -levels.thresholds[static_cast<size_t>(site - 1)] * 1.02; // move back towards the left
    }
    const auto samples = cycle(j, q, phi);
    ++pulses;
    pulseTrain.push_back(j);
    double pulseEnergy = 0.0;
    for (size_t i = 1; i < samples.size(); ++i) {
      pulseEnergy +=
          0.5 * (samples[i].heatPower + samples[i - 1].heatPower) * (samples[i].time - samples[i - 1].time);
    }
    energy += pulseEnergy;
    time += kPulse + 2 * kEdge + kRest;
    const DwSample after = samples.back();
    const int newSite = siteOf(levels, home, after.conductance);
    csv.print("{},{:.6g},{:.8g},{:.10g},{},{:.6g}\n", pulses, j, after.position, after.conductance, newSite,
              pulseEnergy);
    const bool moved = std::abs(after.conductance - (pulses == 1 ? home.conductance : lastConductance)) >
                       1e-3 * home.conductance;
    lastConductance = after.conductance;
    q = after.position;
    phi = after.phi;
    if (newSite < 0) {
      continue; // between levels: the same pulse again carries the wall on
    }
    if (newSite < target && newSite != site) {
      j = levels.thresholds[static_cast<size_t>(newSite)] * 1.02; // next barrier
    } else if (!moved) {
      j *= 1.05;
    }
    site = newSite;
  }
  csv.close();

  // Replay netlist: the same pulses, each followed by the read/rest window.
  auto replay = fmt::output_file(
      (folders.output / fmt::format("dwsynapse_program_{}notch.cir", levels.notches)).string());
  replay.print("* Replay of the write-verify programming of a {}-notch synapse to notch {} ({} pulses).\n",
               levels.notches, target, pulses);
  replay.print("{}iw 0 hp pwl(0 0", model);
  double t = 1e-9;
  for (const double pj : pulseTrain) {
    replay.print("\n+ {:.6g} 0 {:.6g} {:.6g} {:.6g} {:.6g} {:.6g} 0", t, t + kEdge, pj * kWriteArea,
                 t + kEdge + kPulse, pj * kWriteArea, t + 2 * kEdge + kPulse);
    t += kPulse + 2 * kEdge + kRest;
  }
  replay.print(")\nvr rp 0 dc 10m\nn1 hp 0 rp 0 syn state=0\n.tran 100p {:.6g}\n.end\n", t);
  replay.close();

  const bool reached = site == target;
  fmt::print(
      "synapse {} notches: write-verify to notch {} {} after {} pulses, {:.0f} ns, write energy {:.3g} J\n",
      levels.notches, target, reached ? "reached" : "NOT reached", pulses, time * 1e9, energy);
  return reached;
}

} // namespace dwspice::characterize
