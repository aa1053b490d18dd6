// Source locations and user-facing errors.
//
// Every token the parser produces carries a SourceLoc so that any later stage
// (elaboration, device construction, circuit checks) can point at the line
// that caused a problem, in the form `file:line:col: error: message`.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace dwspice {

// One loaded source file. Lines are kept so diagnostics can echo the
// offending line; shared so locations stay valid after parsing.
struct SourceFile {
  std::string path;               // as given (relative paths resolved by the includer)
  std::vector<std::string> lines; // physical lines without line terminators
};

struct SourceLoc {
  std::shared_ptr<const SourceFile> file; // null for synthesised items
  int line = 0;                           // 1-based physical line
  int column = 0;                         // 1-based column

  [[nodiscard]] std::string str() const; // "file:line:col" or "<input>"
  [[nodiscard]] bool valid() const { return file != nullptr && line > 0; }
};

// An error caused by the user's input. Carries its location; what() is the
// fully rendered message (location, message, offending line and a caret).
class UserError : public std::runtime_error {
public:
  UserError(SourceLoc loc, const std::string &message);
  explicit UserError(const std::string &message); // no location (e.g. CLI)

  [[nodiscard]] const SourceLoc &location() const { return loc_; }
  [[nodiscard]] const std::string &message() const { return message_; }

private:
  SourceLoc loc_;
  std::string message_;
};

// Renders "file:line:col: <severity>: message\n  <line>\n  ^" (no trailing newline).
std::string renderDiagnostic(const SourceLoc &loc, std::string_view severity,
                             std::string_view message);

// Warnings go to stderr immediately and are counted (for tests and summaries).
void warn(const SourceLoc &loc, std::string_view message);
int warningCount();

} // namespace dwspice
