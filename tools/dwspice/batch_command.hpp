// `dwspice --report r.json`: the images of the netlist's .dataset through
// its .tran, classified by its .readout, summarised in a JSON report.
#pragma once

#include "cli_options.hpp"
#include "core/circuit_spec.hpp"
#include "run_log.hpp"

namespace dwspice::cli {

// Throws UserError for netlist problems and for the first failing image.
void runBatchCommand(const CliOptions &options, const CircuitSpec &spec, RunLog &log);

// Where --save K writes image K's raw file in a batch: -r if given, else
// "<report stem>_image<K>.raw" next to the report.
[[nodiscard]] std::filesystem::path savedImageRawPath(const CliOptions &options, int image);

} // namespace dwspice::cli
