// A batch run: every image of a data set through the netlist's .tran, on
// several threads, with the per-image outcomes in image order.
//
// The netlist is parsed and elaborated once (the caller's CircuitSpec); each
// worker thread gets its own Circuit, built on the calling thread (building
// writes warnings and is cheap next to the run). Images are handed out one
// at a time; each outcome is stored at its image's index, and every image
// starts from its own operating point, so results do not depend on the
// number of threads.
#pragma once

#include "batch/image_runner.hpp"
#include "dataset/idx.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dwspice::batch {

struct BatchProgress {
  int done = 0, total = 0;
  int correct = 0; // among the done images
  double elapsedSeconds = 0;
};

struct BatchSettings {
  int images = -1; // how many images from the start of the set; -1: all
  int threads = 0; // 0: the hardware's thread count
  // Image whose transient goes (also) to `saveObserver` (a raw file). The
  // observer is called from a worker thread, for that image only.
  std::optional<int> saveImage;
  SolutionObserver *saveObserver = nullptr;
  // Called on the calling thread about ten times a second and at the end.
  std::function<void(const BatchProgress &)> progress;
};

struct BatchResult {
  std::vector<ImageOutcome> outcomes; // one per image, in image order
  int correct = 0;
  std::vector<std::vector<int>> confusion; // [true][predicted], classes x classes
  int classes = 10;
  int threads = 1;
  double wallSeconds = 0;
  double readoutTime = 0, stopTime = 0;
  std::string synapseMode; // "read", "dynamic", "mixed" or "none"
};

// "read" if every dwsynapse instance has read=1 (on the instance or its
// model), "dynamic" if none has, "mixed" otherwise, "none" without synapses.
[[nodiscard]] std::string synapseMode(const CircuitSpec &spec);

// The number of images a run over `available` images does (UserError if
// `requested` is out of range).
[[nodiscard]] int imagesToRun(int requested, int available);

// Throws UserError for netlist problems (no .readout, no .dataset, a
// readout vector that does not exist) and for the first image that fails,
// naming its index; the other threads stop at their next image.
BatchResult runBatch(const CircuitSpec &spec, const dataset::LabelledImages &data,
                     const BatchSettings &settings);

} // namespace dwspice::batch
