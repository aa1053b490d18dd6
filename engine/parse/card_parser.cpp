#include "parse/card_parser.hpp"
#include "parse/card_parsers.hpp"
#include "parse/plain_card.hpp"
#include "parse/source_text.hpp"
#include "parse/tokenizer.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <unordered_set>

namespace dwspice {

namespace {

// Directives dwspice reads but does not run: a warning names the line.
bool isIgnoredDirective(std::string_view name) {
  static const std::unordered_set<std::string_view> ignored{".plot",    ".width", ".four", ".ac", ".noise",
                                                            ".tf",      ".disto", ".sens", ".pz", ".meas",
                                                            ".measure", ".step",  ".probe"};
  return ignored.count(name) != 0;
}

constexpr std::size_t kMaxSubcircuitNesting = 256;

class DeckParser final : public CardSink {
public:
  explicit DeckParser(Deck &deck) : deck_(deck) {}

  void card(const LogicalLine &line) override {
    // Skipped directives are not tokenized: their syntax (e.g. `.meas`
    // expressions) is not ours to judge.
    if (line.lower().starts_with('.')) {
      const std::string_view head = line.lower().substr(0, line.lower().find_first_of(" \t"));
      if (isIgnoredDirective(head)) {
        warn(line.start(), fmt::format("'{}' is not supported by dwspice; line skipped", head));
        return;
      }
    }
    if (plainElement(line)) {
      return;
    }
    tokenize(line, tokens_);
    if (tokens_.empty()) {
      return;
    }
    const CardReader card(line, tokens_, &functions_);
    if (!card.is(0, Token::Kind::Word)) {
      throw UserError(card.loc(0), "a card must start with an element name or a directive");
    }
    const std::string_view name = card.text(0);
    if (name.front() == '.') {
      directive(card, name);
    } else {
      element(card, name);
    }
  }

  void finish() {
    if (!open_.empty()) {
      throw UserError(open_.back()->loc,
                      fmt::format("'.subckt {}' has no matching '.ends'", open_.back()->name.text));
    }
  }

private:
  Body &body() { return open_.empty() ? deck_.top : open_.back()->body; }

  void requireTopLevel(const CardReader &card, std::string_view name) const {
    if (!open_.empty()) {
      throw UserError(card.loc(0),
                      fmt::format("'{}' is not allowed inside '.subckt {}'", name, open_.back()->name.text));
    }
  }

  const std::optional<ElementSyntax> &syntaxOf(char letter) {
    const auto index = static_cast<std::size_t>(letter - 'a');
    if (!syntaxKnown_[index]) {
      syntaxCache_[index] = DeviceRegistry::instance().syntax(letter);
      syntaxKnown_[index] = true;
    }
    return syntaxCache_[index];
  }

  // The shortcut for plain element cards (plain_card.hpp); false sends the
  // card down the general path.
  bool plainElement(const LogicalLine &line) {
    const std::string_view text = line.lower();
    const auto first = std::ranges::find_if_not(text, isTokenBlank);
    if (first == text.end()) {
      return false;
    }
    const char letter = *first;
    if (letter < 'a' || letter > 'z' || letter == 'x') {
      return false;
    }
    const std::optional<ElementSyntax> &syntax = syntaxOf(letter);
    return syntax && parsePlainElementCard(line, *syntax, body());
  }

  void element(const CardReader &card, std::string_view head) {
    const char letter = head.front();
    if (letter < 'a' || letter > 'z') {
      throw UserError(card.loc(0), fmt::format("'{}' is neither an element nor a directive", head));
    }
    static const std::optional<ElementSyntax> kSubcircuitInstance; // X: no registry entry
    const std::optional<ElementSyntax> &syntax = letter == 'x' ? kSubcircuitInstance : syntaxOf(letter);
    if (letter != 'x') {
      if (!syntax) {
        throw UserError(card.loc(0),
                        fmt::format("unknown element letter '{}' in '{}' (no device of that kind)",
                                    static_cast<char>(letter - 'a' + 'A'), head));
      }
    }
    parseElementCard(card, syntax, body());
  }

