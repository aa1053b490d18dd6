#include "elaborate/directives.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>

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
                    const std::unordered_map<std::string, std::size_t> &instances, const CircuitSpec &spec) {
  const ArgSyntax &source = card.args[first];
  if (source.kind != CardArg::Kind::Word) {
    throw UserError(source.loc, "'.dc' expects a source name before its start, stop and step");
  }
  DcSweepSpec sweep;
  sweep.source = source.name;
  sweep.loc = source.loc;
  const auto found = instances.find(source.name);
  if (found == instances.end()) {
    throw UserError(source.loc, fmt::format("'.dc' sweeps '{}', which is not defined", source.name));
  }
  const char letter = spec.instances[found->second].letter;
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
  if (std::fabs(sweep.stop - sweep.start) / std::fabs(sweep.step) > 1e8) {
    throw UserError(stepLoc, "'.dc' sweep has more than 10^8 points");
  }
  return sweep;
}

AnalysisSpec dcAnalysis(const AnalysisCard &card, const ParamLookup &scope,
                        const std::unordered_map<std::string, std::size_t> &instances,
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

void elaborateAnalyses(const Deck &deck, const ParamLookup &scope,
                       const std::unordered_map<std::string, std::size_t> &instances, CircuitSpec &spec) {
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
    OutputRequest request{card.analysis, {}, card.loc};
    for (const Word &output : card.outputs) {
      request.outputs.push_back(output.text);
    }
    spec.prints.push_back(std::move(request));
  }
  for (const OutputCard &card : deck.saves) {
    OutputRequest request{"", {}, card.loc};
    for (const Word &output : card.outputs) {
      request.outputs.push_back(output.text);
    }
    spec.saves.push_back(std::move(request));
  }
}

} // namespace dwspice
