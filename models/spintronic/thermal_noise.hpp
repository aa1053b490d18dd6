// Counter-based Gaussian numbers for the Langevin field: the value for time
// slot k is a pure function of (seed, k), so a device's load() stays a pure
// function of time (IDA may evaluate any trial time, in any order) and runs
// are reproducible bit for bit.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace dwspice::spintronic {

// SplitMix64 finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
inline std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}

// Uniform in (0, 1) from the top 53 bits.
inline double unitInterval(std::uint64_t bits) {
  return (static_cast<double>(bits >> 11U) + 0.5) * (1.0 / 9007199254740992.0);
}

// N(0, 1) for slot `slot` of stream `seed` (Box–Muller, one of the pair).
inline double standardNormal(std::uint64_t seed, std::uint64_t slot) {
  const std::uint64_t a = mix64(seed ^ mix64(2 * slot));
  const std::uint64_t b = mix64(seed ^ mix64(2 * slot + 1));
  const double u1 = unitInterval(a);
  const double u2 = unitInterval(b);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

// Stable 64-bit hash of a name (FNV-1a), the default instance seed.
inline std::uint64_t hashName(const std::string_view name) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char ch : name) {
    h ^= static_cast<unsigned char>(ch);
    h *= 1099511628211ULL;
  }
  return h;
}

} // namespace dwspice::spintronic
