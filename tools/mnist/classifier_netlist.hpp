// Writes the self-contained SPICE netlist of the 784-H-10 spintronic crossbar
// classifier (scheme: docs/mnist.md and the shared MNIST spec).
#pragma once

#include <cstdio>
#include <string>

#include "cells_library.hpp"
#include "crossbar_weights.hpp"
#include "design_config.hpp"

namespace dwspice::mnist {

enum class SynapseMode { Read, Dynamic };

struct GeneratorOptions {
  double rwire = 0.0; // ohm between successive taps of a row or column (0: ideal wire)
  double cwire = 0.0; // F to ground at every tap
  SynapseMode synapseMode = SynapseMode::Read;
  int imagesHint = 0; // images suggested in the header's run command (0: all)
  // Adds a .save of every crossbar synapse's wall position (#q, dynamic mode)
  // and the readout currents, so the read-disturb check's raw file stays small.
  bool saveSynapseStates = false;
  // Adds a .save of every column's sense current (i(v.xh<j>.vsns),
  // i(v.xo<k>.vsns)) and the layer-2 rows (v(hp<j>), v(hn<j>)): the input
  // of tools/mnist/check_crossbar.
  bool saveCrossbarCurrents = false;
  // Recorded in the header so a netlist says where it came from.
  std::string weightsPath, designPath, cellsPath, commandLine;
};

struct NetlistSummary {
  long lines = 0;
  long synapses = 0;
  long wireElements = 0;
};

// Streams the netlist to `out`. The design constants (after command-line
// overrides) must be consistent with the weights; the caller checks that.
NetlistSummary writeClassifierNetlist(std::FILE *out, const CrossbarWeights &weights,
                                      const DesignConfig &design, const CellsLibrary &cells,
                                      const GeneratorOptions &options);

} // namespace dwspice::mnist
