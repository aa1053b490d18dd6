// Random-mutation fuzzing of the frontend over a corpus of valid netlists:
// every mutated input must either elaborate or throw UserError — never crash,
// hang or throw anything else. Inputs that once broke the frontend live in
// tests/fuzz/regressions/ and are replayed here.
#include "../fuzz/netlist_mutator.hpp"
#include "test_parse_support.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

using namespace dwspice;
namespace fs = std::filesystem;

namespace {

fs::path fuzzDirectory() {
  return fs::path(__FILE__).parent_path().parent_path() / "fuzz";
}

std::string readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> filesIn(const fs::path &directory) {
  std::vector<fs::path> files;
  if (fs::is_directory(directory)) {
    for (const auto &entry : fs::directory_iterator(directory)) {
      if (entry.is_regular_file()) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Warnings of thousands of mutated netlists would drown the test log.
class SilenceStderr {
public:
  SilenceStderr() : saved_(dup(STDERR_FILENO)) {
    std::fflush(stderr);
    if (std::FILE *null = std::fopen("/dev/null", "w")) {
      dup2(fileno(null), STDERR_FILENO);
      std::fclose(null);
    }
  }
  ~SilenceStderr() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      dup2(saved_, STDERR_FILENO);
      close(saved_);
    }
  }
  SilenceStderr(const SilenceStderr &) = delete;
  SilenceStderr &operator=(const SilenceStderr &) = delete;

private:
  int saved_;
};

// Result of one input: empty if it elaborated or raised a UserError.
std::string misbehaviour(const std::string &text, const fs::path &base, int *accepted = nullptr) {
  try {
    (void)loadNetlistText(text, "fuzz.cir", base);
    if (accepted != nullptr) {
      ++*accepted;
    }
  } catch (const UserError &) {
  } catch (const std::exception &e) {
    return fmt::format("{} escaped: {}", typeid(e).name(), e.what());
  } catch (...) {
    return "a non-standard exception escaped";
  }
  return {};
}

} // namespace

TEST_CASE("fuzz: mutated netlists elaborate or raise UserError") {
  const fs::path corpusDir = fuzzDirectory() / "corpus";
  std::vector<std::string> corpus;
  for (const fs::path &file : filesIn(corpusDir)) {
    if (file.extension() == ".cir") {
      corpus.push_back(readFile(file));
    }
  }
  REQUIRE(corpus.size() >= 5);
  // Every corpus netlist is valid to begin with.
  for (const std::string &text : corpus) {
    CHECK_NOTHROW((void)loadNetlistText(text, "corpus.cir", fuzzDirectory()));
  }

  // DWSPICE_FUZZ_SECONDS lengthens a run for deliberate fuzzing sessions.
  double budget = 8.0;
  if (const char *env = std::getenv("DWSPICE_FUZZ_SECONDS")) {
    budget = std::max(0.1, std::atof(env));
  }
  std::mt19937 rng(20261123);
  const auto start = std::chrono::steady_clock::now();
  int runs = 0;
  int accepted = 0;
  int failures = 0;
  {
    SilenceStderr quiet;
    while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < budget) {
      const std::string &seed = corpus[static_cast<std::size_t>(runs) % corpus.size()];
      const std::string input = fuzz::mutate(seed, rng);
      ++runs;
      const std::string problem = misbehaviour(input, fuzzDirectory(), &accepted);
      if (!problem.empty()) {
        ++failures;
        const fs::path saved = fs::temp_directory_path() / fmt::format("dwspice_fuzz_failure_{}.cir", runs);
        std::ofstream(saved, std::ios::binary) << input;
        FAIL_CHECK(problem << " (input saved to " << saved.string() << ")");
        if (failures > 5) {
          break;
        }
      }
    }
  }
  fmt::print("fuzz: {} mutated netlists in {:.1f} s, {} elaborated, the rest raised UserError\n", runs,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), accepted);
  CHECK(runs > 100);
  // Mutations must not be so destructive that only the error paths are tried.
  CHECK(accepted > runs / 20);
}

TEST_CASE("fuzz: regression inputs") {
  SilenceStderr quiet;
  for (const fs::path &file : filesIn(fuzzDirectory() / "regressions")) {
    if (file.extension() != ".cir") {
      continue;
    }
    INFO("regression file: " << file.string());
    CHECK(misbehaviour(readFile(file), fuzzDirectory()).empty());
  }
}
