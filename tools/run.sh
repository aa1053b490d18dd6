#!/usr/bin/env bash
# The main job: install what is missing, build, and run the demo netlist.
#   tools/run.sh [netlist] [extra dwspice options]
# Default netlist: netlists/demo/crossbar_read.cir (until the MNIST crossbar
# demo lands). Output: build/demo/<name>.raw, readable by ngspice's `load`.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/tools/setup.sh"
"$repo/tools/build.sh"
netlist=${1:-$repo/netlists/demo/crossbar_read.cir}
shift || true
mkdir -p "$repo/build/demo"
out="$repo/build/demo/$(basename "${netlist%.*}").raw"
"$repo/build/dwspice" -b -r "$out" "$@" "$netlist"
echo "run: waveforms written to $out" >&2
