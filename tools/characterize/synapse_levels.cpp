// Notched synapse: staircase time series, per-notch levels and a history
// check, for one notch count.
//
// Levels. For notch n (1 … N):
//   q_m, G_S          the relaxed pinned position and read-out conductance of a
//                     wall placed at notch n (state=n, 3 ns without current),
//   J_depin_A_per_m2  the smallest 10 ns pulse current density that releases the
//                     wall from the site before notch n (the home well for n = 1,
//                     notch n−1 otherwise), i.e. the current needed to bring it on
//                     towards notch n. Found by a batched bisection: each round
//                     runs one netlist with 7 current densities per site.
// The levels must rise strictly in G and in J; the tool reports failure if not.
#include "characterize.hpp"
#include "dw_trace.hpp"

#include <cmath>
#include <fmt/core.h>
#include <fmt/os.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace dwspice::characterize {

namespace {

constexpr double kWriteArea = 150e-9 * 2e-9; // m², default synapse HM cross-section
constexpr double kEscapeDistance = 20e-9;    // m, two notch radii
constexpr int kGrid = 7;

std::string modelCard(int notches) {
  return fmt::format(".model syn dwsynapse(nnotch={})\n", notches);
}

// Relaxed pinned position and conductance for states 1 … N.
std::vector<DwSample> pinnedLevels(int notches) {
  std::string text = "* pinned levels\n" + modelCard(notches);
  for (int n = 1; n <= notches; ++n) {
    text += fmt::format("vr{0} rp{0} 0 dc 10m\nn{0} 0 0 rp{0} 0 syn state={0}\n", n);
  }
  text += ".tran 10p 3n\n.end\n";
  const DwTraces traces = traceNetlistText(text, fmt::format("<levels {} notches>", notches));
  std::vector<DwSample> levels;
  for (int n = 1; n <= notches; ++n) {
    levels.push_back(traces.byDevice.at(fmt::format("n{}", n)).back());
  }
  return levels;
}

// Pinned position of each starting site 0 … N−1 (home and notches).
std::vector<double> sitePositions(int notches, const std::vector<DwSample> &levels) {
  std::string text =
      "* home\n" + modelCard(notches) + "vr rp 0 dc 10m\nn0 0 0 rp 0 syn state=0\n.tran 10p 1n\n.end\n";
  std::vector<double> sites{traceNetlistText(text, "<home>").byDevice.at("n0").back().position};
  for (int n = 1; n < notches; ++n) {
    sites.push_back(levels[static_cast<size_t>(n - 1)].position);
  }
  return sites;
}

// Depinning current density of every site, by batched bisection.
std::vector<double> depinningThresholds(int notches, const std::vector<double> &sites) {
  std::vector<double> lo(sites.size(), 0.0), hi(sites.size(), 3e12);
  for (int round = 0; round < 4; ++round) {
    std::string text = "* depinning round\n" + modelCard(notches);
    for (size_t s = 0; s < sites.size(); ++s) {
      for (int m = 1; m <= kGrid; ++m) {
        const double j = lo[s] + (hi[s] - lo[s]) * m / (kGrid + 1);
        text += fmt::format("iw_{0}_{1} 0 hp_{0}_{1} pulse(0 {2:.9g} 0.1n 200p 200p 10n 1)\n"
                            "n_{0}_{1} hp_{0}_{1} 0 0 0 syn state={0}\n",
                            s, m, j * kWriteArea);
      }
    }
    text += ".tran 100p 15n\n.end\n";
    const DwTraces traces = traceNetlistText(text, fmt::format("<depinning {} notches>", notches));
    for (size_t s = 0; s < sites.size(); ++s) {
      double newLo = lo[s], newHi = hi[s];
      for (int m = kGrid; m >= 1; --m) {
        const double j = lo[s] + (hi[s] - lo[s]) * m / (kGrid + 1);
        const bool escaped =
            traces.byDevice.at(fmt::format("n_{}_{}", s, m)).back().position > sites[s] + kEscapeDistance;
        if (escaped) {
          newHi = j;
        } else {
          newLo = j;
          break;
        }
      }
      lo[s] = newLo;
      hi[s] = newHi;
    }
  }
  std::vector<double> thresholds;
  for (size_t s = 0; s < sites.size(); ++s) {
    thresholds.push_back(hi[s]); // smallest J seen to depin
  }
  return thresholds;
}

} // namespace

