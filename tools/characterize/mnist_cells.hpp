// `dwspice_characterize --mnist-cells <outdir>`: the measured curves the MNIST
// training step uses (shared MNIST spec, "Characterisation outputs"):
//   hidden_transfer.csv   i_col_A,v_outp_V,v_outn_V
//   output_transfer.csv   i_col_A,i_sense_A
//   synapse_levels_<N>notch_l1.csv, …_l2.csv (N = 5, 10)   state,G_S
// all from dwspice runs of netlists built from cells.inc and design.conf.
#pragma once

#include <filesystem>
#include <string>

namespace dwspice::characterize {

struct MnistCellsInputs {
  std::filesystem::path design; // netlists/mnist/design.conf
  std::filesystem::path cells;  // netlists/mnist/cells.inc
  std::filesystem::path output; // where the CSV files go
};

// Writes every file; throws std::runtime_error naming the curve if one is not
// monotone (or too flat to be of use), UserError on netlist/simulation errors.
void characterizeMnistCells(const MnistCellsInputs &inputs);

} // namespace dwspice::characterize
