// dwspice: the batch command line. Parsing lives in cli_options, the run in
// simulation_run; main only maps outcomes to exit statuses:
//   0 success, 1 user error (netlist, simulation, files), 2 usage, 3 internal.
#include "cli_options.hpp"
#include "core/diagnostics.hpp"
#include "run_log.hpp"
#include "simulation_run.hpp"

#include <fmt/core.h>
#include <string_view>
#include <system_error>
#include <vector>

#ifndef DWSPICE_VERSION
#define DWSPICE_VERSION "unknown"
#endif

namespace {

enum ExitStatus { kSuccess = 0, kUserError = 1, kUsageError = 2, kInternalError = 3 };

int run(const dwspice::cli::CliOptions &options, dwspice::cli::RunLog &log) {
  using dwspice::cli::CliAction;
  switch (options.action) {
  case CliAction::Help:
    fmt::print("{}", dwspice::cli::usageText());
    return kSuccess;
  case CliAction::Version:
    fmt::print("dwspice {}\n", DWSPICE_VERSION);
    return kSuccess;
  case CliAction::ListDevices:
    dwspice::cli::listDevices(stdout);
    return kSuccess;
  case CliAction::Run:
    break;
  }
  if (options.logFile) {
    log.redirectTo(*options.logFile);
  }
  dwspice::cli::runSimulation(options, log);
  return kSuccess;
}

} // namespace

int main(int argc, char **argv) {
  dwspice::cli::RunLog log;
  try {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    const dwspice::cli::CliOptions options = dwspice::cli::parseCommandLine(args);
    const int status = run(options, log);
    if (std::fflush(stdout) != 0) {
      log.error("dwspice: error: cannot write to stdout");
      return kUserError;
    }
    return status;
  } catch (const dwspice::cli::UsageError &e) {
    log.error(fmt::format("dwspice: {}\nTry 'dwspice --help' for more information.", e.what()));
    return kUsageError;
  } catch (const dwspice::UserError &e) {
    std::fflush(stdout); // keep whatever was printed before the error ahead of it
    log.error(e.what());
    return kUserError;
  } catch (const std::system_error &e) {
    // fmt reports a failed write to stdout this way (closed pipe, full disk):
    // a problem of the environment, not of dwspice.
    log.error(fmt::format("dwspice: error: {}", e.what()));
    return kUserError;
  } catch (const std::exception &e) {
    std::fflush(stdout);
    log.error(fmt::format("dwspice: internal error: {}", e.what()));
    return kInternalError;
  } catch (...) {
    log.error("dwspice: internal error: unknown exception");
    return kInternalError;
  }
}
