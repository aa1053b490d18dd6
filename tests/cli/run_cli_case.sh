#!/usr/bin/env bash
# One end-to-end case of the dwspice CLI.
#   run_cli_case.sh <case> <dwspice binary> <data dir> <work dir>
# Exit 0 = pass, 77 = skipped (ngspice not installed), anything else = fail.
set -uo pipefail

case_name=$1
dwspice=$2
data=$3
work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

fail() {
  echo "FAIL [$case_name]: $*" >&2
  for f in out err; do
    [[ -f $f ]] && { echo "--- $f:" >&2; head -c 3000 "$f" >&2; }
  done
  exit 1
}

# Runs dwspice with stdout → out, stderr → err; status in $rc.
run() {
  "$dwspice" "$@" >out 2>err
  rc=$?
}

expect_rc() { [[ $rc -eq $1 ]] || fail "exit status $rc, expected $1"; }
expect_contains() { grep -qF -- "$2" "$1" || fail "'$1' lacks: $2"; }
expect_match() { grep -qE -- "$2" "$1" || fail "'$1' does not match: $2"; }
expect_empty() { [[ ! -s $1 ]] || fail "'$1' should be empty"; }
expect_close() { # actual expected [relative tolerance]
  awk -v a="$1" -v e="$2" -v t="${3:-1e-9}" 'BEGIN { d = a - e; if (d < 0) d = -d; s = e < 0 ? -e : e;
    exit !(d <= t * s + 1e-15) }' || fail "value $1, expected $2"
}

require_ngspice() {
  command -v ngspice >/dev/null 2>&1 || { echo "ngspice not installed: skipped" >&2; exit 77; }
}

# Value of an expression in a raw file as ngspice's `load` reads it.
# Usage: ngspice_value file.raw plot expr   (plot e.g. op1, dc1, tran1)
ngspice_value() {
  printf 'load %s\nsetplot %s\nlet ngv = %s\nprint ngv\nquit\n' "$1" "$2" "$3" | ngspice -p 2>/dev/null |
    awk '$1 == "ngv" && $2 == "=" { print $3; found = 1 } END { exit !found }'
}

check_divider_raw_with_ngspice() { # raw file
  local v
  v=$(ngspice_value "$1" op1 'v(out)') || fail "ngspice cannot read v(out) from $1"
  expect_close "$v" 5
  v=$(ngspice_value "$1" op1 'i(v1)') || fail "ngspice cannot read i(v1) from $1"
  expect_close "$v" -0.005
  v=$(ngspice_value "$1" op1 'v(in)') || fail "ngspice cannot read v(in) from $1"
  expect_close "$v" 10
}

# MNIST files for the data-set cases: $DWSPICE_DATA as dwspice reads it, else the repository's data/.
mnist_data=${DWSPICE_DATA:-$data/../../../data}
require_mnist() {
  [[ -f $mnist_data/mnist/t10k-images-idx3-ubyte && -f $mnist_data/mnist/t10k-labels-idx1-ubyte ]] || {
    echo "MNIST test set not found in $mnist_data/mnist (run tools/fetch_data.sh): skipped" >&2
    exit 77
  }
  command -v python3 >/dev/null 2>&1 || { echo "python3 not installed (computes the expected values): skipped" >&2; exit 77; }
}
json_value() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

case $case_name in
batch_report)
  require_mnist
  run -b "$data/batch_tiny.cir" --report r.json --images 40
  expect_rc 0
  expect_empty out
  expect_contains err "data set: mnist test (10000 images of 28x28)"
  expect_match err '^40 images: [0-9]+ correct'
  expect_contains err "report: r.json"
  python3 "$data/../batch_expect.py" r.json "$mnist_data" 40 2 >check 2>&1 || fail "$(cat check)"
  # One thread gives the same report apart from timing.
  run -b "$data/batch_tiny.cir" --report r1.json --images 40 --threads 1
  expect_rc 0
  python3 "$data/../batch_expect.py" r1.json "$mnist_data" 40 1 >check 2>&1 || fail "$(cat check)"
  [[ "$(json_value r.json predictions)" == "$(json_value r1.json predictions)" ]] || fail "predictions differ with 1 thread"
  [[ "$(json_value r.json energy_per_inference_J)" == "$(json_value r1.json energy_per_inference_J)" ]] ||
    fail "energy differs with 1 thread"
  ;;
