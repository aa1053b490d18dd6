// Splitting element cards: <name> <nodes…> <references…> [model] <args…>.
// How many of each comes from the registry (ElementSyntax), never from a
// per-letter table here.
#include "parse/card_parsers.hpp"

#include <fmt/core.h>

namespace dwspice {

namespace {

// Number of plain words after the name, up to the first name=value,
// group `name(…)`, expression or `params:`. The first `fixedWords` words are
// nodes and references whatever follows them, so `R1 a 0 (2*rb)` reads node
// `0` and then the expression rather than a group named `0`.
std::size_t countPositionalWords(const CardReader &card, std::size_t fixedWords) {
  std::size_t i = 1;
  while (card.is(i, Token::Kind::Word) && !card.isAssign(i) &&
         (i <= fixedWords || !card.is(i + 1, Token::Kind::LParen)) && card.text(i) != "params:") {
    ++i;
  }
  return i - 1;
}

std::string describeExpected(const ElementSyntax &syntax) {
  std::string what = fmt::format("{} node{}", syntax.terminals, syntax.terminals == 1 ? "" : "s");
  if (syntax.references > 0) {
    what += fmt::format(", {} reference{}", syntax.references, syntax.references == 1 ? "" : "s");
  }
  if (syntax.takesModel) {
    what += " and a model name";
  }
  return what;
}

// Moves one parsed argument into the card: numbers in place, expressions
// listed for the flattener.
void appendArgument(InstanceSpec &instance, CardExtras &extras, ArgSyntax &&arg) {
  const std::size_t index = instance.args.size();
  CardArg &out = instance.args.emplace_back();
  out.kind = arg.kind;
  out.name = std::move(arg.name);
  out.loc = arg.loc;
  if (arg.kind == CardArg::Kind::Value || arg.kind == CardArg::Kind::Assign) {
    out.value = arg.value.number;
    if (arg.value.expr) {
      extras.expressions.push_back({index, DeferredValue::kWholeArgument, std::move(arg.value)});
    }
  } else if (arg.kind == CardArg::Kind::Group) {
    out.values.reserve(arg.items.size());
    for (ValueSyntax &item : arg.items) {
      out.values.push_back(item.number);
      if (item.expr) {
        extras.expressions.push_back({index, out.values.size() - 1, std::move(item)});
      }
    }
  }
}

} // namespace

void parseElementCard(const CardReader &card, const std::optional<ElementSyntax> &syntax, Body &body) {
  InstanceSpec &instance = body.elements.emplace_back();
  CardExtras extras;
  extras.card = body.elements.size() - 1;
  instance.name = card.text(0);
  instance.loc = card.loc(0);
  instance.letter = instance.name.front();
  const std::size_t fixedWords =
      syntax && syntax->terminals >= 0 ? static_cast<std::size_t>(syntax->terminals + syntax->references) : 0;
  const std::size_t positional = countPositionalWords(card, fixedWords);
  std::size_t nodeCount = 0;
  std::size_t referenceCount = 0;
  bool hasModel = false;

  if (!syntax) { // X: nodes…, subcircuit name, then overrides
    if (positional < 1) {
      throw UserError(card.endLoc(),
                      fmt::format("subcircuit instance '{}' needs a subcircuit name", instance.name));
    }
    nodeCount = positional - 1;
    hasModel = true;
  } else if (syntax->terminals >= 0) {
    nodeCount = static_cast<std::size_t>(syntax->terminals);
    referenceCount = static_cast<std::size_t>(syntax->references);
    hasModel = syntax->takesModel;
    const std::size_t needed = nodeCount + referenceCount + (hasModel ? 1 : 0);
    if (positional < needed) {
      throw UserError(positional + 1 < card.size() ? card.loc(positional + 1) : card.endLoc(),
                      fmt::format("element '{}' expects {}; found {} name{}", instance.name,
                                  describeExpected(*syntax), positional, positional == 1 ? "" : "s"));
    }
  } else { // variable terminal count: the model name is the last plain word
    referenceCount = static_cast<std::size_t>(syntax->references);
    hasModel = syntax->takesModel;
    const std::size_t fixed = referenceCount + (hasModel ? 1 : 0);
    if (positional < fixed + 1) {
      throw UserError(card.endLoc(), fmt::format("element '{}' expects nodes{} before its parameters",
                                                 instance.name, hasModel ? " and a model name" : ""));
    }
    nodeCount = positional - fixed;
  }

  std::size_t i = 1;
  instance.nodes.reserve(nodeCount);
  for (std::size_t k = 0; k < nodeCount; ++k) {
    instance.nodes.emplace_back(card.text(i++));
  }
  instance.references.reserve(referenceCount);
  for (std::size_t k = 0; k < referenceCount; ++k) {
    instance.references.emplace_back(card.text(i++));
  }
  if (hasModel) {
    extras.model = card.word(i++);
  }
  instance.args.reserve(card.size() - i); // at least one token per argument: never grows

  if (!syntax && i < card.size() && card.is(i, Token::Kind::Word) && card.text(i) == "params:") {
    ++i;
  }
  while (i < card.size()) {
    if (card.is(i, Token::Kind::Comma)) {
      ++i;
      continue;
    }
    if (!syntax && !card.isAssign(i)) {
      throw UserError(card.loc(i),
                      fmt::format("expected name=value after the subcircuit name of '{}'", instance.name));
    }
    appendArgument(instance, extras, card.argument(i));
  }
  if (extras.model || !extras.expressions.empty()) {
    body.extras.push_back(std::move(extras));
  }
}

} // namespace dwspice