bool characterizeSynapse(const Folders &folders, int notches) {
  bool ok = true;
  // 1. The checked-in staircase run (sequential pulses of increasing J).
  const auto staircaseFile = folders.netlists / fmt::format("dwsynapse_staircase_{}notch.cir", notches);
  const DwTraces staircase = traceNetlistFile(staircaseFile);
  {
    auto csv =
        fmt::output_file((folders.output / fmt::format("dwsynapse_staircase_{}notch.csv", notches)).string());
    csv.print("time_s,J_A_per_m2,q_m,G_S\n");
    for (const DwSample &s : staircase.byDevice.at(staircase.order.front())) {
      csv.print("{:.8g},{:.6g},{:.8g},{:.10g}\n", s.time, s.currentDensity, s.position, s.conductance);
    }
  }

  // 2. Levels.
  const std::vector<DwSample> levels = pinnedLevels(notches);
  const std::vector<double> sites = sitePositions(notches, levels);
  const std::vector<double> thresholds = depinningThresholds(notches, sites);
  {
    auto csv =
        fmt::output_file((folders.output / fmt::format("dwsynapse_levels_{}notch.csv", notches)).string());
    csv.print("notch,J_depin_A_per_m2,q_m,G_S\n");
    for (int n = 1; n <= notches; ++n) {
      const DwSample &level = levels[static_cast<size_t>(n - 1)];
      csv.print("{},{:.6g},{:.8g},{:.10g}\n", n, thresholds[static_cast<size_t>(n - 1)], level.position,
                level.conductance);
      if (n > 1 && !(level.conductance > levels[static_cast<size_t>(n - 2)].conductance &&
                     thresholds[static_cast<size_t>(n - 1)] > thresholds[static_cast<size_t>(n - 2)])) {
        fmt::print(stderr, "synapse {} notches: level {} does not rise strictly\n", notches, n);
        ok = false;
      }
    }
  }

  // 3. History: two equal pulses from home, just above the depinning current of
  //    notch 1: the first carries the wall past notch 1 to a later notch, the
  //    second (same J) finds it in a deeper well and leaves it there.
  if (notches >= 2) {
    const double j = 1.03 * thresholds[1]; // just above the depinning current of notch 1
    const std::string text = fmt::format("* history\n{}iw 0 hp pulse(0 {:.9g} 0.1n 200p 200p 10n 20n)\n"
                                         "vr rp 0 dc 10m\nn1 hp 0 rp 0 syn state=0\n.tran 100p 40n\n.end\n",
                                         modelCard(notches), j * kWriteArea);
    const auto samples = traceNetlistText(text, "<history>").byDevice.at("n1");
    const auto at = [&](double t) {
      for (const DwSample &s : samples) {
        if (s.time >= t) {
          return s;
        }
      }
      return samples.back();
    };
    const DwSample start = at(0.0), afterFirst = at(20e-9), afterSecond = samples.back();
    auto csv =
        fmt::output_file((folders.output / fmt::format("dwsynapse_history_{}notch.csv", notches)).string());
    csv.print("pulse,J_A_per_m2,q_before_m,q_after_m,G_after_S\n");
    csv.print("1,{:.6g},{:.8g},{:.8g},{:.10g}\n", j, start.position, afterFirst.position,
              afterFirst.conductance);
    csv.print("2,{:.6g},{:.8g},{:.8g},{:.10g}\n", j, afterFirst.position, afterSecond.position,
              afterSecond.conductance);
    const double firstMove = afterFirst.position - start.position;
    const double secondMove = afterSecond.position - afterFirst.position;
    const bool historyShown = firstMove > 100e-9 && std::abs(secondMove) < kEscapeDistance;
    fmt::print("synapse {} notches: history at J = {:.3g} A/m²: first pulse moved the wall {:.1f} nm, the "
               "second {:.1f} nm{}\n",
               notches, j, firstMove * 1e9, secondMove * 1e9,
               historyShown ? "" : "  (NOT history dependent!)");
    ok = ok && historyShown;
  }
  // 4. Write-verify programming to the middle notch.
  ok = programSynapse(folders, SynapseLevels{notches, sites, thresholds, levels}, notches / 2 + 1) && ok;

  fmt::print("synapse {} notches: staircase run {:.2f} s; levels:", notches, staircase.seconds);
  for (int n = 1; n <= notches; ++n) {
    fmt::print(" [{} {:.3g} A/m² {:.0f} nm {:.4g} S]", n, thresholds[static_cast<size_t>(n - 1)],
               levels[static_cast<size_t>(n - 1)].position * 1e9,
               levels[static_cast<size_t>(n - 1)].conductance);
  }
  fmt::print("\n");
  return ok;
}

} // namespace dwspice::characterize
