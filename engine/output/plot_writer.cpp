#include "output/plot_writer.hpp"

namespace dwspice {

std::string_view vectorTypeName(VectorType type) {
  switch (type) {
  case VectorType::Time:
    return "time";
  case VectorType::Voltage:
    return "voltage";
  case VectorType::Current:
    return "current";
  case VectorType::NoType:
    return "notype";
  }
  return "notype";
}

} // namespace dwspice
