#include "output/ngspice_date.hpp"

#include <array>
#include <fmt/core.h>

namespace dwspice {

std::string ngspiceDate(std::time_t when) {
  static constexpr std::array<const char *, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char *, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm local{};
  if (localtime_r(&when, &local) == nullptr) {
    return "unknown date";
  }
  // asctime pads the day of the month to width 3 ("Nov  3"); ngspice keeps
  // asctime's text and inserts one more blank before the year.
  return fmt::format("{} {}{:3d} {:02d}:{:02d}:{:02d}  {}", kDays.at(static_cast<size_t>(local.tm_wday)),
                     kMonths.at(static_cast<size_t>(local.tm_mon)), local.tm_mday, local.tm_hour,
                     local.tm_min, local.tm_sec, local.tm_year + 1900);
}

std::string ngspiceDateNow() {
  return ngspiceDate(std::time(nullptr));
}

} // namespace dwspice
