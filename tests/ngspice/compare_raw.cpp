// compare_raw: judges whether a candidate raw file (dwspice, or ngspice
// itself in the comparator's self-tests) agrees with an ngspice reference.
//
//   compare_raw [--ref-label NAME] [--cand-label NAME] reference.raw candidate.raw
//
// Prints a per-vector table and PASS/FAIL. Exit status: 0 pass, 1 the
// results disagree, 2 a file is missing or unreadable (so a broken run can
// never be mistaken for an agreeing one).
#include "output/raw_reader.hpp"
#include "waveform_compare.hpp"

#include <exception>
#include <fmt/core.h>
#include <string>
#include <vector>

namespace {

constexpr int kExitAgree = 0;
constexpr int kExitDisagree = 1;
constexpr int kExitError = 2;

void printUsage() {
  fmt::print(stderr,
             "usage: compare_raw [--ref-label NAME] [--cand-label NAME] reference.raw candidate.raw\n");
}

} // namespace

int main(int argc, char **argv) {
  std::string referenceLabel = "ngspice";
  std::string candidateLabel = "dwspice";
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--ref-label" || arg == "--cand-label") && i + 1 < argc) {
      (arg == "--ref-label" ? referenceLabel : candidateLabel) = argv[++i];
    } else if (arg == "-h" || arg == "--help") {
      printUsage();
      return kExitAgree;
    } else if (arg.starts_with("--")) {
      fmt::print(stderr, "compare_raw: unknown option '{}'\n", arg);
      printUsage();
      return kExitError;
    } else {
      files.push_back(arg);
    }
  }
  if (files.size() != 2) {
    printUsage();
    return kExitError;
  }
  try {
    const auto reference = dwspice::readRawFile(files[0]);
    const auto candidate = dwspice::readRawFile(files[1]);
    const auto result = dwspice::compare::compareRawPlots(reference, candidate);
    fmt::print("reference {}: {}\ncandidate {}: {}\n", referenceLabel, files[0], candidateLabel, files[1]);
    fmt::print("{}", dwspice::compare::formatReport(result, referenceLabel, candidateLabel));
    return result.pass() ? kExitAgree : kExitDisagree;
  } catch (const std::exception &error) {
    fmt::print(stderr, "compare_raw: {}\nFAIL: could not compare\n", error.what());
    return kExitError;
  }
}
