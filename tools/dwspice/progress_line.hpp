// One self-overwriting status line on a terminal for long analyses:
//   tran: t = 3.2 ns   45.0 %   ETA 0:12
// Redrawn at most ten times a second (terminal output is slow, and the
// solver may report thousands of steps a second) and erased when done.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace dwspice::cli {

class ProgressLine {
public:
  // `out` null: a silent progress line (stderr is not a terminal).
  ProgressLine(std::FILE *out, std::string label);
  ~ProgressLine();
  ProgressLine(const ProgressLine &) = delete;
  ProgressLine &operator=(const ProgressLine &) = delete;

  void update(double fraction, const std::string &status);
  void clear();

private:
  using Clock = std::chrono::steady_clock;
  std::FILE *out_;
  std::string label_;
  Clock::time_point start_;
  Clock::time_point lastDraw_;
  bool drawn_ = false;
  std::size_t width_ = 0; // of the line on screen, to erase it
};

// "1:05" / "1:02:03" for the ETA.
[[nodiscard]] std::string formatDuration(double seconds);

} // namespace dwspice::cli
