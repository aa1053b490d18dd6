#include "core/diagnostics.hpp"

#include <atomic>
#include <fmt/core.h>
#include <mutex>

namespace dwspice {

std::string SourceLoc::str() const {
  if (!file) {
    return "<input>";
  }
  return fmt::format("{}:{}:{}", file->path, line, column);
}

std::string renderDiagnostic(const SourceLoc &loc, std::string_view severity, std::string_view message) {
  std::string out = fmt::format("{}: {}: {}", loc.str(), severity, message);
  if (loc.valid() && loc.line <= static_cast<int>(loc.file->lineCount())) {
    const std::string_view text = loc.file->line(static_cast<size_t>(loc.line - 1));
    out += fmt::format("\n  {}\n  {:>{}}", text, "^", std::max(loc.column, 1));
  }
  return out;
}

UserError::UserError(SourceLoc loc, const std::string &message)
    : std::runtime_error(renderDiagnostic(loc, "error", message)), loc_(loc), message_(message) {}

UserError::UserError(const std::string &message)
    : std::runtime_error(fmt::format("dwspice: error: {}", message)), message_(message) {}

namespace {
std::atomic<int> warnings{0};
} // namespace

std::shared_ptr<const SourceFile> keepSourceFile(std::shared_ptr<SourceFile> file) {
  static std::mutex mutex;
  static std::vector<std::shared_ptr<const SourceFile>> kept;
  const std::lock_guard lock(mutex);
  kept.push_back(std::move(file));
  return kept.back();
}

void warn(const SourceLoc &loc, std::string_view message) {
  ++warnings;
  fmt::print(stderr, "{}\n", renderDiagnostic(loc, "warning", message));
}

int warningCount() {
  return warnings.load();
}

} // namespace dwspice
