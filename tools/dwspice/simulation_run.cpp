#include "simulation_run.hpp"

#include "analysis/analysis.hpp"
#include "batch/image_observer.hpp"
#include "batch/image_runner.hpp"
#include "batch_command.hpp"
#include "core/circuit.hpp"
#include "core/device_registry.hpp"
#include "dataset/idx.hpp"
#include "elaborate/load_netlist.hpp"
#include "output/csv_writer.hpp"
#include "output/op_report_writer.hpp"
#include "output/output_recorder.hpp"
#include "output/print_table_writer.hpp"
#include "output/raw_writer.hpp"
#include "progress_line.hpp"

#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

namespace dwspice::cli {

namespace {

constexpr std::array<PlotKind, 3> kPlotKinds{PlotKind::OperatingPoint, PlotKind::DcSweep,
                                             PlotKind::Transient};

// Checked before the frontend runs so that a mistyped file name gets a
// plain message rather than whatever the reader makes of it.
void requireReadableNetlist(const std::filesystem::path &path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw UserError(fmt::format("cannot read netlist '{}': it is a directory", path.string()));
  }
  std::ifstream probe(path);
  if (!probe) {
    throw UserError(fmt::format("cannot open netlist '{}': {}", path.string(), std::strerror(errno)));
  }
}

PlotKind plotKindOf(const AnalysisSpec &analysis) {
  if (std::holds_alternative<OpAnalysisSpec>(analysis.kind)) {
    return PlotKind::OperatingPoint;
  }
  if (std::holds_alternative<DcAnalysisSpec>(analysis.kind)) {
    return PlotKind::DcSweep;
  }
  return PlotKind::Transient;
}

// `.print tran …` without a `.tran` prints nothing; say so rather than
// leave the user wondering where the table went.
void notePrintsWithoutAnalysis(const CircuitSpec &spec, RunLog &log) {
  for (const OutputRequest &print : spec.prints) {
    bool matched = false;
    for (const AnalysisSpec &analysis : spec.analyses) {
      matched = matched || printAnalysisName(plotKindOf(analysis)) == print.analysis;
    }
    if (!matched) {
      log.line(renderDiagnostic(
          print.loc, "note",
          fmt::format("no .{} analysis in the netlist: this .print shows nothing", print.analysis)));
    }
  }
}

// The writers of one run and the recorder that feeds them. Writers are
// owned here; the recorder only points at them.
class OutputSet {
public:
  OutputSet(const CliOptions &options, const CircuitSpec &spec, const Circuit &circuit)
      : recorder_(spec.title) {
    const std::span<const UnknownInfo> unknowns(circuit.unknowns());
    const VectorRequest saved = saveRequest(spec.saves);
    // Resolve every name before any file is created or any analysis runs.
    (void)selectVectors(unknowns, saved);
    std::vector<std::pair<PlotKind, VectorRequest>> prints;
    for (const PlotKind kind : kPlotKinds) {
      if (auto request = printRequest(spec.prints, kind)) {
        (void)selectVectors(unknowns, *request);
        prints.emplace_back(kind, std::move(*request));
      }
    }

    if (options.rawFile) {
      rawPath_ = *options.rawFile;
      const bool ascii = options.asciiRaw || asciiRawRequestedByEnvironment();
      raw_ = std::make_unique<RawWriter>(*options.rawFile, ascii ? RawFormat::Ascii : RawFormat::Binary);
      recorder_.attach(*raw_, saved);
    }
    if (options.csvFile) {
      csv_ = std::make_unique<CsvWriter>(*options.csvFile, spec.analyses.size() > 1 ? CsvLayout::FilePerPlot
                                                                                    : CsvLayout::SingleFile);
      recorder_.attach(*csv_, saved);
    }
    if (!prints.empty()) {
      printTable_ = std::make_unique<PrintTableWriter>(stdout);
      for (auto &[kind, request] : prints) {
        recorder_.attach(*printTable_, std::move(request), kind);
      }
    }
    const bool opPrinted = printRequest(spec.prints, PlotKind::OperatingPoint).has_value();
    if (!raw_ && !csv_ && !opPrinted) {
      // ngspice's batch mode without a raw file shows the operating point
      // (also next to .print tables of other analyses).
      opReport_ = std::make_unique<OpReportWriter>(stdout);
      recorder_.attach(*opReport_, VectorRequest{}, PlotKind::OperatingPoint);
    }
  }

  OutputRecorder &recorder() { return recorder_; }

  // Whether a plot of this kind ends up anywhere.
  [[nodiscard]] bool writes(PlotKind kind, const CircuitSpec &spec) const {
    return raw_ || csv_ || printRequest(spec.prints, kind).has_value() ||
           (opReport_ && kind == PlotKind::OperatingPoint);
  }

  void finish(RunLog &log) {
    recorder_.finish();
    if (raw_) {
      log.line(fmt::format("raw file: {}", rawPath_.string()));
    }
    if (csv_) {
      for (const auto &file : csv_->files()) {
        log.line(fmt::format("CSV file: {}", file.string()));
      }
    }
  }

