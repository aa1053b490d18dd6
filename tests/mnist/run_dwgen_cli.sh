#!/usr/bin/env bash
# dwgen's command line: exit status and message for each kind of misuse, and
# a netlist that is only written when everything is valid.
#   run_dwgen_cli.sh <dwgen> <source-dir> <work-dir>
set -uo pipefail
dwgen=$1 source=$2 work=$3
design=$source/netlists/mnist/design.conf
cells=$source/netlists/mnist/cells.inc
mkdir -p "$work"
failures=0
expect() { # name expected-status expected-stderr-fragment command…
  local name=$1 status=$2 fragment=$3
  shift 3
  "$@" >"$work/$name.out" 2>"$work/$name.err"
  local got=$?
  if [[ $got != "$status" ]] || ! grep -qF -- "$fragment" "$work/$name.err"; then
    echo "FAIL $name: status $got (want $status), stderr:"
    cat "$work/$name.err"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}
# A minimal valid weights file (784-1-10, 5 notches, every state 0).
weights=$work/one.weights
{
  printf '# dwspice-weights 1\ndataset mnist\nnotches 5\ninputs 784\nhidden 1\noutputs 10\nvread %s\nvbias2 %s\n' \
    "$(awk -F'[=#]' '$1 ~ /^vread *$/ {gsub(/ /, "", $2); print $2}' "$design")" \
    "$(awk -F'[=#]' '$1 ~ /^vbias2 *$/ {gsub(/ /, "", $2); print $2}' "$design")"
  printf 'levels1 1e-5 2e-5 3e-5 4e-5 5e-5 6e-5\nlevels2 1e-7 2e-7 3e-7 4e-7 5e-7 6e-7\nlayer1 785 1\n'
  for ((i = 0; i < 785; i++)); do echo "0:0"; done
  printf 'layer2 2 10\n'
  for ((i = 0; i < 2; i++)); do echo "0:0 0:0 0:0 0:0 0:0 0:0 0:0 0:0 0:0 0:0"; done
} >"$weights"

expect missing_output 2 "-o is required" "$dwgen" --weights "$weights" --design "$design" --cells "$cells"
expect unknown_option 2 "unknown option '--frobnicate'" "$dwgen" --frobnicate 1
expect bad_number 2 "--rwire needs a number" "$dwgen" --weights "$weights" --design "$design" --cells "$cells" \
  -o "$work/x.cir" --rwire 1k
expect bad_mode 2 "--synapse-mode is 'read' or 'dynamic'" "$dwgen" --weights "$weights" --design "$design" \
  --cells "$cells" -o "$work/x.cir" --synapse-mode fast
expect missing_weights 1 "not found" "$dwgen" --weights "$work/none.weights" --design "$design" --cells "$cells" \
  -o "$work/x.cir"
expect missing_cells 1 "cannot open cells file" "$dwgen" --weights "$weights" --design "$design" \
  --cells "$work/none.inc" -o "$work/x.cir"
sed 's/^vread .*/vread 0.37/' "$weights" >"$work/vread.weights"
expect vread_mismatch 1 "pass --vread to override" "$dwgen" --weights "$work/vread.weights" --design "$design" \
  --cells "$cells" -o "$work/x.cir"
expect unwritable 1 "cannot create" "$dwgen" --weights "$weights" --design "$design" --cells "$cells" \
  -o "$work/no/such/dir/x.cir"
[[ ! -e $work/x.cir ]] || { echo "FAIL: a failed run left $work/x.cir"; failures=$((failures + 1)); }
expect good 0 "wrote $work/good.cir" "$dwgen" --weights "$weights" --design "$design" --cells "$cells" \
  -o "$work/good.cir"
[[ ! -e $work/good.cir.partial ]] || { echo "FAIL: partial file left"; failures=$((failures + 1)); }
[[ $(tail -1 "$work/good.cir") == ".end" ]] || { echo "FAIL: good.cir does not end with .end"; failures=$((failures + 1)); }
((failures == 0)) && echo PASS
exit $((failures != 0))
