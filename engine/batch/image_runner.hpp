// One image through the circuit: the bound sources are scaled by the
// image's pixels, the netlist's .tran runs from its initial state, and the
// readout, energy and cost of the run are collected.
//
// An ImageRunner belongs to one Circuit and is used by one thread at a time.
// Runs do not depend on each other: every transient starts from its own
// operating point, and the devices keep no history across runs that changes
// the result (a test checks that a reused circuit gives bit-identical
// results to a fresh one).
#pragma once

#include "analysis/analysis.hpp"
#include "core/circuit.hpp"
#include "core/cost_counters.hpp"
#include "output/solution_observer.hpp"
#include "output/vector_selection.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dwspice::batch {

struct ImageOutcome {
  int image = 0;               // index in the data set
  int label = -1;              // true class (-1: unknown)
  int predicted = -1;          // argmax of readout (ties: lowest index)
  std::vector<double> readout; // the readout vectors at the readout time
  double energy = 0;           // J, ∫ Σ deliveredPower dt over the transient
  long steps = 0;              // accepted time steps of the transient (0 if not reported)
  long points = 0;             // solution points reported (steps + output grid points)
  CostCounters cost;           // the circuit's counters for this run
  double wallSeconds = 0;      // whole run, including what the counters do not cover
  std::string summary;         // the transient's summary line
};

// Sets the scale of every source bound with `.bind pixel` to pixel/255
// (`pixels` holds one whole image, row-major). UserError if a bound name is
// not a scalable source of `circuit`.
void bindImage(const CircuitSpec &spec, Circuit &circuit, std::span<const std::uint8_t> pixels);

// Index of the largest value; the lowest index among equal maxima.
[[nodiscard]] int argmax(std::span<const double> values);

// The accepted-step count in a transient's summary text ("…; 245 steps, …"),
// 0 if the text has none.
[[nodiscard]] long stepsInSummary(const std::string &summary);

class ImageRunner {
public:
  // Resolves the bindings, the readout vectors and the .tran of `spec` on
  // `circuit` (which must be built from `spec`). Throws UserError at the
  // directive for names the circuit does not have.
  ImageRunner(const CircuitSpec &spec, Circuit &circuit);

  // Sets the scale of every bound source to pixel/255 (`pixels` holds one
  // whole image, row-major); sources not bound keep their scale.
  void bindImage(std::span<const std::uint8_t> pixels);

  // bindImage, then the transient; `forward` (optional) receives every point
  // (for a raw file). Throws UserError if the transient fails.
  ImageOutcome run(int image, int label, std::span<const std::uint8_t> pixels,
                   SolutionObserver *forward = nullptr, const RunSettings &settings = {});
  // The .tran analysis the runner runs.
  [[nodiscard]] const AnalysisSpec &analysis() const { return *tranAnalysis_; }

  [[nodiscard]] const Circuit &circuit() const { return circuit_; }
  [[nodiscard]] double readoutTime() const { return readoutTime_; }
  [[nodiscard]] double stopTime() const { return tran_.tstop; }

private:
  struct BoundSource {
    int pixel;
    ScalableSource *source;
    const Device *powerDevice; // the same source if it reports power, else null
  };

  Circuit &circuit_;
  const AnalysisSpec *tranAnalysis_ = nullptr;
  TranAnalysisSpec tran_;
  std::vector<BoundSource> bound_;
  std::vector<SelectedVector> readout_;
  double readoutTime_ = 0;
  std::vector<const Device *> unboundPowerDevices_;
  std::vector<const Device *> powerDevices_; // of the current image
  AnalysisCache analysisCache_;              // per circuit, reused by every image
};

} // namespace dwspice::batch
