#include "batch_command.hpp"

#include "batch/batch_report.hpp"
#include "batch/batch_run.hpp"
#include "dataset/idx.hpp"
#include "output/output_recorder.hpp"
#include "output/raw_writer.hpp"
#include "progress_line.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <system_error>

namespace dwspice::cli {

std::filesystem::path savedImageRawPath(const CliOptions &options, int image) {
  if (options.rawFile) {
    return *options.rawFile;
  }
  std::filesystem::path path = *options.reportFile;
  path.replace_filename(fmt::format("{}_image{}.raw", path.stem().string(), image));
  return path;
}

void runBatchCommand(const CliOptions &options, const CircuitSpec &spec, RunLog &log) {
  if (!spec.dataset) {
    throw UserError(
        fmt::format("--report needs a netlist with '.dataset' ('{}' has none)", options.netlist.string()));
  }
  if (!spec.readout) {
    throw UserError(spec.dataset->loc,
                    "--report needs a '.readout argmax … at=<time>' to classify the images");
  }
  // A report that cannot be written should fail now, not after the run.
  const std::filesystem::path reportDirectory = options.reportFile->parent_path();
  std::error_code error;
  if (!reportDirectory.empty() && !std::filesystem::is_directory(reportDirectory, error)) {
    throw UserError(fmt::format("cannot write report '{}': folder '{}' does not exist",
                                options.reportFile->string(), reportDirectory.string()));
  }
  const dataset::LabelledImages data = dataset::loadDataset(spec.dataset->name, spec.dataset->split);
  log.line(fmt::format("data set: {} {} ({} images of {}x{})", data.name, data.split, data.images.count,
                       data.images.rows, data.images.cols));

  batch::BatchSettings settings;
  settings.images = options.images.value_or(-1);
  settings.threads = options.threads.value_or(0);

  // --save K: image K's transient also goes to a raw file (its .save list).
  std::unique_ptr<RawWriter> raw;
  std::unique_ptr<OutputRecorder> recorder;
  std::filesystem::path rawPath;
  if (options.saveImage) {
    rawPath = savedImageRawPath(options, *options.saveImage);
    const bool ascii = options.asciiRaw || asciiRawRequestedByEnvironment();
    recorder = std::make_unique<OutputRecorder>(spec.title);
    raw = std::make_unique<RawWriter>(rawPath, ascii ? RawFormat::Ascii : RawFormat::Binary);
    recorder->attach(*raw, saveRequest(spec.saves));
    settings.saveImage = options.saveImage;
    settings.saveObserver = recorder.get();
  }

  // On a terminal one self-overwriting line; otherwise (nohup, CI logs) a
  // plain line at every 5 % of the images, so a long run shows it is alive.
  const bool terminal = log.isTerminal();
  ProgressLine progress(terminal ? log.terminal() : nullptr, "images");
  long lastTwentieth = 0;
  settings.progress = [&](const batch::BatchProgress &p) {
    const double rate = p.elapsedSeconds > 0 ? p.done / p.elapsedSeconds : 0.0;
    const std::string status = fmt::format("{}/{}  accuracy {:.2f} %  {:.2f} img/s", p.done, p.total,
                                           p.done > 0 ? 100.0 * p.correct / p.done : 0.0, rate);
    progress.update(p.total > 0 ? static_cast<double>(p.done) / p.total : 1.0, status);
    const long twentieth = p.total > 0 ? 20L * p.done / p.total : 20L;
    if (!terminal && twentieth > lastTwentieth && p.done < p.total) {
      lastTwentieth = twentieth;
      const double left = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0.0;
      fmt::print(log.terminal(), "images {}  ETA {}\n", status, formatDuration(left));
      std::fflush(log.terminal());
    }
  };
  batch::BatchResult result;
  try {
    result = batch::runBatch(spec, data, settings);
  } catch (...) {
    progress.clear();
    if (recorder) {
      try {
        recorder->finish();
      } catch (const std::exception &) { // the first error matters
      }
    }
    throw;
  }
  progress.clear();
  if (recorder) {
    recorder->finish();
    log.line(fmt::format("raw file (image {}): {}", *options.saveImage, rawPath.string()));
  }

  const batch::ReportContext context{options.netlist.string(), data.name, data.split};
  batch::writeReport(*options.reportFile, result, context);
  const auto images = static_cast<double>(result.outcomes.size());
  double energy = 0;
  for (const batch::ImageOutcome &outcome : result.outcomes) {
    energy += outcome.energy;
  }
  log.line(fmt::format(
      "{} images: {} correct ({:.2f} %), {:.3g} J per inference, {:.3g} s wall, {:.3g} img/s "
      "on {} thread{}",
      result.outcomes.size(), result.correct, 100.0 * result.correct / images, energy / images,
      result.wallSeconds, images / result.wallSeconds, result.threads, result.threads == 1 ? "" : "s"));
  log.line(fmt::format("report: {}", options.reportFile->string()));
}

} // namespace dwspice::cli
