// Syntax of the dot cards: .param .model .subckt .ic/.nodeset .op/.dc/.tran
// .options .print/.save .dataset/.bind/.readout. Semantic checks (values, ranges, names) belong to
// elaboration.
#include "parse/card_parsers.hpp"
#include "parse/spice_number.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace dwspice {

namespace {

// End (exclusive token index) of a bare `.param` value starting at `from`:
// it runs up to the next `name=` or the end of the card, so `a = b + 1`
// written with blanks still forms one expression.
std::size_t paramValueEnd(const CardReader &card, std::size_t from) {
  std::size_t i = from;
  while (i < card.size() && !card.isAssign(i)) {
    if (card.is(i, Token::Kind::LParen)) {
      i = card.matchingParen(i) + 1;
    } else {
      ++i;
    }
  }
  return i;
}

ParamAssign readAssignment(const CardReader &card, std::size_t &i, bool bareExpressions) {
  ParamAssign assign;
  assign.name = card.expectWord(i, "a parameter name");
  if (!card.is(i + 1, Token::Kind::Equals)) {
    throw UserError(card.loc(i), fmt::format("expected '{}=value'", assign.name.text));
  }
  i += 2;
  if (i >= card.size() || card.is(i, Token::Kind::Comma) || card.is(i, Token::Kind::RParen)) {
    throw UserError(i >= card.size() ? card.endLoc() : card.loc(i),
                    fmt::format("missing value after '{}='", assign.name.text));
  }
  if (!bareExpressions) {
    assign.value = card.value(i);
    return assign;
  }
  std::size_t end = paramValueEnd(card, i);
  while (end > i + 1 && card.is(end - 1, Token::Kind::Comma)) {
    --end; // `.param a=1, b=2`
  }
  if (end == i + 1) {
    assign.value = card.value(i);
  } else {
    assign.value = card.valueFromRange(card.at(i).begin, card.at(end - 1).end);
    i = end;
  }
  return assign;
}

bool isAnalysisName(std::string_view word) {
  return word == "tran" || word == "dc" || word == "op" || word == "ac" || word == "noise" || word == "tf" ||
         word == "disto" || word == "sens" || word == "pz";
}

// Normalises `v(a)`, `v(a,b)`, `i(v1)`, a bare node name or `all`.
Word readOutput(const CardReader &card, std::size_t &i) {
  Word head = card.expectWord(i, "an output such as v(node) or i(vsource)");
  const auto groundAlias = [](const std::string &name) {
    return name == "gnd" ? std::string(kGroundNode) : name;
  };
  if (!card.is(i + 1, Token::Kind::LParen)) {
    ++i;
    if (head.text == "all") {
      return head;
    }
    if (head.text.front() == '@') {
      throw UserError(head.loc, fmt::format("device parameter output '{}' is not supported", head.text));
    }
    // A bare name is a node voltage, as in SPICE, except device-state names
    // ("n1#q"), which no node can have: those are kept as written.
    if (head.text.find('#') != std::string::npos) {
      return head;
    }
    return Word{fmt::format("v({})", groundAlias(head.text)), head.loc};
  }
  const std::size_t close = card.matchingParen(i + 1);
  std::vector<std::string> names;
  for (std::size_t j = i + 2; j < close; ++j) {
    if (card.is(j, Token::Kind::Comma)) {
      continue;
    }
    names.push_back(card.expectWord(j, "a node or source name").text);
  }
  i = close + 1;
  if (head.text == "v" && (names.size() == 1 || names.size() == 2)) {
    if (names.size() == 1) {
      return Word{fmt::format("v({})", groundAlias(names[0])), head.loc};
    }
    return Word{fmt::format("v({},{})", groundAlias(names[0]), groundAlias(names[1])), head.loc};
  }
  if (head.text == "i" && names.size() == 1) {
    return Word{fmt::format("i({})", names[0]), head.loc};
  }
  if (head.text == "v" || head.text == "i") {
    throw UserError(head.loc,
                    fmt::format("{}() takes {} name{}", head.text, head.text == "v" ? "one or two" : "one",
                                head.text == "v" ? "s" : ""));
  }
  throw UserError(head.loc,
                  fmt::format("unsupported output '{}(…)': use v(node), v(a,b) or i(vsource)", head.text));
}

} // namespace

void parseParamCard(const CardReader &card, std::vector<ParamAssign> &out) {
  std::size_t i = 1;
  if (i >= card.size()) {
    throw UserError(card.endLoc(), "'.param' needs at least one name=value");
  }
  while (i < card.size()) {
    if (card.is(i, Token::Kind::Comma)) {
      ++i;
      continue;
    }
    out.push_back(readAssignment(card, i, true));
  }
}

