// The characterisation steps of `dwspice_characterize` (issue 3): each runs
// netlists through the engine and writes CSV files into the output folder.
#pragma once

#include "dw_trace.hpp"

#include <filesystem>
#include <vector>

namespace dwspice::characterize {

struct Folders {
  std::filesystem::path netlists; // netlists/characterization
  std::filesystem::path output;   // <build>/characterization
};

// dwneuron_transfer.csv (J_A_per_m2,G_S,G_norm,J_norm) and dwneuron_transfer_fit.csv.
void characterizeNeuron(const Folders &folders);

// Per-notch levels of a synapse with the default model and N notches.
struct SynapseLevels {
  int notches = 0;
  std::vector<double> sites;      // m, relaxed position of site s = 0 (home) … N−1
  std::vector<double> thresholds; // A/m², depinning current density of site s (10 ns pulses)
  std::vector<DwSample> levels;   // relaxed pinned state of notch n = 1 … N
};

// Write-verify programming of a synapse from its home well to notch `target`:
// pulse, read the conductance, repeat (raising J when the wall did not move,
// reversing it after an overshoot). Writes dwsynapse_program_<N>notch.csv and
// the replay netlist dwsynapse_program_<N>notch.cir; returns false if the
// target was not reached within the pulse budget.
bool programSynapse(const Folders &folders, const SynapseLevels &levels, int target);

// dwsynapse_staircase_<N>notch.csv (time series of the checked-in staircase
// netlist), dwsynapse_levels_<N>notch.csv (notch,J_depin_A_per_m2,q_m,G_S) and
// dwsynapse_history_<N>notch.csv. Returns false if a check failed.
bool characterizeSynapse(const Folders &folders, int notches);

} // namespace dwspice::characterize