batch_save_raw)
  require_mnist
  # --save K in a batch: image K's transient in a raw file next to the report.
  run -b "$data/batch_tiny.cir" --report sub/r.json --images 5 --save 3
  expect_rc 1 # sub/ does not exist: neither the report nor the raw file can be written
  expect_contains err "sub/r.json"
  mkdir sub
  run -b "$data/batch_tiny.cir" --report sub/r.json --images 5 --save 3
  expect_rc 0
  [[ -s sub/r_image3.raw ]] || fail "no raw file sub/r_image3.raw"
  expect_contains err "raw file (image 3): sub/r_image3.raw"
  # The same image alone (no --report) with an ASCII raw file: same waveforms.
  run -b "$data/batch_tiny.cir" --save 3 -r single.raw --ascii
  expect_rc 0
  expect_match err '^image 3 of mnist test \(label [0-9]\)'
  expect_match err '^image 3: label [0-9], predicted [0-2], energy '
  predicted=$(python3 -c 'import json; print(json.load(open("sub/r.json"))["predictions"][3])')
  expect_contains err "predicted $predicted,"
  run -b "$data/batch_tiny.cir" --report r2.json --images 5 --save 3 -r chosen.raw --ascii
  expect_rc 0
  cmp -s <(grep -v "^Date:" chosen.raw) <(grep -v "^Date:" single.raw) || fail "--save 3 raw file differs from the single-image run's"
  expect_match single.raw '^No. Variables: 6'
  require_ngspice
  v=$(ngspice_value sub/r_image3.raw tran1 'v(a0)[0]') || fail "ngspice cannot read sub/r_image3.raw"
  pixel=$(python3 -c 'import sys; d=open(sys.argv[1]+"/mnist/t10k-images-idx3-ubyte","rb").read(); print(d[16+3*784+406]/255)' "$mnist_data")
  expect_close "$v" "$pixel" 1e-6
  ;;
batch_errors)
  require_mnist
  run -b "$data/divider.cir" --report r.json
  expect_rc 1
  expect_contains err "--report needs a netlist with '.dataset'"
  [[ ! -e r.json ]] || fail "a report was written for a failed run"
  run -b "$data/batch_tiny.cir" --report r.json --images 10001
  expect_rc 1
  expect_contains err "the data set has 10000 images"
  run -b "$data/batch_tiny.cir" --report r.json --images 0
  expect_rc 2
  expect_contains err "--images"
  run -b "$data/batch_tiny.cir" --images 5
  expect_rc 2
  expect_contains err "'--images' needs --report"
  run -b "$data/batch_tiny.cir" --report r.json --threads x
  expect_rc 2
  run -b "$data/batch_tiny.cir" --save 10000
  expect_rc 1
  expect_contains err "has images 0..9999"
  run -b "$data/divider.cir" --save 1
  expect_rc 1
  expect_contains err "--save picks an image"
  # A data folder without the files: the error names the file.
  DWSPICE_DATA=$work/nowhere "$dwspice" -b "$data/batch_tiny.cir" --report r.json >out 2>err
  rc=$?
  expect_rc 1
  expect_contains err "nowhere"
  ;;
help)
  run --help
  expect_rc 0
  expect_contains out "Usage: dwspice -b"
  expect_contains out "--rawfile"
  expect_contains out "--csv"
  expect_contains out "--report FILE"
  expect_contains out "--images N"
  expect_contains out "--save K"
  expect_contains out "--threads T"
  run -h
  expect_rc 0
  ;;
version)
  run --version
  expect_rc 0
  expect_match out '^dwspice [0-9]+\.[0-9]+\.[0-9]+$'
  ;;
devices)
  run --devices
  expect_rc 0
  expect_match out '^R +- +2 '
  expect_match out '^V +- +2 '
  ;;
usage_errors)
  run
  expect_rc 2
  expect_contains err "no netlist given"
  run -b --no-such-option "$data/divider.cir"
  expect_rc 2
  expect_contains err "unknown option '--no-such-option'"
  run -b -r
  expect_rc 2
  expect_contains err "needs a value"
  run -b "$data/divider.cir" "$data/divider.cir"
  expect_rc 2
  run -b --ascii=yes "$data/divider.cir"
  expect_rc 2
  ;;
missing_file)
  run -b "$work/does-not-exist.cir"
  expect_rc 1
  expect_contains err "does-not-exist.cir"
  expect_contains err "error:"
  run -b "$work"
  expect_rc 1
  ;;
malformed_netlist)
  run -b "$data/malformed.cir"
  expect_rc 1
  expect_match err 'malformed\.cir:3:[0-9]+: error: '
  expect_empty out
  ;;
bad_save)
  run -b -r bad.raw "$data/bad_save.cir"
  expect_rc 1
  expect_match err "bad_save\.cir:5:[0-9]+: error: .*nowhere"
  [[ ! -e bad.raw ]] || fail "a raw file was created although the .save list is wrong"
  ;;
garbage_input)
  printf '' >empty.cir
  run -b empty.cir
  expect_rc 1
  expect_contains err "error:"
  head -c 4096 /dev/urandom >noise.cir
  run -b noise.cir
  expect_rc 1
  printf 'title\n.include noise.cir\n.op\n.end\n' >inc.cir
  run -b inc.cir
  expect_rc 1
  printf 'self include\n.include self.cir\nR1 a 0 1\n.op\n.end\n' >self.cir
  run -b self.cir
  expect_rc 1
  expect_contains err "error:"
  ;;
