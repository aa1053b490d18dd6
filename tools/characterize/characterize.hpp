// The characterisation steps of `dwspice_characterize` (issue 3): each runs
// netlists through the engine and writes CSV files into the output folder.
#pragma once

#include <filesystem>

namespace dwspice::characterize {

struct Folders {
  std::filesystem::path netlists; // netlists/characterization
  std::filesystem::path output;   // <build>/characterization
};

// dwneuron_transfer.csv (J_A_per_m2,G_S,G_norm,J_norm) and dwneuron_transfer_fit.csv.
void characterizeNeuron(const Folders &folders);

// dwsynapse_staircase_<N>notch.csv (time series of the checked-in staircase
// netlist), dwsynapse_levels_<N>notch.csv (notch,J_depin_A_per_m2,q_m,G_S) and
// dwsynapse_history_<N>notch.csv. Returns false if a check failed.
bool characterizeSynapse(const Folders &folders, int notches);

} // namespace dwspice::characterize