std::shared_ptr<const UserFunction> parseFuncCard(const CardReader &card) {
  auto function = std::make_shared<UserFunction>();
  const Word name = card.expectWord(1, "a function name");
  function->name = name.text;
  function->loc = name.loc;
  if (!card.is(2, Token::Kind::LParen)) {
    throw UserError(card.size() > 2 ? card.loc(2) : card.endLoc(), "expected '(' after the function name");
  }
  const std::size_t close = card.matchingParen(2);
  for (std::size_t i = 3; i < close; ++i) {
    if (card.is(i, Token::Kind::Comma)) {
      continue;
    }
    const Word param = card.expectWord(i, "a parameter name");
    if (std::find(function->params.begin(), function->params.end(), param.text) != function->params.end()) {
      throw UserError(param.loc, fmt::format("parameter '{}' listed twice", param.text));
    }
    function->params.push_back(param.text);
  }
  std::size_t first = close + 1;
  if (card.is(first, Token::Kind::Equals)) {
    ++first;
  }
  if (first >= card.size()) {
    throw UserError(card.endLoc(), fmt::format("function '{}' has no body", function->name));
  }
  ValueSyntax body;
  if (first + 1 == card.size()) {
    std::size_t i = first;
    body = card.value(i);
  } else {
    body = card.valueFromRange(card.at(first).begin, card.at(card.size() - 1).end);
  }
  if (!body.expr) { // a constant body
    auto constant = std::make_shared<ExprNode>();
    constant->number = body.number;
    constant->loc = body.loc;
    body.expr = std::move(constant);
  }
  function->body = body.expr;
  return function;
}

ModelCard parseModelCard(const CardReader &card) {
  ModelCard model;
  model.loc = card.loc(0);
  model.name = card.expectWord(1, "a model name");
  model.type = card.expectWord(2, "a model type");
  std::size_t i = 3;
  std::size_t end = card.size();
  if (card.is(i, Token::Kind::LParen)) {
    const std::size_t close = card.matchingParen(i);
    if (close + 1 != card.size()) {
      card.unexpected(close + 1);
    }
    end = close;
    ++i;
  }
  while (i < end) {
    if (card.is(i, Token::Kind::Comma)) {
      ++i;
      continue;
    }
    if (!card.isAssign(i)) {
      throw UserError(card.loc(i), "expected parameter=value in '.model'");
    }
    model.params.push_back(readAssignment(card, i, false));
  }
  if (i > end) {
    throw UserError(card.loc(end), "unbalanced parentheses in '.model'");
  }
  return model;
}

std::unique_ptr<SubcircuitDef> parseSubcircuitHeader(const CardReader &card) {
  auto def = std::make_unique<SubcircuitDef>();
  def->loc = card.loc(0);
  def->name = card.expectWord(1, "a subcircuit name");
  std::size_t i = 2;
  while (card.is(i, Token::Kind::Word) && !card.isAssign(i) && card.text(i) != "params:") {
    def->ports.push_back(card.word(i++));
  }
  if (card.is(i, Token::Kind::Word) && card.text(i) == "params:") {
    ++i;
  }
  while (i < card.size()) {
    if (card.is(i, Token::Kind::Comma)) {
      ++i;
      continue;
    }
    if (!card.isAssign(i)) {
      throw UserError(card.loc(i), "expected name=value for a subcircuit parameter");
    }
    def->defaults.push_back(readAssignment(card, i, false));
  }
  return def;
}

void parseNodeValues(const CardReader &card, std::vector<NodeValueSyntax> &out) {
  std::size_t i = 1;
  if (i >= card.size()) {
    throw UserError(card.endLoc(), "expected v(node)=value");
  }
  while (i < card.size()) {
    const Word head = card.expectWord(i, "v(node)=value");
    if (head.text != "v" || !card.is(i + 1, Token::Kind::LParen) || !card.is(i + 2, Token::Kind::Word) ||
        !card.is(i + 3, Token::Kind::RParen) || !card.is(i + 4, Token::Kind::Equals)) {
      throw UserError(head.loc, "expected v(node)=value");
    }
    NodeValueSyntax item;
    item.node = card.word(i + 2);
    i += 5;
    item.value = card.value(i);
    out.push_back(std::move(item));
  }
}