op_report)
  run -b "$data/divider.cir"
  expect_rc 0
  expect_match out $'^\tNode +Voltage$'
  expect_match out $'^\tout +5\\.000000e\\+00$'
  expect_match out $'^\tin +1\\.000000e\\+01$'
  expect_match out $'^\ti\\(v1\\) +-5\\.00000e-03$'
  expect_contains err "operating point"
  ;;
divider_raw_binary)
  require_ngspice
  run -b -r div.raw "$data/divider.cir"
  expect_rc 0
  expect_empty out # a raw file replaces the stdout report
  head -n 6 div.raw >head.txt
  expect_contains head.txt "Title: resistive divider"
  expect_contains head.txt "Plotname: Operating Point"
  expect_contains head.txt "No. Variables: 3"
  expect_contains head.txt "No. Points: 1       "
  grep -qa '^Binary:$' div.raw || fail "not a binary raw file"
  check_divider_raw_with_ngspice div.raw
  ;;
divider_raw_ascii)
  require_ngspice
  run -b --ascii -r div.raw "$data/divider.cir"
  expect_rc 0
  expect_contains div.raw "Values:"
  expect_contains div.raw $'\t1\tv(out)\tvoltage'
  expect_contains div.raw $'\t2\ti(v1)\tcurrent'
  check_divider_raw_with_ngspice div.raw
  ;;
raw_env_ascii)
  require_ngspice
  SPICE_ASCIIRAWFILE=1 run -b -r all.raw "$data/divider_all.cir"
  expect_rc 0
  expect_contains all.raw "Values:"
  [[ $(grep -c '^Title: ' all.raw) -eq 3 ]] || fail "expected three plots"
  expect_contains all.raw $'\t0\tv(v-sweep)\tvoltage'
  expect_contains all.raw $'\t0\ttime\ttime'
  expect_contains all.raw "No. Points: 3       " # the .dc plot
  v=$(ngspice_value all.raw dc1 'v(out)[2]') || fail "ngspice cannot read the dc plot"
  expect_close "$v" 1
  v=$(ngspice_value all.raw tran1 'time[length(time)-1]') || fail "ngspice cannot read the tran plot"
  expect_close "$v" 3e-9 1e-6
  v=$(ngspice_value all.raw tran1 'v(out)[length(time)-1]') || fail "ngspice cannot read v(out)"
  expect_close "$v" 0.5 1e-3
  ;;
save_restricts)
  run -b --ascii -r save.raw "$data/divider_save.cir"
  expect_rc 0
  expect_contains save.raw "No. Variables: 1"
  expect_contains save.raw $'\t0\tv(out)\tvoltage'
  grep -q 'v(in)' save.raw && fail ".save v(out) wrote v(in)"
  ;;
csv_single)
  run -b --csv div.csv "$data/divider.cir"
  expect_rc 0
  [[ $(head -n 1 div.csv) == 'v(in),v(out),i(v1)' ]] || fail "CSV header: $(head -n 1 div.csv)"
  IFS=, read -r vin vout iv1 < <(sed -n 2p div.csv)
  expect_close "$vin" 10
  expect_close "$vout" 5
  expect_close "$iv1" -0.005
  [[ $(wc -l <div.csv) -eq 2 ]] || fail "an operating point is one CSV row"
  ;;
csv_per_plot)
  run -b --csv res.csv "$data/divider_all.cir"
  expect_rc 0
  for kind in op dc tran; do
    [[ -s res-$kind.csv ]] || fail "res-$kind.csv missing"
  done
  [[ $(head -n 1 res-dc.csv) == 'v(v-sweep),v(in),v(out),i(v1)' ]] || fail "dc header: $(head -n 1 res-dc.csv)"
  [[ $(wc -l <res-dc.csv) -eq 4 ]] || fail "dc sweep 0..2 step 1 has three rows"
  [[ $(head -n 1 res-tran.csv) == 'time,v(in),v(out),i(v1)' ]] || fail "tran header"
  last_time=$(tail -n 1 res-tran.csv | cut -d, -f1)
  expect_close "$last_time" 3e-9 1e-6
  expect_contains err "res-tran.csv"
  ;;
