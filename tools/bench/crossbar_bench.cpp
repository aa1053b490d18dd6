// crossbar_bench: times dwspice against ngspice on generated crossbars and
// checks that both give the same answer (the ngspice suite's metric on the
// column currents and a few node voltages).
//
//   crossbar_bench --dwspice EXE [--ngspice EXE] [--workdir DIR] [--ngspice-timeout S]
//                  [--sizes 16,32,64,128] [--reps 3] [--skip-ngspice-above N]
//                  [--no-ideal] [--seed S] [--emit DIR]
//
// Cases: the ideal 784x128 resistive crossbar (.op) and NxN crossbars with
// wire R and C per segment (10 ns pulsed .tran) for each --sizes entry.
// Each simulator runs --reps times back to back; the table shows medians.
// Parse + elaborate (and assembly) of the 784x128 netlist is timed in this
// process through the frontend API, so no CLI flag is needed for it.
#include "crossbar_netlist.hpp"

#include "core/circuit.hpp"
#include "elaborate/load_netlist.hpp"
#include "output/raw_reader.hpp"
#include "waveform_compare.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <optional>
#include <set>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace dwspice;

namespace {

struct Options {
  std::string dwspice;
  std::string ngspice = "ngspice";
  fs::path workdir = "bench-work";
  std::vector<int> sizes{16, 32, 64, 128};
  int reps = 3;
  std::optional<int> skipNgspiceAbove;
  std::optional<double> ngspiceTimeout; // seconds; ngspice is killed and reported as "> limit"
  bool ideal = true;
  std::uint64_t seed = 20261123;
  std::optional<fs::path> emitOnly;
};

struct RunResult {
  bool ok = false;
  double seconds = 0;    // wall clock
  double cpuSeconds = 0; // user + system time of the child: steadier than wall
                         // clock on a machine shared with builds
  std::string failure;
  bool timedOut = false;
};

// Runs argv with stdout/stderr to `log`, returns exit status and wall time.
// With a timeout the child is killed once it has run that long (wall clock).
RunResult runTimed(const std::vector<std::string> &argv, const fs::path &workingDir, const fs::path &log,
                   std::optional<double> timeout) {
  std::vector<char *> args;
  args.reserve(argv.size() + 1);
  for (const auto &arg : argv) {
    args.push_back(const_cast<char *>(arg.c_str())); // execvp wants char*; it does not write
  }
  args.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    return {false, 0, 0, fmt::format("fork failed: {}", std::strerror(errno))};
  }
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    if (chdir(workingDir.c_str()) != 0) {
      _exit(126);
    }
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  bool timedOut = false;
  while (true) {
    const pid_t done = wait4(pid, &status, timeout ? WNOHANG : 0, &usage);
    if (done == pid || (done < 0 && errno != EINTR)) {
      break;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (timeout && !timedOut && elapsed > *timeout) {
      kill(pid, SIGKILL);
      timedOut = true;
    }
    if (timeout) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  const auto toSeconds = [](const timeval &tv) { return static_cast<double>(tv.tv_sec) + 1e-6 * tv.tv_usec; };
  const double cpuSeconds = toSeconds(usage.ru_utime) + toSeconds(usage.ru_stime);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (timedOut) {
    RunResult result{false, seconds, cpuSeconds, fmt::format("stopped after {:.0f} s", seconds)};
    result.timedOut = true;
    return result;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    return {true, seconds, cpuSeconds, {}};
  }
  const std::string why = WIFEXITED(status) ? fmt::format("exit status {}", WEXITSTATUS(status))
                                            : fmt::format("killed by signal {}", WTERMSIG(status));
  return {false, seconds, cpuSeconds, fmt::format("{} (log: {})", why, log.string())};
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

struct SimulatorTiming {
  bool ran = false;
  bool ok = true;
  double medianSeconds = 0;
  double medianCpuSeconds = 0;
  std::string failure;
  bool timedOut = false; // ok is false; the medians hold the lower bounds
};

SimulatorTiming timeSimulator(const std::vector<std::string> &command, const fs::path &deck,
                              const fs::path &raw, const fs::path &log, int reps,
                              std::optional<double> timeout = std::nullopt) {
  SimulatorTiming timing;
  timing.ran = true;
  std::vector<double> seconds;
  std::vector<double> cpuSeconds;
  for (int rep = 0; rep < reps; ++rep) {
    fs::remove(raw);
    std::vector<std::string> argv = command;
    argv.insert(argv.end(), {"-r", raw.string(), deck.filename().string()});
    const RunResult run = runTimed(argv, deck.parent_path(), log, timeout);
    if (run.timedOut) {
      timing.ok = false;
      timing.timedOut = true;
      timing.medianSeconds = run.seconds;
      timing.medianCpuSeconds = run.cpuSeconds;
      timing.failure = run.failure;
      return timing;
    }
    if (!run.ok || !fs::exists(raw)) {
      timing.ok = false;
      timing.failure = run.ok ? fmt::format("no raw file written (log: {})", log.string()) : run.failure;
      return timing;
    }
    seconds.push_back(run.seconds);
    cpuSeconds.push_back(run.cpuSeconds);
  }
  timing.medianSeconds = median(seconds);
  timing.medianCpuSeconds = median(cpuSeconds);
  return timing;
}

struct Row {
  std::string label;
  long unknowns = 0;
  SimulatorTiming dwspice, ngspice;
  std::string agreement;
};

std::string agreementOf(const fs::path &ngspiceRaw, const fs::path &dwspiceRaw,
                        const std::vector<std::string> &checked) {
  try {
    const std::set<std::string> wanted(checked.begin(), checked.end());
    const auto result =
        compare::compareRawPlots(readRawFile(ngspiceRaw), readRawFile(dwspiceRaw),
                                 [&](const std::string &name) { return wanted.contains(name); });
    double worstMax = 0;
    double worstRms = 0;
    std::size_t vectors = 0;
    for (const auto &plot : result.plots) {
      for (const auto &v : plot.vectors) {
        ++vectors;
        worstMax = std::max(worstMax, v.missing ? HUGE_VAL : v.max);
        worstRms = std::max(worstRms, v.missing ? HUGE_VAL : v.rms);
      }
    }
    if (!result.pass()) {
      const fs::path report = dwspiceRaw.parent_path() / "agreement.txt";
      std::ofstream(report) << compare::formatReport(result, "ngspice", "dwspice");
      return fmt::format("FAIL ({} vec, max e {:.3g}; see {})", vectors, worstMax, report.string());
    }
    return fmt::format("PASS ({} vec, max e {:.3g}, rms {:.3g})", vectors, worstMax, worstRms);
  } catch (const std::exception &error) {
    return fmt::format("ERROR: {}", error.what());
  }
}

Row benchCase(const Options &options, const std::string &label, int ngspiceSize,
              const bench::CrossbarNetlist &netlist) {
  Row row;
  row.label = label;
  row.unknowns = netlist.unknowns;
  const fs::path dir = options.workdir / label;
  fs::create_directories(dir);
  const fs::path deck = fs::absolute(dir / "deck.cir");
  std::ofstream(deck) << netlist.text;

  fmt::print(stderr, "[bench] {}: dwspice x{}\n", label, options.reps);
  row.dwspice = timeSimulator({options.dwspice, "-b"}, deck, fs::absolute(dir / "dwspice.raw"),
                              fs::absolute(dir / "dwspice.log"), options.reps);
  const bool skipNgspice = options.skipNgspiceAbove && ngspiceSize > *options.skipNgspiceAbove;
  if (!skipNgspice) {
    fmt::print(stderr, "[bench] {}: ngspice x{}\n", label, options.reps);
    row.ngspice = timeSimulator({options.ngspice, "-b", "-n"}, deck, fs::absolute(dir / "ngspice.raw"),
                                fs::absolute(dir / "ngspice.log"), options.reps, options.ngspiceTimeout);
  }
  if (!row.dwspice.ok) {
    row.agreement = "dwspice failed: " + row.dwspice.failure;
  } else if (!row.ngspice.ran) {
    row.agreement = "not checked (ngspice skipped)";
  } else if (row.ngspice.timedOut) {
    row.agreement = fmt::format("not checked (ngspice {})", row.ngspice.failure);
  } else if (!row.ngspice.ok) {
    row.agreement = "ngspice failed: " + row.ngspice.failure;
  } else {
    row.agreement = agreementOf(dir / "ngspice.raw", dir / "dwspice.raw", netlist.checkedVectors);
  }
  return row;
}

std::string seconds(const SimulatorTiming &timing, bool cpu) {
  if (!timing.ran) {
    return "skipped";
  }
  const double value = cpu ? timing.medianCpuSeconds : timing.medianSeconds;
  if (timing.timedOut) {
    return fmt::format(">{:.0f}", value);
  }
  return timing.ok ? fmt::format("{:.3f}", value) : "failed";
}

std::string ratio(const SimulatorTiming &dwspice, const SimulatorTiming &ngspice, bool cpu) {
  if (!dwspice.ok || !ngspice.ran || (!ngspice.ok && !ngspice.timedOut)) {
    return "-";
  }
  const double d = cpu ? dwspice.medianCpuSeconds : dwspice.medianSeconds;
  const double n = cpu ? ngspice.medianCpuSeconds : ngspice.medianSeconds;
  if (d <= 0) {
    return "-";
  }
  return fmt::format("{}{:.2f}", ngspice.timedOut ? ">" : "", n / d);
}

std::string formatRow(const Row &row) {
  return fmt::format("{:<20} {:>9} {:>10} {:>10} {:>7} {:>10} {:>10} {:>9}  {}", row.label, row.unknowns,
                     seconds(row.dwspice, false), seconds(row.ngspice, false),
                     ratio(row.dwspice, row.ngspice, false), seconds(row.dwspice, true),
                     seconds(row.ngspice, true), ratio(row.dwspice, row.ngspice, true), row.agreement);
}

void printTable(const std::vector<Row> &rows, int reps) {
  fmt::print(
      "\ncrossbar benchmark (median of {} runs; wall clock incl. process start and raw output, and the\n"
      "child's user+system CPU time, which is steadier on a shared machine; '>' = ngspice stopped at the\n"
      "--ngspice-timeout limit)\n",
      reps);
  fmt::print("{:<20} {:>9} {:>10} {:>10} {:>7} {:>10} {:>10} {:>9}  {}\n", "case", "unknowns", "dwspice s",
             "ngspice s", "ng/dw", "dw cpu s", "ng cpu s", "cpu ng/dw", "agreement");
  for (const Row &row : rows) {
    fmt::print("{}\n", formatRow(row));
  }
}

// Parse + elaborate and assembly of the big netlist, in process.
void timeFrontend(const fs::path &deck) {
  try {
    const auto start = std::chrono::steady_clock::now();
    const CircuitSpec spec = loadNetlist(deck);
    const auto parsed = std::chrono::steady_clock::now();
    const Circuit circuit(spec);
    const auto assembled = std::chrono::steady_clock::now();
    fmt::print("784x128 ideal: parse+elaborate {:.3f} s ({} instances), assembly {:.3f} s ({} unknowns, {} "
               "nonzeros)\n",
               std::chrono::duration<double>(parsed - start).count(), spec.instances.size(),
               std::chrono::duration<double>(assembled - parsed).count(), circuit.size(),
               circuit.pattern().nonZeros());
  } catch (const std::exception &error) {
    fmt::print("784x128 ideal: frontend failed: {}\n", error.what());
  }
}

std::vector<int> parseSizes(const std::string &text) {
  std::vector<int> sizes;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    if (!item.empty()) {
      const int size = std::stoi(item);
      if (size < 2) {
        throw std::invalid_argument("crossbar size must be at least 2");
      }
      sizes.push_back(size);
    }
    pos = comma + 1;
  }
  return sizes;
}

void printUsage() {
  fmt::print(stderr,
             "usage: crossbar_bench --dwspice EXE [--ngspice EXE] [--workdir DIR] [--sizes 16,32,64,128]\n"
             "                      [--reps N] [--skip-ngspice-above N] [--ngspice-timeout SECONDS]\n"
             "                      [--no-ideal] [--seed S]\n"
             "                      [--emit DIR]   (only write the netlists)\n");
}

Options parseOptions(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        throw std::invalid_argument(arg + " needs a value");
      }
      return argv[++i];
    };
    if (arg == "--dwspice") {
      options.dwspice = value();
    } else if (arg == "--ngspice") {
      options.ngspice = value();
    } else if (arg == "--workdir") {
      options.workdir = value();
    } else if (arg == "--sizes") {
      options.sizes = parseSizes(value());
    } else if (arg == "--reps") {
      options.reps = std::stoi(value());
      if (options.reps < 1) {
        throw std::invalid_argument("--reps must be at least 1");
      }
    } else if (arg == "--skip-ngspice-above") {
      options.skipNgspiceAbove = std::stoi(value());
    } else if (arg == "--ngspice-timeout") {
      options.ngspiceTimeout = std::stod(value());
    } else if (arg == "--no-ideal") {
      options.ideal = false;
    } else if (arg == "--seed") {
      options.seed = std::stoull(value());
    } else if (arg == "--emit") {
      options.emitOnly = fs::path(value());
    } else {
      throw std::invalid_argument("unknown option " + arg);
    }
  }
  if (options.dwspice.empty() && !options.emitOnly) {
    throw std::invalid_argument("--dwspice EXE is required");
  }
  return options;
}

