// Running a netlist's transient analyses and recording, for every DW device
// in the circuit, its heavy-metal current density, wall position and read-out
// conductance at each time point.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dwspice::characterize {

struct DwSample {
  double time = 0;           // s
  double currentDensity = 0; // A/m², heavy metal, hm+ → hm−
  double position = 0;       // m
  double conductance = 0;    // S, read-out I/V at the read bias
  double phi = 0;            // rad, wall angle
  double heatPower = 0;      // W, I²R in the heavy metal
};

struct DwTraces {
  std::map<std::string, std::vector<DwSample>> byDevice; // device name → samples
  std::vector<std::string> order;                        // device names in netlist order
  double seconds = 0;                                    // wall-clock time of the run
};

// Throws UserError on netlist or simulation errors.
DwTraces traceNetlistFile(const std::filesystem::path &netlist);
DwTraces traceNetlistText(const std::string &text, const std::string &displayName);

} // namespace dwspice::characterize
