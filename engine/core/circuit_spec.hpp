// The elaborated ("flat") circuit: what the frontend (parse + elaborate)
// hands to assembly. All parameter expressions are evaluated, subcircuits are
// flattened, names are lower-case and hierarchical ("x1.x2.r3", node
// "x1.mid"), and ground is always the node "0".
//
// Nothing here knows about matrices; nothing in the frontend knows about
// devices beyond the ElementSyntax table in the registry.
#pragma once

#include "core/diagnostics.hpp"
#include "core/name_index.hpp"

#include <boost/container/small_vector.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace dwspice {

inline constexpr const char *kGroundNode = "0";

// One evaluated item of an element card after its terminals, references and
// model name.
//   Value : a number or {expr}        e.g. `1k`, `{2*r0}`
//   Word  : an identifier             e.g. `dc`, `ac`, `pulse` (no parentheses)
//   Group : name(args) or name args…  e.g. `pulse(0 1 1n 1n 1n 5n 10n)`; name lower-case,
//           args evaluated (commas or blanks separate them)
//   Assign: name=value                e.g. `w=1u`
struct CardArg {
  enum class Kind { Value, Word, Group, Assign };
  Kind kind = Kind::Value;
  std::string name;           // Word text, Group name or Assign key (lower-case)
  double value = 0.0;         // Value, Assign
  std::vector<double> values; // Group arguments
  SourceLoc loc;
};

// A `.model name type(params)` after evaluation. Type is lower-case
// ("d", "nmos", "pmos", "mtj", …). level= is kept as an ordinary parameter.
struct ModelSpec {
  std::string name;
  std::string type;
  std::map<std::string, double> params;
  std::map<std::string, SourceLoc> paramLocs; // where each param was written
  SourceLoc loc;
};

// Terminals and arguments of an instance, with room inline for the common
// case (two terminals, one value): a 100k-element netlist then allocates
// nothing per instance, and its instance list is one block of memory.
using NodeList = boost::container::small_vector<std::string, 2>;
using ArgList = boost::container::small_vector<CardArg, 1>;

// One flattened element instance.
struct InstanceSpec {
  std::string name;                    // hierarchical, lower-case, starts with the letter of the
                                       // element ("r1", "x1.m3")
  char letter = 0;                     // lower-case element letter
  NodeList nodes;                      // hierarchical node names, ground = "0"
  std::vector<std::string> references; // hierarchical instance names (F/H: vsource, K: inductors)
  const ModelSpec *model = nullptr;    // bound model for model-based letters (D, M, N)
  ArgList args;                        // everything after nodes/references/model
  SourceLoc loc;                       // of the instance name

  // User-provided (not `= default`) so that `emplace_back()` does not first
  // zero all 288 bytes and then construct the members over them: for a
  // 100k-card netlist that zeroing cost 4 ms of a 55 ms `.op`.
  // NOLINTNEXTLINE(modernize-use-equals-default)
  InstanceSpec() {}
  ~InstanceSpec() = default;
  InstanceSpec(const InstanceSpec &) = default;
  InstanceSpec &operator=(const InstanceSpec &) = default;
  // Declared noexcept so that a growing std::vector<InstanceSpec> moves its
  // elements instead of copying them (boost's small_vector does not say
  // noexcept, although moving one allocates nothing: the target has the
  // same inline capacity, or takes over the heap block). Without it, adding
  // one instance to a 200k-instance list deep-copied all of them.
  InstanceSpec(InstanceSpec &&) noexcept = default;
  InstanceSpec &operator=(InstanceSpec &&) noexcept = default;
};
static_assert(std::is_nothrow_move_constructible_v<InstanceSpec>);

struct OpAnalysisSpec {};

// Most points one .dc sweep may have; the frontend and the analysis check the
// same limit (a typo such as a step of 1e-9 V must not allocate gigabytes).
inline constexpr double kMaxDcSweepPoints = 1e7;

struct DcSweepSpec {
  std::string source; // hierarchical name of the V or I source swept
  double start = 0, stop = 0, step = 0;
  SourceLoc loc;
};

struct DcAnalysisSpec {
  DcSweepSpec outer;                 // first sweep on the card (varies fastest)
  std::optional<DcSweepSpec> second; // optional second sweep (varies slowest)
};

