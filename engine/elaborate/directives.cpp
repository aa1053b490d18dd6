#include "elaborate/directives.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <unordered_set>

namespace dwspice {

namespace {

// ngspice options that have no effect here (or only on ngspice's own
// bookkeeping) and are common in decks written for it: accepted quietly.
constexpr std::array<std::string_view, 14> kHarmlessOptions{
    "method", "klu",  "noacct", "nomod", "post",   "seed",         "acct",
    "nopage", "list", "node",   "opts",  "sparse", "savecurrents", "interp"};

bool isHarmless(std::string_view name) {
  return std::find(kHarmlessOptions.begin(), kHarmlessOptions.end(), name) != kHarmlessOptions.end();
}

double numericOption(const OptionSyntax &option, const ParamLookup &scope) {
  if (!option.value) {
    throw UserError(option.name.loc, fmt::format("option '{}' needs a numeric value", option.name.text));
  }
  return evaluateValue(*option.value, scope);
}

double positiveOption(const OptionSyntax &option, const ParamLookup &scope) {
  const double value = numericOption(option, scope);
  if (!(value > 0)) {
    throw UserError(option.value->loc, fmt::format("option '{}' must be positive", option.name.text));
  }
  return value;
}

int iterationLimit(const OptionSyntax &option, const ParamLookup &scope) {
  const double value = positiveOption(option, scope);
  if (value != std::floor(value) || value > 1e9) {
    throw UserError(option.value->loc, fmt::format("option '{}' must be a whole number", option.name.text));
  }
  return static_cast<int>(value);
}

double temperature(const ValueSyntax &value, const ParamLookup &scope) {
  const double celsius = evaluateValue(value, scope);
  if (!(celsius > -273.15)) {
    throw UserError(value.loc, fmt::format("temperature {:g} °C is below absolute zero", celsius));
  }
  return celsius;
}

double argValue(const ArgSyntax &arg, const ParamLookup &scope) {
  if (arg.kind != CardArg::Kind::Value) {
    throw UserError(arg.loc, fmt::format("expected a number, found '{}'", arg.name));
  }
  return evaluateValue(arg.value, scope);
}

DcSweepSpec dcSweep(const AnalysisCard &card, std::size_t first, const ParamLookup &scope,
                    const InstanceNames &instances, const CircuitSpec &spec) {
  const ArgSyntax &source = card.args[first];
  if (source.kind != CardArg::Kind::Word) {
    throw UserError(source.loc, "'.dc' expects a source name before its start, stop and step");
  }
  DcSweepSpec sweep;
  sweep.source = source.name;
  sweep.loc = source.loc;
  const auto found = instances.find(source.name);
  if (!found) {
    throw UserError(source.loc, fmt::format("'.dc' sweeps '{}', which is not defined", source.name));
  }
  const char letter = spec.instances[*found].letter;
  if (letter != 'v' && letter != 'i') {
    throw UserError(source.loc, fmt::format("'.dc' can sweep only a V or I source, not '{}'", source.name));
  }
  sweep.start = argValue(card.args[first + 1], scope);
  sweep.stop = argValue(card.args[first + 2], scope);
  sweep.step = argValue(card.args[first + 3], scope);
  const SourceLoc &stepLoc = card.args[first + 3].loc;
  if (sweep.step == 0) {
    throw UserError(stepLoc, "'.dc' step must not be zero");
  }
  if ((sweep.stop - sweep.start) * sweep.step < 0) {
    throw UserError(
        stepLoc, fmt::format("'.dc' step {:g} goes away from the stop value {:g}", sweep.step, sweep.stop));
  }
  if (std::fabs(sweep.stop - sweep.start) / std::fabs(sweep.step) > kMaxDcSweepPoints) {
    throw UserError(stepLoc, fmt::format("'.dc' sweep has more than {:g} points", kMaxDcSweepPoints));
  }
  return sweep;
}

AnalysisSpec dcAnalysis(const AnalysisCard &card, const ParamLookup &scope, const InstanceNames &instances,
                        const CircuitSpec &spec) {
  if (card.args.size() != 4 && card.args.size() != 8) {
    throw UserError(card.loc, "'.dc' expects: source start stop step [source2 start2 stop2 step2]");
  }
  DcAnalysisSpec dc;
  dc.outer = dcSweep(card, 0, scope, instances, spec);
  if (card.args.size() == 8) {
    dc.second = dcSweep(card, 4, scope, instances, spec);
    if (dc.second->source == dc.outer.source) {
      throw UserError(dc.second->loc, "'.dc' sweeps the same source twice");
    }
  }
  return AnalysisSpec{dc, card.loc};
}

AnalysisSpec tranAnalysis(const AnalysisCard &card, const ParamLookup &scope) {
  std::vector<ArgSyntax> args = card.args;
  TranAnalysisSpec tran;
  if (!args.empty() && args.back().kind == CardArg::Kind::Word && args.back().name == "uic") {
    tran.uic = true;
    args.pop_back();
  }
  if (args.size() < 2 || args.size() > 4) {
    throw UserError(card.loc, "'.tran' expects: tstep tstop [tstart [tmax]] [uic]");
  }
  tran.tstep = argValue(args[0], scope);
  tran.tstop = argValue(args[1], scope);
  if (args.size() > 2) {
    tran.tstart = argValue(args[2], scope);
  }
  if (args.size() > 3) {
    tran.tmax = argValue(args[3], scope);
  }
  if (!(tran.tstep > 0)) {
    throw UserError(args[0].loc, "'.tran' tstep must be positive");
  }
  if (!(tran.tstop > 0)) {
    throw UserError(args[1].loc, "'.tran' tstop must be positive");
  }
  if (tran.tstart < 0) {
    throw UserError(args[2].loc, "'.tran' tstart must not be negative");
  }
  if (!(tran.tstop > tran.tstart)) {
    throw UserError(args[1].loc,
                    fmt::format("'.tran' tstop ({:g}) must be after tstart ({:g})", tran.tstop, tran.tstart));
  }
  if (tran.tstep > tran.tstop) {
    throw UserError(args[0].loc,
                    fmt::format("'.tran' tstep ({:g}) is larger than tstop ({:g})", tran.tstep, tran.tstop));
  }
  if (tran.tmax < 0) {
    throw UserError(args[3].loc, "'.tran' tmax must not be negative");
  }
  return AnalysisSpec{tran, card.loc};
}

// MNIST and Fashion-MNIST images are 28 x 28.
constexpr int kPixelsPerImage = 28 * 28;

void elaborateDataset(const Deck &deck, CircuitSpec &spec) {
  for (const DatasetCard &card : deck.datasets) {
    if (spec.dataset) {
      throw UserError(card.loc,
                      fmt::format("second '.dataset' (the first is at {})", spec.dataset->loc.str()));
    }
    if (card.name.text != "mnist" && card.name.text != "fashion") {
      throw UserError(card.name.loc,
                      fmt::format("unknown data set '{}' (known: mnist, fashion)", card.name.text));
    }
    DatasetSpec dataset{card.name.text, "test", card.loc};
    if (card.split) {
      if (card.split->text != "test" && card.split->text != "train") {
        throw UserError(card.split->loc,
                        fmt::format("unknown split '{}' (expected test or train)", card.split->text));
      }
      dataset.split = card.split->text;
    }
    spec.dataset = std::move(dataset);
  }
}

void elaborateBindings(const Deck &deck, const ParamLookup &scope, const InstanceNames &instances,
                       CircuitSpec &spec) {
  std::map<std::string, SourceLoc> boundAt; // source -> where it was bound
  for (const BindCard &card : deck.binds) {
    if (!spec.dataset) {
      throw UserError(card.loc, "'.bind' without '.dataset': there are no pixels to bind to");
    }
    if (card.kind.text != "pixel") {
      throw UserError(card.kind.loc,
                      fmt::format("'.bind {}' is not supported (only '.bind pixel')", card.kind.text));
    }
    const double index = evaluateValue(card.index, scope);
    if (index != std::floor(index) || index < 0 || index >= kPixelsPerImage) {
      throw UserError(card.index.loc, fmt::format("pixel index {:g} is not a whole number in 0..{}", index,
                                                  kPixelsPerImage - 1));
    }
    PixelBinding binding{static_cast<int>(index), {}, card.loc};
    for (const Word &source : card.sources) {
      const auto found = instances.find(source.text);
      if (!found) {
        throw UserError(source.loc, fmt::format("'.bind' names '{}', which is not defined", source.text));
      }
      const char letter = spec.instances[*found].letter;
      if (letter != 'v' && letter != 'i') {
        throw UserError(source.loc,
                        fmt::format("'.bind' needs an independent V or I source, not '{}'", source.text));
      }
      const auto [previous, inserted] = boundAt.emplace(source.text, source.loc);
      if (!inserted) {
        throw UserError(source.loc, fmt::format("source '{}' is bound twice (first at {})", source.text,
                                                previous->second.str()));
      }
      binding.sources.push_back(source.text);
    }
    spec.pixelBindings.push_back(std::move(binding));
  }
}

// The nodes a readout vector v(node) or v(a,b) names (ground for a missing
// second node); none for anything else.
std::vector<std::string> readoutNodes(const std::string &text) {
  if (text.size() <= 3 || text.back() != ')' || !text.starts_with("v(")) {
    return {};
  }
  const std::string inside = text.substr(2, text.size() - 3);
  const std::size_t comma = inside.find(',');
  return {inside.substr(0, comma),
          comma == std::string::npos ? std::string(kGroundNode) : inside.substr(comma + 1)};
}

// v(node) and v(a,b) must name nodes of the circuit and i(x) an element;
// whether x really has a branch current is checked when the circuit is built.
void checkReadoutVector(const Word &vector, const std::unordered_set<std::string> &nodes,
                        const InstanceNames &instances) {
  const std::string &text = vector.text;
  if (text.size() > 3 && text.back() == ')' && text.starts_with("i(")) {
    const std::string inside = text.substr(2, text.size() - 3);
    if (!instances.contains(inside)) {
      throw UserError(vector.loc,
                      fmt::format("'.readout' vector {}: there is no element '{}'", text, inside));
    }
    return;
  }
  for (const std::string &node : readoutNodes(text)) {
    if (!nodes.contains(node)) {
      throw UserError(vector.loc, fmt::format("'.readout' vector {}: there is no node '{}'", text, node));
    }
  }
}

void elaborateReadout(const Deck &deck, const ParamLookup &scope, const InstanceNames &instances,
                      CircuitSpec &spec) {
  if (deck.readouts.empty()) {
    return;
  }
  if (deck.readouts.size() > 1) {
    throw UserError(deck.readouts[1].loc,
                    fmt::format("second '.readout' (the first is at {})", deck.readouts[0].loc.str()));
  }
  const ReadoutCard &card = deck.readouts.front();
  if (card.mode.text != "argmax") {
    throw UserError(card.mode.loc,
                    fmt::format("'.readout {}' is not supported (only 'argmax')", card.mode.text));
  }
  if (card.vectors.empty()) {
    throw UserError(card.loc, "'.readout argmax' lists no vectors");
  }
  if (!card.at) {
    throw UserError(card.loc, "'.readout' needs the readout time: at=<time>");
  }
  const TranAnalysisSpec *tran = nullptr;
  for (const AnalysisSpec &analysis : spec.analyses) {
    if (const auto *found = std::get_if<TranAnalysisSpec>(&analysis.kind)) {
      if (tran != nullptr) {
        throw UserError(analysis.loc, "'.readout' needs exactly one '.tran'; this is the second");
      }
      tran = found;
    }
  }
  if (tran == nullptr) {
    throw UserError(card.loc, "'.readout' without '.tran': the readout is taken during a transient analysis");
  }
  const double time = evaluateValue(*card.at, scope);
  if (!(time > 0) || time > tran->tstop) {
    throw UserError(card.at->loc,
                    fmt::format("readout time {:g} s is outside (0, tstop = {:g} s]", time, tran->tstop));
  }
  // Which of the nodes the readout names exist: only those are looked for
  // (the MNIST crossbar has 200k instances and ~100k node names).
  std::unordered_set<std::string> wanted;
  for (const Word &vector : card.vectors) {
    for (std::string &node : readoutNodes(vector.text)) {
      wanted.insert(std::move(node));
    }
  }
  std::unordered_set<std::string> nodes{kGroundNode};
  if (!wanted.empty()) {
    for (const InstanceSpec &instance : spec.instances) {
      for (const std::string &node : instance.nodes) {
        if (wanted.contains(node)) {
          nodes.insert(node);
        }
      }
    }
  }
  ReadoutSpec readout;
  readout.time = time;
  readout.loc = card.loc;
  for (const Word &vector : card.vectors) {
    checkReadoutVector(vector, nodes, instances);
    if (std::find(readout.vectors.begin(), readout.vectors.end(), vector.text) != readout.vectors.end()) {
      throw UserError(vector.loc, fmt::format("'.readout' lists {} twice", vector.text));
    }
    readout.vectors.push_back(vector.text);
    readout.vectorLocs.push_back(vector.loc);
  }
  spec.readout = std::move(readout);

  // The transient must stop exactly at the readout time (no interpolation):
  // a zero current source between ground and ground whose PWL has a corner
  // there makes it a breakpoint without touching the circuit.
  InstanceSpec marker;
  marker.name = kReadoutMarkerName;
  marker.letter = 'i';
  marker.nodes = {kGroundNode, kGroundNode};
  marker.args.push_back(CardArg{CardArg::Kind::Group, "pwl", 0.0, {0.0, 0.0, time, 0.0}, card.loc});
  marker.loc = card.loc;
  spec.instances.push_back(std::move(marker));
}

} // namespace

void applyOptions(const Deck &deck, const ParamLookup &scope, SimOptions &options) {
  for (const OptionSyntax &option : deck.options) {
    const std::string &name = option.name.text;
    if (name == "reltol") {
      options.reltol = positiveOption(option, scope);
    } else if (name == "abstol") {
      options.abstol = positiveOption(option, scope);
    } else if (name == "vntol") {
      options.vntol = positiveOption(option, scope);
    } else if (name == "chgtol") {
      options.chgtol = positiveOption(option, scope);
    } else if (name == "gmin") {
      options.gmin = positiveOption(option, scope);
    } else if (name == "itl1") {
      options.itl1 = iterationLimit(option, scope);
    } else if (name == "itl2") {
      options.itl2 = iterationLimit(option, scope);
    } else if (name == "itl4") {
      options.itl4 = iterationLimit(option, scope);
    } else if (name == "temp" || name == "tnom") {
      if (!option.value) {
        throw UserError(option.name.loc, fmt::format("option '{}' needs a numeric value", name));
      }
      (name == "temp" ? options.temp : options.tnom) = temperature(*option.value, scope);
    } else {
      if (!isHarmless(name)) {
        warn(option.name.loc, fmt::format("option '{}' is not used by dwspice; kept for models", name));
      }
      if (option.value) {
        options.extra[name] = evaluateValue(*option.value, scope);
      } else if (option.word.empty()) {
        options.extra[name] = 1.0; // a flag
      }
    }
  }
  for (const ValueSyntax &temp : deck.temperatures) {
    options.temp = temperature(temp, scope);
  }
}

void elaborateAnalyses(const Deck &deck, const ParamLookup &scope, const InstanceNames &instances,
                       CircuitSpec &spec) {
  for (const AnalysisCard &card : deck.analyses) {
    switch (card.kind) {
    case AnalysisCard::Kind::Op:
      if (!card.args.empty()) {
        throw UserError(card.args.front().loc, "'.op' takes no arguments");
      }
      spec.analyses.push_back(AnalysisSpec{OpAnalysisSpec{}, card.loc});
      break;
    case AnalysisCard::Kind::Dc:
      spec.analyses.push_back(dcAnalysis(card, scope, instances, spec));
      break;
    case AnalysisCard::Kind::Tran:
      spec.analyses.push_back(tranAnalysis(card, scope));
      break;
    }
  }
  for (const OutputCard &card : deck.prints) {
    OutputRequest request{card.analysis, {}, card.loc, {}};
    for (const Word &output : card.outputs) {
      request.outputs.push_back(output.text);
      request.outputLocs.push_back(output.loc);
    }
    spec.prints.push_back(std::move(request));
  }
  for (const OutputCard &card : deck.saves) {
    OutputRequest request{"", {}, card.loc, {}};
    for (const Word &output : card.outputs) {
      request.outputs.push_back(output.text);
      request.outputLocs.push_back(output.loc);
    }
    spec.saves.push_back(std::move(request));
  }
  elaborateDataset(deck, spec);
  elaborateBindings(deck, scope, instances, spec);
  elaborateReadout(deck, scope, instances, spec);
}

} // namespace dwspice
