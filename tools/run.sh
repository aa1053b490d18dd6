#!/usr/bin/env bash
# The main job: install what is missing, build, and run the MNIST crossbar
# classifier at circuit level on the real MNIST test images.
#
#   tools/run.sh                      # MNIST demo (10-notch synapses)
#   tools/run.sh my.cir [options]     # any netlist, with extra dwspice options
#
# The demo builds <build>/mnist/mnist_10notch.cir (cell characterisation,
# training and netlist generation; reused when up to date), simulates the
# first $DWSPICE_DEMO_IMAGES test images (default 100; 10000 is the whole test
# set) with `dwspice --report`, saves the waveforms of image 0, and compares
# the circuit's predictions with the behavioural model's.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${DWSPICE_BUILD:-$repo/build}
"$repo/tools/setup.sh"
"$repo/tools/build.sh"

if (($# > 0)); then
  netlist=$1
  shift
  mkdir -p "$build/demo"
  out="$build/demo/$(basename "${netlist%.*}").raw"
  "$build/dwspice" -b -r "$out" "$@" "$netlist"
  echo "run: waveforms written to $out" >&2
  exit 0
fi

images=${DWSPICE_DEMO_IMAGES:-100}
stem=$build/mnist/mnist_10notch
# A single output of the mnist-netlists pipeline: only the 10-notch MNIST
# network is trained here.
cmake --build "$build" --target mnist/mnist_10notch.cir
"$build/dwspice" -b "$stem.cir" --report "$stem"_demo.json --images "$images" --save 0 -r "$stem"_image0.raw
"$build/tools/mnist/compare_predictions" --report "$stem"_demo.json --behavioural "$stem"_behavioural.csv
echo "run: report $stem""_demo.json, waveforms of image 0 in $stem""_image0.raw" >&2