struct TranAnalysisSpec {
  double tstep = 0, tstop = 0, tstart = 0, tmax = 0; // tmax 0 = default
  bool uic = false;
};

struct AnalysisSpec {
  std::variant<OpAnalysisSpec, DcAnalysisSpec, TranAnalysisSpec> kind;
  SourceLoc loc;
};

// `.options`. Unknown options are kept in `extra` (with a warning from the
// frontend) so that models may look them up (e.g. `seed`).
struct SimOptions {
  double reltol = 1e-3;
  double abstol = 1e-12; // A
  double vntol = 1e-6;   // V
  double chgtol = 1e-14; // C
  double gmin = 1e-12;   // S, across every junction and to ground in gmin stepping
  int itl1 = 100;        // DC Newton iteration limit
  int itl2 = 50;         // DC sweep point iteration limit
  int itl4 = 10;         // transient Newton iterations per step
  double temp = 27.0;    // °C
  double tnom = 27.0;    // °C
  std::map<std::string, double> extra;
};

// `.print`/`.save` requests. Output names are normalised: "v(node)",
// "v(a,b)", "i(vname)". `all` means every unknown.
struct OutputRequest {
  std::string analysis; // "tran", "dc", "op" for .print; empty for .save
  std::vector<std::string> outputs;
  SourceLoc loc;
  // Where each output name stands (parallel to `outputs`), so an error names
  // the column of the bad vector; empty when the request was not parsed.
  std::vector<SourceLoc> outputLocs;

  [[nodiscard]] const SourceLoc &locOf(std::size_t output) const {
    return output < outputLocs.size() ? outputLocs[output] : loc;
  }
};

struct NodeValue {
  std::string node;
  double value = 0;
  SourceLoc loc;
};

// `.dataset <mnist|fashion> [test|train]`: the image set whose pixels drive
// the sources bound with `.bind pixel` (batch runs, `dwspice --report`).
struct DatasetSpec {
  std::string name;           // "mnist" or "fashion"
  std::string split = "test"; // "test" or "train"
  SourceLoc loc;
};

// `.bind pixel <index> <source>…`: per image, each named independent source's
// whole waveform (DC value included) is multiplied by pixel[index]/255.
struct PixelBinding {
  int pixel = 0;                    // 0-based index into the row-major image
  std::vector<std::string> sources; // hierarchical names of V or I sources
  SourceLoc loc;
};

// `.readout argmax <vector>… at=<time>`: the prediction is the 0-based index
// of the largest vector value at `time` (a breakpoint of the transient).
struct ReadoutSpec {
  std::vector<std::string> vectors;  // normalised like .print outputs: "v(n)", "v(a,b)", "i(v1)"
  std::vector<SourceLoc> vectorLocs; // where each vector was written
  double time = 0.0;                 // s
  SourceLoc loc;
};

// The name of the zero-current source elaboration adds so that the readout
// time becomes a transient breakpoint (both terminals at ground: it changes
// nothing in the circuit). '#' keeps it out of the user's name space.
inline constexpr const char *kReadoutMarkerName = "i#readout";

struct CircuitSpec {
  std::string title;
  std::vector<InstanceSpec> instances;
  // Element name -> position in `instances`, as elaboration built it for its
  // duplicate check (empty for specs made by hand). When it covers every
  // instance the circuit takes it as its device index (devices are made in
  // instance order) instead of hashing every name a second time.
  NameIndex instanceIndex;
  std::vector<std::unique_ptr<ModelSpec>> models; // owned; instances point into them
  std::vector<AnalysisSpec> analyses;             // in netlist order
  SimOptions options;
  std::vector<NodeValue> initialConditions;             // .ic
  std::vector<NodeValue> nodesets;                      // .nodeset
  std::vector<OutputRequest> prints;                    // .print
  std::vector<OutputRequest> saves;                     // .save
  std::vector<std::shared_ptr<const SourceFile>> files; // every file read, top first
  // Batch directives (see docs/netlist.md, "Data sets and batch runs").
  std::optional<DatasetSpec> dataset;
  std::vector<PixelBinding> pixelBindings;
  std::optional<ReadoutSpec> readout;
};

} // namespace dwspice
