// Where the run's log goes: summaries, notes and the frontend's warnings.
//
// By default that is stderr. With `-o FILE` the log goes to FILE: stderr
// itself (file descriptor 2) is pointed at it, because warnings are written
// to stderr by the engine as they happen. The terminal stays reachable for
// the progress line and for the final error message, which the user must see
// even when the log is in a file.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string_view>

namespace dwspice::cli {

class RunLog {
public:
  RunLog() = default;
  ~RunLog(); // restores stderr
  RunLog(const RunLog &) = delete;
  RunLog &operator=(const RunLog &) = delete;

  // Sends the log (and stderr) to `path`. Throws UserError if it cannot be
  // created.
  void redirectTo(const std::filesystem::path &path);

  void line(std::string_view text) noexcept; // one log line
  // A fatal error: to the log, and to the terminal as well when the log is
  // a file.
  void error(std::string_view text) noexcept;
  // Throws UserError if any log line could not be written (full disk).
  void checkWritten() const;

  // The original stderr (for the progress line); isTerminal() tells whether
  // it is a tty.
  [[nodiscard]] std::FILE *terminal() const { return terminal_ != nullptr ? terminal_ : stderr; }
  [[nodiscard]] bool isTerminal() const;

private:
  int savedStderr_ = -1;          // dup of the original fd 2 while redirected
  std::FILE *terminal_ = nullptr; // stream over savedStderr_
};

} // namespace dwspice::cli
