#include "batch/batch_report.hpp"

#include "core/diagnostics.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

namespace dwspice::batch {

namespace {

// Numbers in JSON must be finite.
std::string number(double value) {
  if (!std::isfinite(value)) {
    return "null";
  }
  return fmt::format("{}", value); // shortest text that reads back exactly
}

template <typename T> std::string list(const std::vector<T> &values) {
  std::string out = "[";
  for (size_t k = 0; k < values.size(); ++k) {
    out += fmt::format("{}{}", k == 0 ? "" : ", ", values[k]);
  }
  return out + "]";
}

} // namespace

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

std::string reportJson(const BatchResult &result, const ReportContext &context) {
  const auto images = static_cast<double>(result.outcomes.size());
  double energy = 0, steps = 0, points = 0, wall = 0;
  CostCounters cost;
  std::vector<int> predictions;
  std::string readouts = "[";
  for (const ImageOutcome &outcome : result.outcomes) {
    energy += outcome.energy;
    steps += static_cast<double>(outcome.steps);
    points += static_cast<double>(outcome.points);
    wall += outcome.wallSeconds;
    cost += outcome.cost;
    predictions.push_back(outcome.predicted);
    readouts += fmt::format("{}\n    {}", predictions.size() == 1 ? "" : ",", list(outcome.readout));
  }
  readouts += result.outcomes.empty() ? "]" : "\n  ]";
  const double counted = cost.assemblySeconds + cost.deviceSeconds + cost.factorSeconds + cost.solveSeconds;
  const double perImage = images > 0 ? 1.0 / images : 0.0;

  std::string confusion = "[";
  for (size_t row = 0; row < result.confusion.size(); ++row) {
    confusion += fmt::format("{}\n    {}", row == 0 ? "" : ",", list(result.confusion[row]));
  }
  confusion += "\n  ]";

  std::string out = "{\n";
  out += fmt::format("  \"netlist\": {},\n", jsonString(context.netlist));
  out += fmt::format("  \"dataset\": {},\n", jsonString(context.dataset));
  out += fmt::format("  \"split\": {},\n", jsonString(context.split));
  out += fmt::format("  \"images\": {},\n", result.outcomes.size());
  out += fmt::format("  \"correct\": {},\n", result.correct);
  out += fmt::format("  \"accuracy\": {},\n", number(images > 0 ? 100.0 * result.correct / images : 0.0));
  out += fmt::format("  \"confusion\": {},\n", confusion);
  out += fmt::format("  \"predictions\": {},\n", list(predictions));
  out += fmt::format("  \"readouts\": {},\n", readouts);
  out += fmt::format("  \"energy_per_inference_J\": {},\n", number(energy * perImage));
  out += fmt::format("  \"latency_s\": {},\n", number(result.readoutTime));
  out += fmt::format("  \"cycle_s\": {},\n", number(result.stopTime));
  out += fmt::format("  \"wall_s\": {},\n", number(result.wallSeconds));
  out += fmt::format("  \"images_per_s\": {},\n",
                     number(result.wallSeconds > 0 ? images / result.wallSeconds : 0.0));
  out += fmt::format("  \"threads\": {},\n", result.threads);
  out += fmt::format("  \"synapse_mode\": {},\n", jsonString(result.synapseMode));
  out += fmt::format("  \"cost_split_s\": {{\"assembly\": {}, \"devices\": {}, \"factorisation\": {}, "
                     "\"solve\": {}, \"other\": {}}},\n",
                     number(cost.assemblySeconds * perImage), number(cost.deviceSeconds * perImage),
                     number(cost.factorSeconds * perImage), number(cost.solveSeconds * perImage),
                     number(std::max(0.0, wall - counted) * perImage));
  out += fmt::format("  \"steps_per_image\": {},\n", number(steps * perImage));
  out += fmt::format("  \"points_per_image\": {}\n", number(points * perImage));
  out += "}\n";
  return out;
}

void writeReport(const std::filesystem::path &path, const BatchResult &result, const ReportContext &context) {
  const std::string text = reportJson(result, context);
  std::ofstream file(path, std::ios::binary);
  if (!file) {
    throw UserError(fmt::format("cannot write report '{}': {}", path.string(), std::strerror(errno)));
  }
  file << text;
  file.close();
  if (!file) {
    throw UserError(fmt::format("cannot write report '{}': write failed", path.string()));
  }
}

} // namespace dwspice::batch
