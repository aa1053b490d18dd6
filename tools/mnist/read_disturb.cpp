// read_disturb: checks from a raw file of a --synapse-mode dynamic classifier
// run that no crossbar synapse's wall left its notch during inference.
//
//   read_disturb --raw image.raw [--radius-nm R] [--prefix n1p_,n1n_,n2p_,n2n_]
//                [--settled-at T]
//
// Every `<synapse>#q` vector (wall position in nm) of the transient plot whose
// name starts with one of the prefixes is compared with its value at t = 0,
// which is the notch position `state=` put the wall at (the operating point
// holds the state). A wall disturbed by the read path would drift away from
// it; |q(t) - q(0)| must stay below the notch radius (default 10 nm, the
// dwsynapse `rnotch`) at every time point. Prints the largest displacement
// and the device; exits 1 if any wall left its notch, 2 on bad input.
// With --settled-at T (e.g. t_in, when the rows switch on) it also prints the
// largest drift from q(T): the displacement from q(0) includes the wall's
// initial relaxation from the nominal notch centre into the well's actual
// minimum (shifted by the neighbouring wells and, at the track end, by the
// confinement), which is not a read disturbance.
#include "parse/logical_line.hpp" // asciiLower
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "core/diagnostics.hpp"
#include "output/raw_reader.hpp"

namespace {

std::vector<std::string> splitComma(std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const auto comma = text.find(',');
    if (comma != 0) {
      parts.push_back(dwspice::asciiLower(text.substr(0, comma)));
    }
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return parts;
}

} // namespace

int main(int argc, char **argv) {
  std::string rawPath;
  double radiusNm = 10.0;
  double settledAt = -1.0;
  std::vector<std::string> prefixes = {"n1p_", "n1n_", "n2p_", "n2n_"};
  const std::vector<std::string_view> words(argv + 1, argv + argc);
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (k + 1 >= words.size()) {
      fmt::print(stderr, "read_disturb: error: '{}' needs a value\n", words[k]);
      return 2;
    }
    if (words[k] == "--raw") {
      rawPath = words[++k];
    } else if (words[k] == "--radius-nm") {
      radiusNm = std::atof(std::string(words[++k]).c_str());
    } else if (words[k] == "--settled-at") {
      settledAt = std::atof(std::string(words[++k]).c_str());
    } else if (words[k] == "--prefix") {
      prefixes = splitComma(words[++k]);
    } else {
      fmt::print(stderr, "read_disturb: error: unknown option '{}'\n", words[k]);
      return 2;
    }
  }
  if (rawPath.empty() || !(radiusNm > 0.0) || prefixes.empty()) {
    fmt::print(stderr, "usage: read_disturb --raw image.raw [--radius-nm R] [--prefix n1p_,n1n_,…]\n");
    return 2;
  }
  try {
    const auto plots = dwspice::readRawFile(rawPath);
    const auto transient = std::find_if(plots.begin(), plots.end(), [](const dwspice::RawPlot &plot) {
      return dwspice::asciiLower(plot.plotName).find("transient") != std::string::npos;
    });
    if (transient == plots.end()) {
      fmt::print(stderr, "read_disturb: error: {} has no transient plot\n", rawPath);
      return 2;
    }
    double worst = 0.0;
    std::string worstDevice;
    double worstTime = 0.0;
    long devices = 0;
    double worstDrift = 0.0;
    std::string worstDriftDevice;
    const auto *time = transient->values("time");
    if (time == nullptr) {
      fmt::print(stderr, "read_disturb: error: {} has no time vector\n", rawPath);
      return 2;
    }
    // First point at or after --settled-at.
    const auto settledPoint =
        static_cast<std::size_t>(std::lower_bound(time->begin(), time->end(), settledAt) - time->begin());
    for (std::size_t v = 0; v < transient->variables.size(); ++v) {
      const std::string name = dwspice::asciiLower(transient->variables[v].name);
      if (name.size() < 2 || name.compare(name.size() - 2, 2, "#q") != 0) {
        continue;
      }
      const bool synapse = std::any_of(prefixes.begin(), prefixes.end(),
                                       [&](const std::string &prefix) { return name.rfind(prefix, 0) == 0; });
      if (!synapse) {
        continue;
      }
      ++devices;
      const auto &q = transient->real[v];
      for (std::size_t p = 0; p < q.size(); ++p) {
        const double displacement = std::abs(q[p] - q.front());
        if (!std::isfinite(displacement) || displacement > worst) {
          worst = std::isfinite(displacement) ? displacement : HUGE_VAL;
          worstDevice = name;
          worstTime = (*time)[p];
        }
        if (settledAt >= 0.0 && p >= settledPoint && settledPoint < q.size()) {
          const double drift = std::abs(q[p] - q[settledPoint]);
          if (!std::isfinite(drift) || drift > worstDrift) {
            worstDrift = std::isfinite(drift) ? drift : HUGE_VAL;
            worstDriftDevice = name;
          }
        }
      }
    }
    if (devices == 0) {
      fmt::print(
          stderr,
          "read_disturb: error: {} has no synapse wall positions (#q of {}…); generate the netlist with "
          "--synapse-mode dynamic and save all vectors\n",
          rawPath, prefixes.front());
      return 2;
    }
    fmt::print("synapses checked {}\ntime points {}\nmax wall displacement {:.6g} nm", devices,
               transient->pointCount(), worst);
    if (!worstDevice.empty()) {
      fmt::print(" ({} at t = {:.4g} s)", worstDevice, worstTime);
    }
    fmt::print("\n");
    if (settledAt >= 0.0) {
      fmt::print("max drift after t = {:.4g} s {:.6g} nm ({})\n", settledAt, worstDrift,
                 worstDriftDevice.empty() ? "-" : worstDriftDevice);
    }
    fmt::print("notch radius {:.6g} nm\n", radiusNm);
    if (!(worst < radiusNm)) {
      fmt::print(stderr, "read_disturb: FAILED: a wall left its notch\n");
      return 1;
    }
    fmt::print("read_disturb: every wall stayed in its notch\n");
    return 0;
  } catch (const dwspice::UserError &error) {
    fmt::print(stderr, "{}\n", error.what());
    return 2;
  }
}
