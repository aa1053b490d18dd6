// Source locations and user-facing errors.
//
// Every token the parser produces carries a SourceLoc so that any later stage
// (elaboration, device construction, circuit checks) can point at the line
// that caused a problem, in the form `file:line:col: error: message`.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dwspice {

// One loaded source file: its text, with a table of where each physical
// line starts, so that diagnostics can echo the offending line without the
// file being held as one string per line.
struct SourceFile {
  std::string path;                    // as given (relative paths resolved by the includer)
  std::string text;                    // every line followed by '\n' (CRLF read as LF, BOM dropped)
  std::vector<std::size_t> lineStarts; // offset of each line in `text`

  [[nodiscard]] std::size_t lineCount() const { return lineStarts.size(); }
  // Physical line `index` (0-based) without its terminator.
  [[nodiscard]] std::string_view line(std::size_t index) const {
    const std::size_t start = lineStarts[index];
    const std::size_t end = index + 1 < lineStarts.size() ? lineStarts[index + 1] - 1 : text.size() - 1;
    return std::string_view(text).substr(start, end - start);
  }
  // Appends one line (no terminator inside).
  void addLine(std::string_view content) {
    lineStarts.push_back(text.size());
    text.append(content);
    text.push_back('\n');
  }
};

// Keeps a source file alive until the process ends and returns it. Every
// SourceLoc points at a kept file: locations are copied into every token,
// instance and device (16 plain bytes, no reference count) and outlive the
// parse, since devices report run-time errors at their netlist line.
std::shared_ptr<const SourceFile> keepSourceFile(std::shared_ptr<SourceFile> file);

struct SourceLoc {
  const SourceFile *file = nullptr; // a kept file (keepSourceFile); null for synthesised items
  int line = 0;                     // 1-based physical line
  int column = 0;                   // 1-based column

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
std::string renderDiagnostic(const SourceLoc &loc, std::string_view severity, std::string_view message);

// Warnings go to stderr immediately and are counted (for tests and summaries).
void warn(const SourceLoc &loc, std::string_view message);
int warningCount();

} // namespace dwspice
