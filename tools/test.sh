#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test
# (unit tests, ngspice comparisons, CLI end-to-end). Exit status is non-zero
# if anything fails. Extra arguments go to ctest (e.g. -L ngspice, -R diode).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/tools/setup.sh"
"$repo/tools/build.sh"
cd "${DWSPICE_BUILD:-$repo/build}"
ctest --output-on-failure -j"$(nproc)" --timeout 600 "$@"
