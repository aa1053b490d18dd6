// dwspice_characterize: runs the characterisation netlists of the DW neuron
// and the notched synapse (5 and 10 notches) and writes the CSV files the
// training step uses.
//
//   dwspice_characterize --netlists <netlists/characterization> --out <build>/characterization
//
// With --mnist-cells it instead measures the MNIST classifier's cells (see
// mnist_cells.hpp):
//
//   dwspice_characterize --mnist-cells <outdir> [--design design.conf] [--cells cells.inc]
#include "characterize.hpp"
#include "core/diagnostics.hpp"
#include "mnist_cells.hpp"

#include <chrono>
#include <cstring>
#include <exception>
#include <fmt/core.h>

int main(int argc, char **argv) {
  dwspice::characterize::Folders folders{"netlists/characterization", "characterization"};
  // Defaults: the checked-in design files of this source tree.
  const std::filesystem::path mnistSources = std::filesystem::path(DWSPICE_SOURCE_DIR) / "netlists/mnist";
  dwspice::characterize::MnistCellsInputs mnist{mnistSources / "design.conf", mnistSources / "cells.inc", {}};
  for (int i = 1; i < argc; ++i) {
    const bool hasValue = i + 1 < argc;
    if (std::strcmp(argv[i], "--netlists") == 0 && hasValue) {
      folders.netlists = argv[++i];
    } else if (std::strcmp(argv[i], "--out") == 0 && hasValue) {
      folders.output = argv[++i];
    } else if (std::strcmp(argv[i], "--mnist-cells") == 0 && hasValue) {
      mnist.output = argv[++i];
    } else if (std::strcmp(argv[i], "--design") == 0 && hasValue) {
      mnist.design = argv[++i];
    } else if (std::strcmp(argv[i], "--cells") == 0 && hasValue) {
      mnist.cells = argv[++i];
    } else {
      fmt::print(stderr, "usage: dwspice_characterize [--netlists DIR] [--out DIR]\n"
                         "       dwspice_characterize --mnist-cells DIR [--design FILE] [--cells FILE]\n");
      return 2;
    }
  }
  try {
    if (!mnist.output.empty()) {
      const auto start = std::chrono::steady_clock::now();
      dwspice::characterize::characterizeMnistCells(mnist);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fmt::print("mnist cells: {:.2f} s in total; results in {}\n", seconds, mnist.output.string());
      return 0;
    }
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
