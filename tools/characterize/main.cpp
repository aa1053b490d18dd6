// dwspice_characterize: runs the characterisation netlists of the DW neuron
// and the notched synapse (5 and 10 notches) and writes the CSV files the
// training step uses.
//
//   dwspice_characterize --netlists <netlists/characterization> --out <build>/characterization
#include "characterize.hpp"
#include "core/diagnostics.hpp"

#include <chrono>
#include <cstring>
#include <exception>
#include <fmt/core.h>

int main(int argc, char **argv) {
  dwspice::characterize::Folders folders{"netlists/characterization", "characterization"};
  for (int i = 1; i < argc; ++i) {
    const bool hasValue = i + 1 < argc;
    if (std::strcmp(argv[i], "--netlists") == 0 && hasValue) {
      folders.netlists = argv[++i];
    } else if (std::strcmp(argv[i], "--out") == 0 && hasValue) {
      folders.output = argv[++i];
    } else {
      fmt::print(stderr, "usage: dwspice_characterize [--netlists DIR] [--out DIR]\n");
      return 2;
    }
  }
  try {
    std::filesystem::create_directories(folders.output);
    const auto start = std::chrono::steady_clock::now();
    dwspice::characterize::characterizeNeuron(folders);
    bool ok = true;
    for (const int notches : {5, 10}) {
      ok = dwspice::characterize::characterizeSynapse(folders, notches) && ok;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("characterisation: {:.2f} s in total; results in {}\n", seconds, folders.output.string());
    return ok ? 0 : 1;
  } catch (const dwspice::UserError &error) {
    fmt::print(stderr, "{}\n", error.what());
  } catch (const std::exception &error) {
    fmt::print(stderr, "error: {}\n", error.what());
  }
  return 1;
}
