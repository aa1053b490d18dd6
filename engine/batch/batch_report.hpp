// The JSON report of a batch run (`dwspice --report r.json`). Written with
// fmt; keys as in the MNIST spec:
//   netlist, dataset, split, images, correct, accuracy (percent), confusion
//   (rows = true class), predictions, energy_per_inference_J, latency_s,
//   cycle_s, wall_s, images_per_s, threads, synapse_mode, cost_split_s
//   (per-image means: assembly, devices, factorisation, solve, other),
//   steps_per_image, points_per_image.
#pragma once

#include "batch/batch_run.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace dwspice::batch {

struct ReportContext {
  std::string netlist; // as given on the command line
  std::string dataset, split;
};

// A JSON string literal (quotes, backslashes and control characters escaped).
[[nodiscard]] std::string jsonString(std::string_view text);

[[nodiscard]] std::string reportJson(const BatchResult &result, const ReportContext &context);

// Writes reportJson to `path`; UserError if the file cannot be written.
void writeReport(const std::filesystem::path &path, const BatchResult &result, const ReportContext &context);

} // namespace dwspice::batch
