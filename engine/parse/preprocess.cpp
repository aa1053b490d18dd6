#include "parse/preprocess.hpp"
#include "parse/source_text.hpp"

#include <fmt/core.h>

#include <optional>

namespace dwspice {

namespace {

constexpr std::size_t kMaxIncludeDepth = 64;

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view firstWord(std::string_view text) {
  std::size_t end = 0;
  while (end < text.size() && !isBlank(text[end])) {
    ++end;
  }
  return text.substr(0, end);
}

// Splits the argument part of a card into words; a word may be quoted
// ('…' or "…") to hold blanks. Offsets are kept for error locations.
struct ArgWord {
  std::string text;
  std::size_t offset = 0;
};

std::vector<ArgWord> splitArguments(const LogicalLine &card, std::size_t from) {
  std::vector<ArgWord> words;
  const std::string_view text = card.text(); // original case: file names
  std::size_t i = from;
  while (i < text.size()) {
    if (isBlank(text[i])) {
      ++i;
      continue;
    }
    ArgWord word;
    word.offset = i;
    if (text[i] == '"' || text[i] == '\'') {
      const std::size_t close = text.find(text[i], i + 1);
      if (close == std::string_view::npos) {
        throw UserError(card.locAt(i), "unterminated quote");
      }
      word.text = text.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      const std::size_t start = i;
      while (i < text.size() && !isBlank(text[i])) {
        ++i;
      }
      word.text = text.substr(start, i - start);
    }
    words.push_back(std::move(word));
  }
  return words;
}

struct OpenFile {
  std::string key; // canonical path plus section, for recursion detection
  std::string shownAs;
};

class Preprocessor {
public:
  Preprocessor(PreprocessedNetlist &out, CardSink &sink) : out_(out), sink_(sink) {}

  // Appends the cards of `file` (only `section` of it, if given); a `.end`
  // in the top-level file ends reading altogether.
  void processFile(const std::shared_ptr<const SourceFile> &file, const std::filesystem::path &directory,
                   bool isTop, const std::optional<std::string> &section, const SourceLoc &requestedAt,
                   const std::string &key) {
    for (const OpenFile &open : stack_) {
      if (open.key == key) {
        std::string chain;
        for (const OpenFile &f : stack_) {
          chain += f.shownAs + " -> ";
        }
        chain += file->path;
        throw UserError(requestedAt, fmt::format("recursive include: {}", chain));
      }
    }
    if (stack_.size() >= kMaxIncludeDepth) {
      throw UserError(requestedAt, "includes nested too deeply");
    }
    stack_.push_back({key, file->path});
    out_.files.push_back(file);
    LogicalLineReader reader(file, isTop);
    LogicalLine card;
    if (isTop && file->lineCount() != 0) {
      out_.title = file->line(0);
    }

    enum class State { Normal, SkippingSection, InWantedSection, OutsideSections, InOtherSection, Control };
    State state = section ? State::OutsideSections : State::Normal;
    State afterControl = state;
    bool foundSection = false;
    SourceLoc blockStart;
    while (reader.next(card)) {
      const std::string_view word = firstWord(card.lower());
      if (state == State::Control) {
        if (word == ".endc") {
          state = afterControl;
        }
        continue;
      }
      if (word == ".control") {
        warn(card.start(), "'.control' blocks are not run by dwspice; skipped up to '.endc'");
        afterControl = state;
        state = State::Control;
        blockStart = card.start();
        continue;
      }
      if (word == ".endc") {
        throw UserError(card.start(), "'.endc' without '.control'");
      }
      if (word == ".lib") {
        const std::vector<ArgWord> args = splitArguments(card, word.size());
        if (args.size() == 1) { // a section definition
          if (state == State::SkippingSection || state == State::InWantedSection ||
              state == State::InOtherSection) {
            throw UserError(card.start(), "'.lib' section inside another section (missing '.endl'?)");
          }
          blockStart = card.start();
          if (section && asciiLower(args[0].text) == *section) {
            state = State::InWantedSection;
            foundSection = true;
          } else {
            state = section ? State::InOtherSection : State::SkippingSection;
          }
          continue;
        }
        if (state == State::SkippingSection || state == State::InOtherSection ||
            state == State::OutsideSections) {
          continue;
        }
        if (args.size() != 2) {
          throw UserError(card.start(), "'.lib' expects a file and a section name, or one section name");
        }
        include(card, args[0], directory, asciiLower(args[1].text));
        continue;
      }
      if (word == ".endl") {
        if (state == State::Normal || state == State::OutsideSections) {
          throw UserError(card.start(), "'.endl' without '.lib'");
        }
        state = section ? State::OutsideSections : State::Normal;
        continue;
      }
      if (state == State::SkippingSection || state == State::InOtherSection ||
          state == State::OutsideSections) {
        continue;
      }
      if (word == ".end") {
        ended_ = isTop;
        break;
      }
      if (word == ".include" || word == ".inc") {
        const std::vector<ArgWord> args = splitArguments(card, word.size());
        if (args.size() != 1) {
          throw UserError(card.start(), "'.include' expects one file name");
        }
        include(card, args[0], directory, std::nullopt);
        if (ended_) {
          break;
        }
        continue;
      }
      out_.lastCard = card.start();
      sink_.card(card);
    }
    if (state == State::Control) {
      throw UserError(blockStart, "'.control' block without '.endc'");
    }
    if (state == State::SkippingSection || state == State::InWantedSection ||
        state == State::InOtherSection) {
      throw UserError(blockStart, "'.lib' section without '.endl'");
    }
    if (section && !foundSection) {
      throw UserError(requestedAt, fmt::format("section '{}' not found in '{}'", *section, file->path));
    }
    stack_.pop_back();
  }

private:
  void include(const LogicalLine &card, const ArgWord &name, const std::filesystem::path &directory,
               const std::optional<std::string> &section) {
    const SourceLoc at = card.locAt(name.offset);
    if (name.text.empty()) {
      throw UserError(at, "empty file name");
    }
    std::filesystem::path path(name.text);
    if (path.is_relative()) {
      path = directory / path;
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      throw UserError(at, fmt::format("cannot open include file '{}': no such file", path.string()));
    }
    const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
    const std::string key = (ec ? path.string() : canonical.string()) + (section ? "#" + *section : "");
    // A file already open (with any section) recursing into itself is the
    // ngspice crash case; sections of one library file may include each other.
    const std::shared_ptr<const SourceFile> file = readSourceFile(path, at);
    processFile(file, path.parent_path(), false, section, at, key);
  }

  PreprocessedNetlist &out_;
  CardSink &sink_;
  std::vector<OpenFile> stack_;
  bool ended_ = false;
};

} // namespace

PreprocessedNetlist preprocess(const std::shared_ptr<const SourceFile> &top,
                               const std::filesystem::path &baseDirectory, CardSink &sink) {
  PreprocessedNetlist result;
  Preprocessor preprocessor(result, sink);
  std::error_code ec;
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(top->path, ec);
  const std::string key = ec ? top->path : canonical.string();
  preprocessor.processFile(top, baseDirectory, true, std::nullopt, SourceLoc{}, key);
  return result;
}

} // namespace dwspice
