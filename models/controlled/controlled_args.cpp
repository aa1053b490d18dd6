#include "controlled/controlled_args.hpp"

#include <fmt/core.h>

namespace dwspice::models {

void rejectNonlinearForms(const InstanceSpec &spec) {
  for (const CardArg &arg : spec.args) {
    const bool keyword = arg.kind == CardArg::Kind::Word || arg.kind == CardArg::Kind::Group;
    if ((keyword && (arg.name == "poly" || arg.name == "table" || arg.name == "value")) ||
        (arg.kind == CardArg::Kind::Assign && (arg.name == "value" || arg.name == "table"))) {
      throw UserError(arg.loc, fmt::format("'{}': the {} form of controlled sources is not supported (only "
                                           "the linear form with a single gain)",
                                           spec.name, arg.name));
    }
  }
}

const std::string &controllingName(const InstanceSpec &spec) {
  if (spec.references.size() != 1) {
    throw UserError(spec.loc,
                    fmt::format("'{}' needs the name of one controlling voltage source", spec.name));
  }
  return spec.references.front();
}

int controllingBranch(MatrixBuilder &builder, const std::string &owner, const std::string &reference,
                      const SourceLoc &loc) {
  Device &device = builder.device(reference, loc);
  const auto *branchOwner = dynamic_cast<const BranchCurrentOwner *>(&device);
  if (branchOwner == nullptr) {
    throw UserError(loc, fmt::format("'{}': controlling element '{}' has no branch current (use a voltage "
                                     "source, e.g. a 0 V one in series, as the current sensor)",
                                     owner, reference));
  }
  return branchOwner->branchIndex();
}

} // namespace dwspice::models
