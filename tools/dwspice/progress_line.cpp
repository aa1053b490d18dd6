#include "progress_line.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace dwspice::cli {

namespace {
constexpr auto kMinRedrawInterval = std::chrono::milliseconds(100);
// Before this much work or time the rate is too noisy for an estimate.
constexpr double kMinFractionForEta = 0.01;
constexpr double kMinSecondsForEta = 0.5;
} // namespace

std::string formatDuration(double seconds) {
  const auto total = static_cast<long>(std::llround(std::max(seconds, 0.0)));
  const long hours = total / 3600;
  const long minutes = (total / 60) % 60;
  const long secs = total % 60;
  return hours > 0 ? fmt::format("{}:{:02}:{:02}", hours, minutes, secs)
                   : fmt::format("{}:{:02}", minutes, secs);
}

ProgressLine::ProgressLine(std::FILE *out, std::string label)
    : out_(out), label_(std::move(label)), start_(Clock::now()), lastDraw_(start_) {}

ProgressLine::~ProgressLine() {
  clear();
}

void ProgressLine::update(double fraction, const std::string &status) {
  if (out_ == nullptr) {
    return;
  }
  const auto now = Clock::now();
  if (drawn_ && now - lastDraw_ < kMinRedrawInterval) {
    return;
  }
  lastDraw_ = now;
  fraction = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string text = fmt::format("{}: {}  {:5.1f} %", label_, status, 100.0 * fraction);
  if (fraction >= kMinFractionForEta && elapsed >= kMinSecondsForEta && fraction < 1.0) {
    text += fmt::format("  ETA {}", formatDuration(elapsed * (1.0 - fraction) / fraction));
  }
  const std::size_t width = text.size();
  if (width < width_) {
    text.append(width_ - width, ' '); // erase the tail of a longer previous line
  }
  fmt::print(out_, "\r{}", text);
  std::fflush(out_);
  width_ = std::max(width_, width);
  drawn_ = true;
}

void ProgressLine::clear() {
  if (out_ == nullptr || !drawn_) {
    return;
  }
  fmt::print(out_, "\r{:{}}\r", "", width_);
  std::fflush(out_);
  drawn_ = false;
  width_ = 0;
}

} // namespace dwspice::cli
