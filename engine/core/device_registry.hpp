// Self-registering device plugins (in the spirit of gnucap's dispatchers).
//
// A model file registers its devices at static-initialisation time:
//
//   namespace {
//   const dwspice::DeviceRegistration resistor{{
//       .letter = 'r', .modelType = "", .terminals = 2, .references = 0,
//       .summary = "linear resistor",
//       .create = [](const dwspice::DeviceBuildContext &ctx) { return std::make_unique<Resistor>(ctx); },
//   }};
//   }
//
// The frontend asks the registry how to split a card of a given letter
// (terminals, references, model); assembly asks it to build each instance.
// Adding a device therefore never touches the engine. (Model objects are
// linked as an OBJECT library so that the registrations are never dropped.)
#pragma once

#include "core/build_cache.hpp"
#include "core/circuit_spec.hpp"
#include "core/device.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice {

struct DeviceBuildContext {
  const InstanceSpec &spec;
  std::span<const int> terminals; // unknown indices of spec.nodes (ground = 0)
  const SimOptions &options;
  // The first .tran of the netlist, if any: SPICE waveform defaults depend on
  // tstep and tstop (PULSE rise time = tstep, period = tstop, …).
  const TranAnalysisSpec *tran = nullptr;
  // Shared by the devices of this build (null when a device is built alone,
  // as in unit tests: then nothing is shared).
  BuildCache *cache = nullptr;
};

using DeviceFactory = std::function<std::unique_ptr<Device>(const DeviceBuildContext &)>;

struct DeviceDescriptor {
  char letter = 0;       // lower-case element letter
  std::string modelType; // "" if the letter takes no model; else the .model type ("d", "nmos", "mtj")
  int terminals = 2;
  int references = 0;  // names of other instances after the terminals (F/H: 1, K: 2)
  std::string summary; // one line for `dwspice --devices`
  DeviceFactory create;
};

// How the frontend splits a card: <name> <terminals…> <references…> [model] <args…>.
// terminals == -1: variable count; the model (or subcircuit) name is the last
// positional token before the first name=value, the tokens before it are nodes.
struct ElementSyntax {
  int terminals = 0;
  int references = 0;
  bool takesModel = false;
};

class DeviceRegistry {
public:
  static DeviceRegistry &instance();

  void add(DeviceDescriptor descriptor); // throws std::logic_error on duplicates

  [[nodiscard]] std::optional<ElementSyntax> syntax(char letter) const;
  [[nodiscard]] const DeviceDescriptor *find(char letter, std::string_view modelType) const;
  [[nodiscard]] bool knowsModelType(std::string_view modelType) const;
  [[nodiscard]] const std::vector<DeviceDescriptor> &all() const { return descriptors_; }

private:
  std::vector<DeviceDescriptor> descriptors_;
};

struct DeviceRegistration {
  explicit DeviceRegistration(DeviceDescriptor descriptor) {
    DeviceRegistry::instance().add(std::move(descriptor));
  }
};

} // namespace dwspice