int emitNetlists(const Options &options) {
  fs::create_directories(*options.emitOnly);
  const auto write = [&](const std::string &name, const std::string &text) {
    std::ofstream(*options.emitOnly / name) << text;
    fmt::print("wrote {}\n", (*options.emitOnly / name).string());
  };
  if (options.ideal) {
    write("crossbar_784x128_ideal_op.cir", bench::idealCrossbarOp(784, 128, options.seed).text);
  }
  for (const int n : options.sizes) {
    write(fmt::format("crossbar_{}x{}_wired_tran.cir", n, n),
          bench::wiredCrossbar(n, bench::WiredAnalysis::Tran, options.seed).text);
    write(fmt::format("crossbar_{}x{}_wired_op.cir", n, n),
          bench::wiredCrossbar(n, bench::WiredAnalysis::Op, options.seed).text);
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  try {
    options = parseOptions(argc, argv);
  } catch (const std::exception &error) {
    fmt::print(stderr, "crossbar_bench: {}\n", error.what());
    printUsage();
    return 2;
  }
  if (options.emitOnly) {
    return emitNetlists(options);
  }
  options.dwspice = fs::absolute(options.dwspice).string();
  fs::create_directories(options.workdir);
  options.workdir = fs::absolute(options.workdir);

  std::vector<Row> rows;
  bool allAgree = true;
  if (options.ideal) {
    const auto netlist = bench::idealCrossbarOp(784, 128, options.seed);
    // ngspice needs only seconds here, so --skip-ngspice-above never applies.
    rows.push_back(benchCase(options, "ideal_784x128_op", 0, netlist));
    fmt::print(stderr, "[bench] done: {}\n", formatRow(rows.back())); // long runs: results as they come
    timeFrontend(options.workdir / "ideal_784x128_op" / "deck.cir");
  }
  for (const int n : options.sizes) {
    const auto netlist = bench::wiredCrossbar(n, bench::WiredAnalysis::Tran, options.seed);
    rows.push_back(benchCase(options, fmt::format("wired_{}x{}_tran", n, n), n, netlist));
    fmt::print(stderr, "[bench] done: {}\n", formatRow(rows.back()));
  }
  printTable(rows, options.reps);
  for (const Row &row : rows) {
    allAgree = allAgree && row.dwspice.ok && (!row.ngspice.ran || row.ngspice.ok) &&
               (row.agreement.starts_with("PASS") || row.agreement.starts_with("not checked"));
  }
  return allAgree ? 0 : 1;
}
