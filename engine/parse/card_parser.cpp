#include "parse/card_parser.hpp"
#include "parse/card_parsers.hpp"
#include "parse/source_text.hpp"

#include <fmt/core.h>

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

class DeckParser {
public:
  explicit DeckParser(Deck &deck) : deck_(deck) {}

  void card(const LogicalLine &line) {
    tokenize(line, tokens_);
    if (tokens_.empty()) {
      return;
    }
    const CardReader card(line, tokens_);
    if (!card.is(0, Token::Kind::Word)) {
      throw UserError(card.loc(0), "a card must start with an element name or a directive");
    }
    const std::string_view head = card.text(0);
    if (head.front() == '.') {
      directive(card, head);
    } else {
      element(card, head);
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

  void element(const CardReader &card, std::string_view head) {
    const char letter = head.front();
    if (letter < 'a' || letter > 'z') {
      throw UserError(card.loc(0), fmt::format("'{}' is neither an element nor a directive", head));
    }
    std::optional<ElementSyntax> syntax;
    if (letter != 'x') {
      syntax = syntaxOf(letter);
      if (!syntax) {
        throw UserError(card.loc(0),
                        fmt::format("unknown element letter '{}' in '{}' (no device of that kind)",
                                    static_cast<char>(letter - 'a' + 'A'), head));
      }
    }
    body().elements.push_back(parseElementCard(card, syntax));
  }

  void directive(const CardReader &card, std::string_view name) {
    if (name == ".param") {
      parseParamCard(card, body().params);
    } else if (name == ".model") {
      body().models.push_back(parseModelCard(card));
    } else if (name == ".subckt") {
      std::unique_ptr<SubcircuitDef> def = parseSubcircuitHeader(card);
      def->parent = open_.empty() ? nullptr : open_.back();
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
    } else if (name == ".title") {
      const std::string_view text = card.line().text;
      const std::size_t start = text.find_first_not_of(" \t", name.size());
      deck_.title = start == std::string_view::npos ? "" : std::string(text.substr(start));
    } else if (isIgnoredDirective(name)) {
      warn(card.loc(0), fmt::format("'{}' is not supported by dwspice; line skipped", name));
    } else {
      throw UserError(card.loc(0), fmt::format("unknown directive '{}'", name));
    }
  }

  Deck &deck_;
  std::vector<SubcircuitDef *> open_; // definitions being read, innermost last
  std::vector<Token> tokens_;         // reused for every card
  std::array<std::optional<ElementSyntax>, 26> syntaxCache_{};
  std::array<bool, 26> syntaxKnown_{};
};

} // namespace

Deck parseDeck(PreprocessedNetlist netlist) {
  Deck deck;
  deck.title = std::move(netlist.title);
  while (!deck.title.empty() && (deck.title.back() == ' ' || deck.title.back() == '\t')) {
    deck.title.pop_back();
  }
  deck.files = std::move(netlist.files);
  DeckParser parser(deck);
  for (const LogicalLine &line : netlist.cards) {
    parser.card(line);
  }
  parser.finish();
  if (!netlist.cards.empty()) {
    deck.endLoc = netlist.cards.back().start();
  } else if (!deck.files.empty()) {
    deck.endLoc = SourceLoc{deck.files.front(), 1, 1};
  }
  return deck;
}

Deck parseNetlistText(std::string_view text, const std::string &displayName,
                      const std::filesystem::path &baseDirectory) {
  return parseDeck(preprocess(makeSourceFile(displayName, text), baseDirectory));
}

Deck parseNetlistFile(const std::filesystem::path &file) {
  const std::shared_ptr<const SourceFile> top = readSourceFile(file, SourceLoc{});
  return parseDeck(preprocess(top, file.parent_path()));
}

} // namespace dwspice