  void directive(const CardReader &card, std::string_view name) {
    if (name == ".param") {
      parseParamCard(card, body().params);
    } else if (name == ".func") {
      std::shared_ptr<const UserFunction> function = parseFuncCard(card);
      const auto [it, inserted] = functions_.emplace(function->name, function);
      if (!inserted) {
        throw UserError(function->loc, fmt::format("function '{}' is defined twice (first at {})",
                                                   function->name, it->second->loc.str()));
      }
    } else if (name == ".model") {
      body().models.push_back(parseModelCard(card));
    } else if (name == ".subckt") {
      std::unique_ptr<SubcircuitDef> def = parseSubcircuitHeader(card);
      def->parent = open_.empty() ? nullptr : open_.back();
      if (open_.size() >= kMaxSubcircuitNesting) {
        throw UserError(card.loc(0), "subcircuit definitions nested too deeply");
      }
      SubcircuitDef *raw = def.get();
      body().subcircuits.push_back(std::move(def));
      open_.push_back(raw);
    } else if (name == ".ends") {
      if (open_.empty()) {
        throw UserError(card.loc(0), "'.ends' without '.subckt'");
      }
      if (card.size() > 1) {
        const Word closing = card.expectWord(1, "a subcircuit name");
        if (closing.text != open_.back()->name.text) {
          throw UserError(closing.loc, fmt::format("'.ends {}' closes '.subckt {}'", closing.text,
                                                   open_.back()->name.text));
        }
      }
      open_.pop_back();
    } else if (name == ".global") {
      for (std::size_t i = 1; i < card.size(); ++i) {
        deck_.globals.push_back(card.expectWord(i, "a node name"));
      }
    } else if (name == ".ic") {
      parseNodeValues(card, body().initialConditions);
    } else if (name == ".nodeset") {
      parseNodeValues(card, body().nodesets);
    } else if (name == ".op" || name == ".dc" || name == ".tran") {
      requireTopLevel(card, name);
      const auto kind = name == ".op"   ? AnalysisCard::Kind::Op
                        : name == ".dc" ? AnalysisCard::Kind::Dc
                                        : AnalysisCard::Kind::Tran;
      deck_.analyses.push_back(parseAnalysisCard(card, kind));
    } else if (name == ".options" || name == ".option" || name == ".opt") {
      requireTopLevel(card, name);
      parseOptionsCard(card, deck_.options);
    } else if (name == ".temp") {
      requireTopLevel(card, name);
      std::size_t i = 1;
      deck_.temperatures.push_back(card.value(i));
      if (i < card.size()) {
        card.unexpected(i);
      }
    } else if (name == ".print" || name == ".save") {
      requireTopLevel(card, name);
      OutputCard output;
      if (!parseOutputCard(card, name == ".print", output)) {
        warn(card.loc(0), fmt::format("'{} {}' is not supported (dwspice runs op, dc and tran); skipped",
                                      name, output.analysis));
        return;
      }
      (name == ".print" ? deck_.prints : deck_.saves).push_back(std::move(output));
    } else if (name == ".dataset") {
      requireTopLevel(card, name);
      deck_.datasets.push_back(parseDatasetCard(card));
    } else if (name == ".bind") {
      requireTopLevel(card, name);
      deck_.binds.push_back(parseBindCard(card));
    } else if (name == ".readout") {
      requireTopLevel(card, name);
      deck_.readouts.push_back(parseReadoutCard(card));
    } else if (name == ".title") {
      const std::string_view text = card.line().text();
      const std::size_t start = text.find_first_not_of(" \t", name.size());
      deck_.title = start == std::string_view::npos ? "" : std::string(text.substr(start));
      deck_.titleSet = true;
    } else {
      throw UserError(card.loc(0), fmt::format("unknown directive '{}'", name));
    }
  }

  Deck &deck_;
  std::vector<SubcircuitDef *> open_; // definitions being read, innermost last
  std::vector<Token> tokens_;         // reused for every card
  FunctionTable functions_;           // `.func` definitions so far (global, in netlist order)
  std::array<std::optional<ElementSyntax>, 26> syntaxCache_{};
  std::array<bool, 26> syntaxKnown_{};
};

} // namespace

Deck parseDeck(const std::shared_ptr<const SourceFile> &top, const std::filesystem::path &baseDirectory) {
  Deck deck;
  // Most lines of a big netlist are top-level elements: one allocation
  // instead of repeated growth.
  deck.top.elements.reserve(std::min<std::size_t>(top->lineCount(), 1U << 20));
  DeckParser parser(deck);
  PreprocessedNetlist netlist = preprocess(top, baseDirectory, parser);
  parser.finish();
  if (!deck.titleSet) { // `.title` overrides the first line
    deck.title = std::move(netlist.title);
    while (!deck.title.empty() && (deck.title.back() == ' ' || deck.title.back() == '\t')) {
      deck.title.pop_back();
    }
  }
  deck.files = std::move(netlist.files);
  deck.endLoc = netlist.lastCard.valid() ? netlist.lastCard : SourceLoc{top.get(), 1, 1};
  return deck;
}

Deck parseNetlistText(std::string_view text, const std::string &displayName,
                      const std::filesystem::path &baseDirectory) {
  return parseDeck(makeSourceFile(displayName, std::string(text)), baseDirectory);
}

Deck parseNetlistFile(const std::filesystem::path &file) {
  const std::shared_ptr<const SourceFile> top = readSourceFile(file, SourceLoc{});
  return parseDeck(top, file.parent_path());
}

} // namespace dwspice
