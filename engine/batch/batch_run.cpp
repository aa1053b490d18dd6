#include "batch/batch_run.hpp"

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace dwspice::batch {

namespace {

using Clock = std::chrono::steady_clock;

// read=1 on the instance overrides the model's value.
bool instanceInReadMode(const InstanceSpec &instance) {
  for (const CardArg &arg : instance.args) {
    if (arg.kind == CardArg::Kind::Assign && arg.name == "read") {
      return arg.value != 0.0;
    }
  }
  if (instance.model != nullptr) {
    const auto found = instance.model->params.find("read");
    return found != instance.model->params.end() && found->second != 0.0;
  }
  return false;
}

// State shared by the workers and the monitoring (calling) thread.
struct SharedProgress {
  std::atomic<int> nextImage{0};
  std::atomic<int> done{0};
  std::atomic<int> correct{0};
  std::atomic<bool> stop{false};
  std::mutex mutex; // guards failure and wakes the monitor
  std::condition_variable changed;
  std::exception_ptr failure;
  int failedImage = -1;
};

void work(ImageRunner &runner, const dataset::LabelledImages &data, int count, const BatchSettings &settings,
          std::vector<ImageOutcome> &outcomes, SharedProgress &shared) {
  const int pixelsPerImage = data.images.pixelsPerImage();
  while (!shared.stop.load()) {
    const int image = shared.nextImage.fetch_add(1);
    if (image >= count) {
      break;
    }
    try {
      const std::span<const std::uint8_t> pixels(data.images.image(image),
                                                 static_cast<size_t>(pixelsPerImage));
      SolutionObserver *forward =
          settings.saveImage && *settings.saveImage == image ? settings.saveObserver : nullptr;
      ImageOutcome outcome = runner.run(image, data.labels[static_cast<size_t>(image)], pixels, forward);
      if (outcome.predicted == outcome.label) {
        shared.correct.fetch_add(1);
      }
      outcomes[static_cast<size_t>(image)] = std::move(outcome);
    } catch (...) {
      const std::lock_guard lock(shared.mutex);
      // Keep the failure of the lowest image index, so that the error does
      // not depend on thread timing.
      if (!shared.failure || image < shared.failedImage) {
        shared.failure = std::current_exception();
        shared.failedImage = image;
      }
      shared.stop.store(true);
    }
    shared.done.fetch_add(1);
    shared.changed.notify_all();
  }
}

} // namespace

std::string synapseMode(const CircuitSpec &spec) {
  int read = 0, dynamic = 0;
  for (const InstanceSpec &instance : spec.instances) {
    if (instance.model == nullptr || instance.model->type != "dwsynapse") {
      continue;
    }
    (instanceInReadMode(instance) ? read : dynamic) += 1;
  }
  if (read == 0 && dynamic == 0) {
    return "none";
  }
  return dynamic == 0 ? "read" : read == 0 ? "dynamic" : "mixed";
}

int imagesToRun(int requested, int available) {
  if (requested < 0) {
    return available;
  }
  if (requested == 0 || requested > available) {
    throw UserError(
        fmt::format("--images {}: the data set has {} images (use 1..{})", requested, available, available));
  }
  return requested;
}

BatchResult runBatch(const CircuitSpec &spec, const dataset::LabelledImages &data,
                     const BatchSettings &settings) {
  if (!spec.dataset) {
    throw UserError("the netlist has no '.dataset': a batch run needs images");
  }
  if (!spec.readout) {
    throw UserError("the netlist has no '.readout': a batch run needs one to classify");
  }
  if (data.images.pixelsPerImage() < 28 * 28) {
    throw UserError(fmt::format("data set '{}' has {}x{} images; '.bind pixel' expects 28x28", data.name,
                                data.images.rows, data.images.cols));
  }
  const int count = imagesToRun(settings.images, data.images.count);
  if (settings.saveImage && (*settings.saveImage < 0 || *settings.saveImage >= count)) {
    throw UserError(fmt::format("--save {}: the run covers images 0..{}", *settings.saveImage, count - 1));
  }
  const unsigned hardware = std::max(1U, std::thread::hardware_concurrency());
  const int threads =
      std::clamp(settings.threads > 0 ? settings.threads : static_cast<int>(hardware), 1, count);

  const auto start = Clock::now();
  std::vector<std::unique_ptr<Circuit>> circuits;
  std::vector<std::unique_ptr<ImageRunner>> runners;
  for (int t = 0; t < threads; ++t) {
    circuits.push_back(std::make_unique<Circuit>(spec));
    runners.push_back(std::make_unique<ImageRunner>(spec, *circuits.back()));
  }

  std::vector<ImageOutcome> outcomes(static_cast<size_t>(count));
  SharedProgress shared;
  {
    std::vector<std::jthread> workers;
    workers.reserve(static_cast<size_t>(threads));
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back(
          [&, t] { work(*runners[static_cast<size_t>(t)], data, count, settings, outcomes, shared); });
    }
    // Monitor on the calling thread: progress reports until every worker is done.
    std::unique_lock lock(shared.mutex);
    while (shared.done.load() < count && !shared.stop.load()) {
      shared.changed.wait_for(lock, std::chrono::milliseconds(100));
      if (settings.progress) {
        lock.unlock();
        settings.progress(BatchProgress{shared.done.load(), count, shared.correct.load(),
                                        std::chrono::duration<double>(Clock::now() - start).count()});
        lock.lock();
      }
    }
  } // joins the workers
  if (shared.failure) {
    try {
      std::rethrow_exception(shared.failure);
    } catch (const UserError &error) {
      const std::string message = fmt::format("image {}: {}", shared.failedImage, error.message());
      if (error.location().valid()) {
        throw UserError(error.location(), message);
      }
      throw UserError(message);
    } catch (const std::exception &error) {
      throw std::runtime_error(fmt::format("image {}: {}", shared.failedImage, error.what()));
    }
  }

  BatchResult result;
  result.threads = threads;
  result.readoutTime = runners.front()->readoutTime();
  result.stopTime = runners.front()->stopTime();
  result.synapseMode = synapseMode(spec);
  result.confusion.assign(static_cast<size_t>(result.classes),
                          std::vector<int>(static_cast<size_t>(result.classes), 0));
  for (const ImageOutcome &outcome : outcomes) {
    if (outcome.predicted == outcome.label) {
      ++result.correct;
    }
    if (outcome.label >= 0 && outcome.label < result.classes && outcome.predicted >= 0 &&
        outcome.predicted < result.classes) {
      ++result.confusion[static_cast<size_t>(outcome.label)][static_cast<size_t>(outcome.predicted)];
    }
  }
  result.outcomes = std::move(outcomes);
  result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (settings.progress) {
    settings.progress(BatchProgress{count, count, result.correct, result.wallSeconds});
  }
  return result;
}

} // namespace dwspice::batch
