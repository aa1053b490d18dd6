#!/usr/bin/env bash
# Configures (once) and builds dwspice in <repo>/build (Release, Ninja).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${DWSPICE_BUILD:-$repo/build}
if [[ ! -f $build/build.ninja ]]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
