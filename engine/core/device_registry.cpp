#include "core/device_registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace dwspice {

DeviceRegistry &DeviceRegistry::instance() {
  static DeviceRegistry registry;
  return registry;
}

void DeviceRegistry::add(DeviceDescriptor descriptor) {
  if (find(descriptor.letter, descriptor.modelType) != nullptr) {
    throw std::logic_error("device registered twice: " + std::string(1, descriptor.letter) + " " +
                           descriptor.modelType);
  }
  descriptors_.push_back(std::move(descriptor));
}

std::optional<ElementSyntax> DeviceRegistry::syntax(char letter) const {
  std::optional<ElementSyntax> result;
  for (const DeviceDescriptor &d : descriptors_) {
    if (d.letter != letter) {
      continue;
    }
    if (!result) {
      result = ElementSyntax{d.terminals, d.references, !d.modelType.empty()};
    } else if (result->terminals != d.terminals) {
      result->terminals = -1; // model types of this letter differ in terminal count
    }
  }
  return result;
}

const DeviceDescriptor *DeviceRegistry::find(char letter, std::string_view modelType) const {
  const auto it = std::find_if(descriptors_.begin(), descriptors_.end(), [&](const DeviceDescriptor &d) {
    return d.letter == letter && d.modelType == modelType;
  });
  return it == descriptors_.end() ? nullptr : &*it;
}

bool DeviceRegistry::knowsModelType(std::string_view modelType) const {
  return std::any_of(descriptors_.begin(), descriptors_.end(),
                     [&](const DeviceDescriptor &d) { return d.modelType == modelType; });
}

} // namespace dwspice
