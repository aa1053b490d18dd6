#include "run_log.hpp"

#include "core/diagnostics.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

namespace dwspice::cli {

RunLog::~RunLog() {
  if (savedStderr_ < 0) {
    return;
  }
  std::fflush(stderr);
  ::dup2(savedStderr_, STDERR_FILENO);
  std::fclose(terminal_); // also closes savedStderr_
}

void RunLog::redirectTo(const std::filesystem::path &path) {
  if (savedStderr_ >= 0) {
    throw std::logic_error("log redirected twice");
  }
  const int logFd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (logFd < 0) {
    throw UserError(fmt::format("cannot open log file '{}': {}", path.string(), std::strerror(errno)));
  }
  std::fflush(stderr);
  savedStderr_ = ::dup(STDERR_FILENO);
  if (savedStderr_ < 0 || ::dup2(logFd, STDERR_FILENO) < 0) {
    const int error = errno;
    ::close(logFd);
    if (savedStderr_ >= 0) {
      ::close(savedStderr_);
      savedStderr_ = -1;
    }
    throw UserError(fmt::format("cannot redirect the log to '{}': {}", path.string(), std::strerror(error)));
  }
  ::close(logFd);
  terminal_ = ::fdopen(savedStderr_, "w");
  if (terminal_ == nullptr) {
    // Keep going without a terminal stream: errors still reach the log.
    ::dup2(savedStderr_, STDERR_FILENO);
    ::close(savedStderr_);
    savedStderr_ = -1;
    throw UserError(fmt::format("cannot redirect the log to '{}'", path.string()));
  }
  std::setvbuf(terminal_, nullptr, _IONBF, 0);
}

namespace {
// Never throws: the log is also the channel for the final error message, so
// it must work inside catch handlers. Failures are picked up by checkWritten().
void writeLine(std::FILE *out, std::string_view text) noexcept {
  std::fwrite(text.data(), 1, text.size(), out);
  std::fputc('\n', out);
}
} // namespace

void RunLog::line(std::string_view text) noexcept {
  writeLine(stderr, text);
}

void RunLog::error(std::string_view text) noexcept {
  writeLine(stderr, text);
  if (terminal_ != nullptr) {
    writeLine(terminal_, text);
  }
}

void RunLog::checkWritten() const {
  if (std::fflush(stderr) != 0 || std::ferror(stderr) != 0) {
    throw UserError(savedStderr_ >= 0 ? "cannot write the log file" : "cannot write to stderr");
  }
}

bool RunLog::isTerminal() const {
  return ::isatty(::fileno(terminal())) != 0;
}

} // namespace dwspice::cli
