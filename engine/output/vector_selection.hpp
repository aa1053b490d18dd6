// Which vectors an output shows, and under which names.
//
// By default every unknown is written, named as ngspice names it: node
// voltages "v(node)", branch currents by their output name "i(v1)", and
// device-internal states by theirs ("n1#q", type notype). A `.save` or
// `.print` list restricts the output to the named vectors, in the order
// given: "v(out)", "v(a,b)", "i(v1)", a bare node or state name, or "all".
#pragma once

#include "core/circuit.hpp"
#include "output/plot_writer.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace dwspice {

struct RequestedOutput {
  std::string name; // normalised by the frontend: "v(out)", "v(a,b)", "i(v1)", "all"
  SourceLoc loc;    // where it was requested, for errors
};

// What v(a,b) becomes. `.save` writes the two node voltages (as ngspice
// does, so that ngspice can form the difference itself); `.print` shows one
// column holding the difference.
enum class DifferenceOutput { BothNodes, DifferenceColumn };

struct VectorRequest {
  std::vector<RequestedOutput> outputs; // empty: every unknown
  DifferenceOutput differences = DifferenceOutput::BothNodes;
};

// One output vector: its value at a point is x[plus] - x[minus] (minus = 0,
// ground, for everything but differences).
struct SelectedVector {
  VectorInfo info;
  int plus = 0;
  int minus = 0;
};

// Resolves a request against the circuit's unknowns (unknowns[0] = ground).
// Duplicates are dropped. Throws UserError at the request's location for
// names the circuit does not have.
[[nodiscard]] std::vector<SelectedVector> selectVectors(std::span<const UnknownInfo> unknowns,
                                                        const VectorRequest &request);

// The vectors of a `.save` list (every unknown when there is none).
[[nodiscard]] VectorRequest saveRequest(const std::vector<OutputRequest> &saves);

// The `.print` cards for one analysis kind ("op", "dc", "tran"), merged into
// one table request (streamed rows cannot interleave two tables); nullopt
// when there is no card for it.
[[nodiscard]] std::optional<VectorRequest> printRequest(const std::vector<OutputRequest> &prints,
                                                        PlotKind kind);

// The short analysis name of a plot kind ("op", "dc", "tran"): used on
// .print cards and in per-analysis CSV file names.
[[nodiscard]] std::string_view printAnalysisName(PlotKind kind);

} // namespace dwspice
