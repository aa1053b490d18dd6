// Stand-alone fuzz harness for the frontend, meant to be built with
// sanitizers (ASan/UBSan) so memory errors show up, not only crashes:
//
//   dwspice_fuzz_frontend <fuzz-dir> [seconds] [seed]
//
// reads <fuzz-dir>/corpus/*.cir, mutates them and loads each result. Every
// input must elaborate or throw UserError. A failing input is written to
// ./fuzz_failure.cir (also when a sanitizer aborts the process) so it can be
// added to tests/fuzz/regressions/.
//
// Linked with the models, the real registry is used; built from the
// frontend alone, element letters are registered here with the same syntax
// so every card kind is reachable (the frontend never builds devices).
#include "core/device_registry.hpp"
#include "elaborate/load_netlist.hpp"
#include "netlist_mutator.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#if defined(__SANITIZE_ADDRESS__) && __has_include(<sanitizer/common_interface_defs.h>)
#include <sanitizer/common_interface_defs.h>
#define DWSPICE_HAVE_SANITIZER_CALLBACK 1
#endif

namespace fs = std::filesystem;
using namespace dwspice;

namespace {

std::string currentInput; // what is being loaded, for the death callback

void saveCurrentInput() {
  if (std::FILE *out = std::fopen("fuzz_failure.cir", "wb")) {
    std::fwrite(currentInput.data(), 1, currentInput.size(), out);
    std::fclose(out);
  }
}

void registerMissing(char letter, const std::string &modelType, int terminals, int references) {
  DeviceRegistry &registry = DeviceRegistry::instance();
  if (registry.find(letter, modelType) == nullptr) {
    registry.add(DeviceDescriptor{letter, modelType, terminals, references, "fuzz mirror", nullptr});
  }
}

void registerElementSyntax() {
  for (const char letter : {'r', 'c', 'l', 'v', 'i'}) {
    registerMissing(letter, "", 2, 0);
  }
  registerMissing('k', "", 0, 2);
  registerMissing('e', "", 4, 0);
  registerMissing('g', "", 4, 0);
  registerMissing('f', "", 2, 1);
  registerMissing('h', "", 2, 1);
  registerMissing('d', "d", 2, 0);
  registerMissing('m', "nmos", 4, 0);
  registerMissing('m', "pmos", 4, 0);
  registerMissing('n', "mtj", 2, 0);
  registerMissing('n', "dwneuron", 4, 0);
  registerMissing('n', "dwsynapse", 4, 0);
}

std::string readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: {} <fuzz-dir> [seconds] [seed]\n", argv[0]);
    return 2;
  }
  const fs::path directory = argv[1];
  const double seconds = argc > 2 ? std::atof(argv[2]) : 60.0;
  const unsigned seed = argc > 3 ? static_cast<unsigned>(std::strtoul(argv[3], nullptr, 10)) : 1U;
#ifdef DWSPICE_HAVE_SANITIZER_CALLBACK
  __sanitizer_set_death_callback(&saveCurrentInput);
#endif
  registerElementSyntax();

  std::vector<std::string> corpus;
  for (const auto &entry : fs::directory_iterator(directory / "corpus")) {
    if (entry.path().extension() == ".cir") {
      corpus.push_back(readFile(entry.path()));
    }
  }
  if (corpus.empty()) {
    fmt::print(stderr, "no corpus in {}\n", (directory / "corpus").string());
    return 2;
  }
  // Warnings would flood the terminal.
  if (std::freopen("/dev/null", "w", stderr) == nullptr) {
    return 2;
  }

  std::mt19937 rng(seed);
  const auto start = std::chrono::steady_clock::now();
  long runs = 0;
  long accepted = 0;
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < seconds) {
    currentInput = fuzz::mutate(corpus[static_cast<std::size_t>(runs) % corpus.size()], rng);
    ++runs;
    try {
      (void)loadNetlistText(currentInput, "fuzz.cir", directory);
      ++accepted;
    } catch (const UserError &) {
    } catch (const std::exception &e) {
      saveCurrentInput();
      fmt::print("run {}: {} escaped: {} (input in fuzz_failure.cir)\n", runs, typeid(e).name(), e.what());
      return 1;
    }
  }
  fmt::print("{} inputs, {} elaborated, no failures\n", runs, accepted);
  return 0;
}
