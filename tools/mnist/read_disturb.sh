#!/usr/bin/env bash
# Read-disturb check of the crossbar synapses (docs/mnist.md, "Read mode").
#
#   read_disturb.sh <bin-dir> <weights> <design.conf> <cells.inc> <work-dir> [image …]
#
# Generates the classifier with --synapse-mode dynamic (every synapse keeps its
# wall dynamics: q/phi unknowns, pinning wells, confinement) and simulates the
# given test images (default 0 1) one by one, saving every synapse's wall
# position. tools/mnist/read_disturb then checks, on each raw file, that every
# wall stays inside its notch (|q(t) - q(0)| < notch radius) for the whole
# inference cycle, and prints the largest displacement. <bin-dir> holds dwgen,
# dwspice and read_disturb (a build folder's tools/mnist and its root).
# Exit status: 0 all walls stayed, 1 a wall left its notch, 2 a step failed.
set -euo pipefail
if (($# < 5)); then
  echo "usage: read_disturb.sh <bin-dir> <weights> <design.conf> <cells.inc> <work-dir> [image …]" >&2
  exit 2
fi
bin=$1 weights=$2 design=$3 cells=$4 work=$5
shift 5
images=("$@")
((${#images[@]})) || images=(0 1)
find_tool() { # name: the build folder's root or tools/mnist
  for candidate in "$bin/$1" "$bin/tools/mnist/$1"; do
    [[ -x $candidate ]] && { echo "$candidate"; return; }
  done
  echo "read_disturb.sh: $1 not found under $bin" >&2
  exit 2
}
dwgen=$(find_tool dwgen) dwspice=$(find_tool dwspice) checker=$(find_tool read_disturb)
mkdir -p "$work"
netlist=$work/disturb_dynamic.cir
"$dwgen" --weights "$weights" --design "$design" --cells "$cells" -o "$netlist" --synapse-mode dynamic \
  --save-synapse-states || exit 2
# The rows switch on at t_in: drift after it is what a read could cause.
t_in=$(awk -F'[=#]' '$1 ~ /^[ \t]*t_in[ \t]*$/ {gsub(/[ \t]/, "", $2); print $2}' "$design")
status=0
for image in "${images[@]}"; do
  raw=$work/disturb_image$image.raw
  "$dwspice" -b "$netlist" --save "$image" -r "$raw" >"$work/disturb_image$image.log" 2>&1 || {
    echo "read_disturb.sh: dwspice failed on image $image (log: $work/disturb_image$image.log)" >&2
    exit 2
  }
  echo "image $image:"
  "$checker" --raw "$raw" ${t_in:+--settled-at "$t_in"} || status=$?
  rm -f "$raw" # tens of MB per image; the verdict is printed above
  ((status == 0)) || break
done
exit $status
