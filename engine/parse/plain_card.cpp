#include "parse/plain_card.hpp"

#include "parse/spice_number.hpp"
#include "parse/tokenizer.hpp"

#include <array>

namespace dwspice {

namespace {

// A card with more words than this is unusual enough for the general path.
constexpr std::size_t kMaxPlainWords = 8;

// No member initialisers: the word array below is filled as words are found
// and only those are read, so it need not be zeroed for every card.
struct WordSpan {
  std::size_t begin;
  std::size_t end;
};

} // namespace

bool parsePlainElementCard(const LogicalLine &line, const ElementSyntax &syntax, Body &body) {
  if (syntax.terminals < 0 || syntax.references != 0 || syntax.takesModel) {
    return false;
  }
  const std::string_view text = line.lower();
  std::array<WordSpan, kMaxPlainWords> words;
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (isTokenBlank(text[i])) {
      ++i;
      continue;
    }
    if (isTokenDelimiter(text[i]) || count == kMaxPlainWords) {
      return false; // punctuation (groups, name=value, expressions) or a long card
    }
    const std::size_t begin = i;
    while (i < text.size() && !isTokenDelimiter(text[i])) {
      ++i;
    }
    words[count++] = {begin, i};
  }
  const auto nodeCount = static_cast<std::size_t>(syntax.terminals);
  if (count < 1 + nodeCount) {
    return false; // too few nodes: the general parser reports it
  }
  const auto wordText = [&](std::size_t k) {
    return text.substr(words[k].begin, words[k].end - words[k].begin);
  };
  // Every argument must be a whole number; a word the general parser would read
  // as a keyword (`dc`) or an expression (`rval`) declines the card.
  std::array<double, kMaxPlainWords> values{};
  for (std::size_t k = 1 + nodeCount; k < count; ++k) {
    const std::string_view word = wordText(k);
    if (!looksNumeric(word, true)) {
      return false;
    }
    const NumberScan scan = scanNumber(word, true);
    if (scan.status != NumberScan::Status::Ok || scan.length != word.size()) {
      return false;
    }
    values[k] = scan.value;
  }

  InstanceSpec &instance = body.elements.emplace_back();
  instance.name = wordText(0);
  instance.loc = line.locAt(words[0].begin);
  instance.letter = instance.name.front();
  instance.nodes.reserve(nodeCount);
  for (std::size_t k = 1; k <= nodeCount; ++k) {
    instance.nodes.emplace_back(wordText(k));
  }
  instance.args.reserve(count - 1 - nodeCount);
  for (std::size_t k = 1 + nodeCount; k < count; ++k) {
    // Default- rather than value-initialised: the kind, value and location are
    // set just below, and value-initialising would zero all of it first.
    CardArg &arg = instance.args.emplace_back(boost::container::default_init);
    arg.kind = CardArg::Kind::Value;
    arg.value = values[k];
    arg.loc = line.locAt(words[k].begin);
  }
  return true;
}

} // namespace dwspice
