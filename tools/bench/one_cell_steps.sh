#!/usr/bin/env bash
# Time steps of one MNIST hidden cell simulated alone (docs/results.md, "Where
# the time steps go (session 4)"): the cell's driver and DW neuron from a
# generated classifier netlist, its column driven by a current pulse in the
# layer-1 window, over the full 15 ns cycle. Compare with the steps per image
# of the whole circuit (steps_per_image in a batch report).
#
#   tools/bench/one_cell_steps.sh [build-dir] [classifier.cir]
set -euo pipefail
build=${1:-build}
netlist=${2:-$build/mnist/mnist_10notch.cir}
[[ -f $netlist ]] || { echo "no $netlist (cmake --build $build --target mnist-netlists)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -E '^\.param' "$netlist" > "$work/params.inc"
awk '/^\.model dwcell/,/^\.ends hidden_cell/' "$netlist" > "$work/cell.inc"
for current in 2u 5u 10u; do
  cat > "$work/one.cir" <<DECK
one hidden cell, column current $current
.include params.inc
.include cell.inc
vsupp vdd 0 dc {vdd}
vsupn vss 0 dc {vss}
vrden rden 0 pulse(0 {vdd} {t_l2} {t_rise} {t_rise} {t_write})
iin 0 col pulse(0 $current {t_in} {t_rise} {t_rise} {t_write})
x1 col outp outn vdd vss rden hidden_cell
rlp outp 0 20k
rln outn 0 20k
.tran 0.1n {tstop}
.end
DECK
  summary=$("$build/dwspice" -b "$work/one.cir" -r "$work/one.raw" 2>&1 | grep -o '[0-9]* steps' || true)
  echo "column current $current: ${summary:-failed}"
done
