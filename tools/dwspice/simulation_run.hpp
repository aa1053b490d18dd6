// A batch run: netlist → circuit → every analysis in netlist order, with
// the requested outputs streaming while each analysis runs.
#pragma once

#include "cli_options.hpp"
#include "run_log.hpp"

namespace dwspice::cli {

// Throws UserError for anything wrong with the input or the simulation.
void runSimulation(const CliOptions &options, RunLog &log);

// `dwspice --devices`: the registry's table.
void listDevices(std::FILE *out);

} // namespace dwspice::cli
