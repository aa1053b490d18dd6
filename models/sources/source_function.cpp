#include "sources/source_function.hpp"

#include "core/param_reader.hpp"

#include <cmath>
#include <cstdint>
#include <fmt/core.h>

namespace dwspice::models {
namespace {

bool isUnsupportedFunction(const std::string &name) {
  return name == "sffm" || name == "am" || name == "trnoise" || name == "trrandom" || name == "distof1" ||
         name == "distof2" || name == "external";
}

} // namespace

SourceFunction::SourceFunction(const DeviceBuildContext &ctx) {
  const InstanceSpec &spec = ctx.spec;
  const ArgList &args = spec.args;
  std::optional<double> dc;
  bool acSeen = false;
  std::string functionName;
  SourceLoc functionLoc;
  std::vector<WaveformArg> functionArgs;

  // Values following a keyword written without parentheses (`dc 1`,
  // `pulse 0 1 1n`) belong to that keyword.
  auto takeValues = [&](size_t &i, size_t most) {
    std::vector<WaveformArg> values;
    while (i + 1 < args.size() && args[i + 1].kind == CardArg::Kind::Value && values.size() < most) {
      ++i;
      values.push_back({args[i].value, args[i].loc});
    }
    return values;
  };
  auto groupValues = [](const CardArg &arg) {
    std::vector<WaveformArg> values;
    for (double v : arg.values) {
      values.push_back({v, arg.loc});
    }
    return values;
  };
  auto setDc = [&](double value, const SourceLoc &loc) {
    if (dc) {
      throw UserError(loc, fmt::format("'{}': DC value given twice", spec.name));
    }
    if (!std::isfinite(value)) {
      throw UserError(loc, fmt::format("'{}': DC value is not a finite number", spec.name));
    }
    dc = value;
  };

  for (size_t i = 0; i < args.size(); ++i) {
    const CardArg &arg = args[i];
    if (arg.kind == CardArg::Kind::Assign) {
      continue; // r= and td= of PWL, read below
    }
    if (arg.kind == CardArg::Kind::Value) {
      if (i != 0) {
        throw UserError(arg.loc, fmt::format("'{}': unexpected value {:g} (a bare DC value must come first)",
                                             spec.name, arg.value));
      }
      setDc(arg.value, arg.loc);
      continue;
    }
    const bool isGroup = arg.kind == CardArg::Kind::Group;
    std::vector<WaveformArg> values = isGroup ? groupValues(arg)
                                              : takeValues(i, arg.name == "dc"   ? 1
                                                              : arg.name == "ac" ? 2
                                                                                 : SIZE_MAX);
    if (arg.name == "dc") {
      if (values.size() != 1) {
        throw UserError(arg.loc, fmt::format("'{}': DC needs one value", spec.name));
      }
      setDc(values[0].value, arg.loc);
    } else if (arg.name == "ac") {
      if (acSeen || values.size() > 2) {
        throw UserError(arg.loc,
                        fmt::format("'{}': AC takes a magnitude and an optional phase, once", spec.name));
      }
      acSeen = true; // accepted; there is no AC analysis yet
    } else if (isWaveformName(arg.name)) {
      if (!functionName.empty()) {
        throw UserError(arg.loc, fmt::format("'{}': second source function '{}' (already has '{}')",
                                             spec.name, arg.name, functionName));
      }
      functionName = arg.name;
      functionLoc = arg.loc;
      functionArgs = std::move(values);
    } else if (isUnsupportedFunction(arg.name)) {
      throw UserError(arg.loc, fmt::format("'{}': source function '{}' is not supported (use PULSE, SIN, EXP "
                                           "or PWL)",
                                           spec.name, arg.name));
    } else {
      throw UserError(arg.loc, fmt::format("'{}': unexpected '{}' (expected DC, AC, PULSE, SIN, EXP or PWL)",
                                           spec.name, arg.name));
    }
  }

  ParamReader params(spec);
  PwlOptions pwl;
  if (functionName == "pwl") {
    if (params.has("r")) {
      pwl.repeatFrom = params.get("r", 0.0);
      pwl.repeatLoc = params.where("r");
    }
    pwl.delay = params.get("td", 0.0);
  }
  params.finish(); // anything else (or r=/td= without PWL) is an error

  if (!functionName.empty()) {
    const TranTimes tran = ctx.tran != nullptr ? TranTimes{ctx.tran->tstep, ctx.tran->tstop} : TranTimes{};
    waveform_ = makeWaveform(functionName, functionArgs, functionLoc, tran, pwl);
  }
  if (!dc && !waveform_) {
    warn(spec.loc, fmt::format("'{}' has no value, DC 0 assumed", spec.name));
  }
  // ngspice: without a DC value the operating point uses the waveform at t = 0.
  dcValue_ = dc ? *dc : (waveform_ ? waveform_->value(0.0) : 0.0);
}

} // namespace dwspice::models
