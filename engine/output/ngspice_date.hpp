// The date line ngspice writes into raw files and .print headers.
#pragma once

#include <ctime>
#include <string>

namespace dwspice {

// asctime()'s layout with the year separated by two blanks, exactly as
// ngspice 39 writes it: "Mon Nov  3 19:15:37  2026" (local time).
[[nodiscard]] std::string ngspiceDate(std::time_t when);
[[nodiscard]] std::string ngspiceDateNow();

} // namespace dwspice