print_table)
  run -b "$data/divider_print.cir"
  expect_rc 0
  expect_contains out "DC transfer characteristic"
  expect_match out '^Index +v\(v-sweep\) +v\(out\) +v\(in,out\) +i\(v1\)'
  # V1 = 2: v(out) = 1.5, v(in,out) = 0.5, i(v1) = -0.5 mA
  expect_match out $'^2\t2\\.000000e\\+00\t1\\.500000e\\+00\t5\\.000000e-01\t-5\\.00000e-04\t$'
  grep -q 'Node' out && fail "no .op, yet an operating-point report"
  # As in ngspice, .print tran does not suppress the .op report; .print op does.
  printf 'op and print\nV1 a 0 1\nR1 a 0 1k\n.op\n.print dc v(a)\n.end\n' >op_print_dc.cir
  run -b op_print_dc.cir
  expect_rc 0
  expect_match out $'^\ta +1\\.000000e\\+00$'
  expect_contains err "note: "
  printf 'op print\nV1 a 0 1\nR1 a 0 1k\n.op\n.print op v(a) i(v1)\n.end\n' >op_print.cir
  run -b op_print.cir
  expect_rc 0
  grep -q 'Node' out && fail ".print op replaces the operating-point report"
  expect_match out $'^0\t1\\.000000e\\+00\t-1\\.00000e-03\t$'
  ;;
log_file)
  run -b -o run.log "$data/divider.cir"
  expect_rc 0
  expect_contains run.log "operating point"
  expect_empty err
  expect_contains out "Voltage"
  run -b -o run2.log "$data/malformed.cir"
  expect_rc 1
  expect_match err 'malformed\.cir:3:[0-9]+: error: ' # the user still sees the error
  expect_match run2.log 'malformed\.cir:3:[0-9]+: error: '
  # Frontend warnings go to the log too, not to the terminal.
  printf 'warns\nV1 a 0 1\nR1 a 0 1k\n.options frobnicate=1\n.op\n.end\n' >warns.cir
  run -b -o run3.log warns.cir
  expect_rc 0
  expect_contains run3.log "warning:"
  expect_empty err
  ;;
ngspice_same_bytes)
  # Our raw files equal ngspice's own, byte for byte, apart from the date.
  require_ngspice
  for deck in divider divider_dc current_sweep; do
    for format in binary ascii; do
      if [[ $format == ascii ]]; then ascii=1; else ascii=0; fi
      SPICE_ASCIIRAWFILE=$ascii ngspice -b -r "ng-$deck-$format.raw" "$data/$deck.cir" >/dev/null 2>&1 ||
        fail "ngspice failed on $deck"
      SPICE_ASCIIRAWFILE=$ascii run -b -r "dw-$deck-$format.raw" "$data/$deck.cir"
      expect_rc 0
      sed '/^Date: /d' "ng-$deck-$format.raw" >ng.undated
      sed '/^Date: /d' "dw-$deck-$format.raw" >dw.undated
      cmp -s ng.undated dw.undated || fail "$deck ($format) differs from ngspice's raw file"
    done
  done
  ;;
option_forms)
  # ngspice-style attached values and GNU-style --name=value.
  run -b -rattached.raw "$data/divider.cir"
  expect_rc 0
  [[ -s attached.raw ]] || fail "-rFILE wrote nothing"
  run -b --rawfile=long.raw --csv=long.csv "$data/divider.cir"
  expect_rc 0
  [[ -s long.raw && -s long.csv ]] || fail "--rawfile=FILE / --csv=FILE wrote nothing"
  run "$data/divider.cir" # -b is optional: batch is the only mode
  expect_rc 0
  expect_contains out "Voltage"
  ;;
device_states)
  # Device-internal unknowns (domain-wall position and angle) are written as
  # ngspice "notype" vectors that ngspice can read back.
  require_ngspice
  run -b -r dw.raw "$data/dw_neuron_op.cir"
  expect_rc 0
  grep -qa $'\tn1#q\tnotype$' dw.raw || fail "n1#q missing from the raw file"
  grep -qa $'\tn1#phi\tnotype$' dw.raw || fail "n1#phi missing from the raw file"
  v=$(ngspice_value dw.raw op1 'n1#q') || fail "ngspice cannot read n1#q"
  [[ -n $v ]] || fail "empty n1#q"
  run -b "$data/dw_neuron_op.cir"
  expect_rc 0
  expect_match out $'^\tn1#q +'
  ;;
write_failures)
  # A full disk is an error (exit 1 with a message), never a crash or a
  # silently truncated file.
  [[ -w /dev/full ]] || { echo "no /dev/full: skipped" >&2; exit 77; }
  run -b -r /dev/full "$data/divider.cir"
  expect_rc 1
  expect_contains err "raw file '/dev/full'"
  run -b --csv /dev/full "$data/divider.cir"
  expect_rc 1
  expect_contains err "CSV file '/dev/full'"
  run -b -o /dev/full "$data/divider.cir"
  expect_rc 1
  expect_contains err "cannot write the log file"
  "$dwspice" -b "$data/divider.cir" >/dev/full 2>err
  rc=$?
  expect_rc 1
  expect_contains err "error:"
  ;;
*)
  fail "unknown case"
  ;;
esac
exit 0