  // After a failed analysis: leave consistent files with the points so far.
  // A second error here must not hide the first one.
  void abandon() noexcept {
    try {
      recorder_.finish();
    } catch (const std::exception &) {
    }
  }

private:
  OutputRecorder recorder_;
  std::unique_ptr<RawWriter> raw_;
  std::unique_ptr<CsvWriter> csv_;
  std::unique_ptr<PrintTableWriter> printTable_;
  std::unique_ptr<OpReportWriter> opReport_;
  std::filesystem::path rawPath_;
};

// A netlist with .dataset run without --report: one image (--save K,
// default 0) is bound to the sources, then the analyses run as usual.
struct BoundImage {
  int index = 0;
  int label = -1;
  dataset::LabelledImages data;
};

std::optional<BoundImage> bindOneImage(const CliOptions &options, const CircuitSpec &spec, Circuit &circuit,
                                       RunLog &log) {
  if (!spec.dataset) {
    if (options.saveImage) {
      throw UserError("--save picks an image of the netlist's '.dataset', and the netlist has none");
    }
    return std::nullopt;
  }
  BoundImage image;
  image.data = dataset::loadDataset(spec.dataset->name, spec.dataset->split);
  image.index = options.saveImage.value_or(0);
  if (image.index >= image.data.images.count) {
    throw UserError(fmt::format("--save {}: data set '{}' ({}) has images 0..{}", image.index,
                                spec.dataset->name, spec.dataset->split, image.data.images.count - 1));
  }
  image.label = image.data.labels[static_cast<size_t>(image.index)];
  batch::bindImage(spec, circuit,
                   std::span<const std::uint8_t>(image.data.images.image(image.index),
                                                 static_cast<size_t>(image.data.images.pixelsPerImage())));
  log.line(fmt::format("image {} of {} {} (label {})", image.index, spec.dataset->name, spec.dataset->split,
                       image.label));
  return image;
}

} // namespace

void runSimulation(const CliOptions &options, RunLog &log) {
  requireReadableNetlist(options.netlist);
  CircuitSpec spec = loadNetlist(options.netlist);
  log.line(fmt::format("circuit: {}", spec.title));
  if (options.reportFile) {
    runBatchCommand(options, spec, log);
    log.checkWritten();
    return;
  }
  // The flat instance list (a third of a 100k-element run's memory) has
  // served its purpose once the devices exist: the matrix pattern and the
  // analyses reuse its pages instead of faulting in fresh ones.
  Circuit circuit(spec, Circuit::ReleaseInstances{});
  log.line(fmt::format("{} unknowns, {} devices", circuit.size(), circuit.devices().size()));
  const std::optional<BoundImage> image = bindOneImage(options, spec, circuit, log);
  std::optional<batch::ImageRunner> readout;
  if (image && spec.readout) {
    readout.emplace(spec, circuit);
  }

  OutputSet outputs(options, spec, circuit);
  if (spec.analyses.empty()) {
    log.line("note: the netlist has no analysis (.op, .dc, .tran); nothing to simulate");
  }

  notePrintsWithoutAnalysis(spec, log);

  const bool showProgress = log.isTerminal();
  for (const AnalysisSpec &analysis : spec.analyses) {
    const std::string_view label = printAnalysisName(plotKindOf(analysis));
    if (!outputs.writes(plotKindOf(analysis), spec)) {
      log.line(fmt::format("note: the results of .{} go nowhere (use -r, --csv or .print {})", label, label));
    }
    ProgressLine progress(showProgress ? log.terminal() : nullptr, std::string(label));
    RunSettings settings;
    settings.progress = [&progress](double fraction, const std::string &status) {
      progress.update(fraction, status);
    };
    const auto start = std::chrono::steady_clock::now();
    AnalysisSummary summary;
    try {
      if (readout && &analysis == &readout->analysis()) {
        const batch::ImageOutcome outcome = readout->run(
            image->index, image->label,
            std::span<const std::uint8_t>(image->data.images.image(image->index),
                                          static_cast<size_t>(image->data.images.pixelsPerImage())),
            &outputs.recorder(), settings);
        summary.text = outcome.summary;
        log.line(fmt::format("image {}: label {}, predicted {}, energy {:.6g} J; readout at {:g} s: {:.10g}",
                             outcome.image, outcome.label, outcome.predicted, outcome.energy,
                             readout->readoutTime(), fmt::join(outcome.readout, " ")));
      } else {
        summary = runAnalysis(circuit, analysis, outputs.recorder(), settings);
      }
    } catch (...) {
      progress.clear();
      outputs.abandon();
      throw;
    }
    progress.clear();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log.line(fmt::format("{} ({:.3g} s)", summary.text, seconds));
  }
  outputs.finish(log);
  if (warningCount() > 0) {
    log.line(fmt::format("{} warning{}", warningCount(), warningCount() == 1 ? "" : "s"));
  }
  log.checkWritten();
}

void listDevices(std::FILE *out) {
  fmt::print(out, "{:<8} {:<12} {:<10} {}\n", "element", "model type", "terminals", "description");
  for (const DeviceDescriptor &device : DeviceRegistry::instance().all()) {
    const std::string terminals = device.terminals < 0 ? "any" : std::to_string(device.terminals);
    fmt::print(out, "{:<8} {:<12} {:<10} {}\n", static_cast<char>(std::toupper(device.letter)),
               device.modelType.empty() ? "-" : device.modelType, terminals, device.summary);
  }
}

} // namespace dwspice::cli