AnalysisCard parseAnalysisCard(const CardReader &card, AnalysisCard::Kind kind) {
  AnalysisCard analysis;
  analysis.kind = kind;
  analysis.loc = card.loc(0);
  std::size_t i = 1;
  while (i < card.size()) {
    if (card.is(i, Token::Kind::Comma)) {
      ++i;
      continue;
    }
    ArgSyntax arg = card.argument(i);
    if (arg.kind != CardArg::Kind::Value && arg.kind != CardArg::Kind::Word) {
      throw UserError(arg.loc, "unexpected argument form for an analysis");
    }
    analysis.args.push_back(std::move(arg));
  }
  return analysis;
}

void parseOptionsCard(const CardReader &card, std::vector<OptionSyntax> &out) {
  std::size_t i = 1;
  while (i < card.size()) {
    if (card.is(i, Token::Kind::Comma)) {
      ++i;
      continue;
    }
    OptionSyntax option;
    option.name = card.expectWord(i, "an option name");
    if (!card.is(i + 1, Token::Kind::Equals)) {
      ++i; // a flag such as `klu`
      out.push_back(std::move(option));
      continue;
    }
    i += 2;
    if (card.is(i, Token::Kind::Word) && !looksNumeric(card.text(i), true) &&
        !card.is(i + 1, Token::Kind::LParen)) {
      option.word = card.text(i); // `method=gear`
      ++i;
    } else {
      option.value = card.value(i);
    }
    out.push_back(std::move(option));
  }
}

bool parseOutputCard(const CardReader &card, bool isPrint, OutputCard &out) {
  out.loc = card.loc(0);
  std::size_t i = 1;
  if (card.is(i, Token::Kind::Word) && isAnalysisName(card.text(i)) && !card.is(i + 1, Token::Kind::LParen)) {
    out.analysis = card.text(i);
    ++i;
  } else if (isPrint) {
    throw UserError(i < card.size() ? card.loc(i) : card.endLoc(),
                    "'.print' needs an analysis: tran, dc or op");
  }
  if (out.analysis != "" && out.analysis != "tran" && out.analysis != "dc" && out.analysis != "op") {
    return false;
  }
  while (i < card.size()) {
    if (card.is(i, Token::Kind::Comma)) {
      ++i;
      continue;
    }
    out.outputs.push_back(readOutput(card, i));
  }
  if (out.outputs.empty()) {
    throw UserError(card.endLoc(), isPrint ? "'.print' lists no outputs" : "'.save' lists no outputs");
  }
  return true;
}

DatasetCard parseDatasetCard(const CardReader &card) {
  DatasetCard dataset;
  dataset.loc = card.loc(0);
  dataset.name = card.expectWord(1, "a data set name (mnist or fashion)");
  if (card.size() > 2) {
    dataset.split = card.expectWord(2, "a split (test or train)");
  }
  if (card.size() > 3) {
    card.unexpected(3);
  }
  return dataset;
}

BindCard parseBindCard(const CardReader &card) {
  BindCard bind;
  bind.loc = card.loc(0);
  bind.kind = card.expectWord(1, "what to bind ('pixel')");
  if (card.size() < 3) {
    throw UserError(card.endLoc(), "'.bind pixel' needs a pixel index and at least one source");
  }
  std::size_t i = 2;
  bind.index = card.value(i);
  for (; i < card.size(); ++i) {
    if (card.is(i, Token::Kind::Comma)) {
      continue;
    }
    bind.sources.push_back(card.expectWord(i, "a source name"));
  }
  if (bind.sources.empty()) {
    throw UserError(card.endLoc(), "'.bind pixel' names no source");
  }
  return bind;
}

ReadoutCard parseReadoutCard(const CardReader &card) {
  ReadoutCard readout;
  readout.loc = card.loc(0);
  readout.mode = card.expectWord(1, "a readout kind ('argmax')");
  std::size_t i = 2;
  while (i < card.size()) {
    if (card.is(i, Token::Kind::Comma)) {
      ++i;
      continue;
    }
    if (card.isAssign(i)) {
      const Word key = card.word(i);
      if (key.text != "at") {
        throw UserError(key.loc,
                        fmt::format("unknown '.readout' parameter '{}' (expected at=time)", key.text));
      }
      if (readout.at) {
        throw UserError(key.loc, "'at=' given twice");
      }
      i += 2;
      if (i >= card.size()) {
        throw UserError(card.endLoc(), "missing value after 'at='");
      }
      readout.at = card.value(i);
      continue;
    }
    Word vector = readOutput(card, i);
    if (vector.text == "all") {
      throw UserError(vector.loc, "'.readout' needs the vectors themselves, not 'all'");
    }
    readout.vectors.push_back(std::move(vector));
  }
  return readout;
}

} // namespace dwspice
